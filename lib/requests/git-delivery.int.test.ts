// Git delivery against a real Git server (git http-backend on 127.0.0.1) and a local endpoint that answers as the
// GitHub REST API does: an approved request's manifests land as a commit with its files and message, a push that
// races someone else's is made again on top of theirs, an unreachable remote leaves a retryable failed state, and a
// revert commits the removal of the files.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { addToUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { serveHttp } from "@/test-support/fake-http-server";
import { startGitHubApiDouble, type GitHubApiDouble } from "@/test-support/github-api-double";
import { pushAsSomeoneElse, startGitHttpServer, type GitHttpServer } from "@/test-support/git-http-server";
import { configMapIn, jobContext, namespaceNamed, numberOf, statusOf } from "@/test-support/revert-kit";
import { insertApprovedRequest, startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { handleRequestApply } from "./apply-request-job.server";
import { gitDeliveryStatus } from "./git-delivery-status.server";
import { retryDelivery } from "./retry-delivery.server";
import { revertRequest } from "./revert-request.server";

// Each git push spawns several git processes; on a loaded machine a test with four deliveries takes a minute.
const SLOW = 240_000;
let world: RequestWorld;
let git: GitHttpServer;
let github: GitHubApiDouble;

beforeAll(async () => {
  world = await startRequestWorld();
  git = await startGitHttpServer();
  github = await startGitHubApiDouble("acme/deploy");
  await addToUrlAllowList(getPrisma(), ["127.0.0.1:*"]);
}, 60_000);
afterAll(async () => {
  await github?.close();
  await git?.close();
  await world?.close();
});

async function gitMode(repoUrl: string, github: { repo: string; apiUrl: string } | null = null) {
  await getPrisma().clusterTarget.update({
    where: { id: world.sandboxId },
    data: {
      deliveryMode: "git",
      gitRepoUrl: repoUrl,
      gitBaseBranch: "main",
      gitPath: "clusters",
      gitHubRepo: github?.repo ?? null,
      gitHubApiUrl: github?.apiUrl ?? null,
    },
  });
}

async function approvedAndDelivered(objects: Parameters<typeof insertApprovedRequest>[1]) {
  const request = await insertApprovedRequest(world, objects);
  const approver = await getPrisma().user.findUniqueOrThrow({ where: { email: "admin@demo.local" } });
  await getPrisma().approval.create({
    data: { requestId: request.requestId, approverId: approver.id, decision: "approved", comment: "ok" },
  });
  await handleRequestApply({ applyRunId: request.runId }, jobContext());
  return { ...request, number: await numberOf(request.requestId) };
}

const deliveries = (requestId: string) =>
  getPrisma().gitDelivery.findMany({ where: { requestId }, orderBy: { createdAt: "asc" } });
const filesOn = (repo: string, ref: string, folder: string) =>
  git.git(repo, "ls-tree", "-r", "--name-only", ref, "--", folder).split("\n").filter(Boolean);

describe("git delivery", () => {
  it(
    "commits the plan's manifests on portal/REQ-n with the request and approver, and opens a pull request",
    async () => {
      const repoUrl = git.createRepo("deploy");
      await gitMode(repoUrl, { repo: "acme/deploy", apiUrl: github.url });
      const { requestId, number } = await approvedAndDelivered([configMapIn("zz-git", "a"), namespaceNamed("zz-git")]);

      expect(await statusOf(requestId)).toBe("applied");
      const team = (await getPrisma().request.findUniqueOrThrow({ where: { id: requestId }, include: { team: true } }))
        .team.slug;
      const folder = `clusters/sandbox/${team}/REQ-${number}`;
      const branch = `portal/REQ-${number}`;
      expect(filesOn("deploy", branch, folder)).toEqual([
        `${folder}/1-namespace-zz-git.yaml`,
        `${folder}/2-configmap-zz-git-a.yaml`,
      ]);
      expect(git.git("deploy", "show", `${branch}:${folder}/2-configmap-zz-git-a.yaml`)).toBe(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: zz-git\ndata:\n  owner: a\n",
      );
      const message = git.git("deploy", "log", "-1", "--format=%B", branch);
      expect(message).toContain(`REQ-${number}: fixture`);
      expect(message).toContain("Approved-by: ");
      expect(message).toMatch(/Approved-by: .*admin@demo\.local/);
      // Only the request's files: main is untouched until someone merges.
      expect(filesOn("deploy", "main", "clusters")).toEqual([]);

      const [delivery] = await deliveries(requestId);
      const sha = git.git("deploy", "rev-parse", branch).trim();
      expect(delivery).toMatchObject({ branch, commitSha: sha, state: "pr_open", prNumber: 41, reason: null });
      expect(delivery?.prUrl).toBe("https://github.example/acme/deploy/pull/41");
      expect(github.pulls.at(-1)?.body).toMatchObject({ head: branch, base: "main", title: `REQ-${number}: fixture` });
    },
    SLOW,
  );

  it(
    "makes its commit again on top of someone else's push to the branch, keeping theirs",
    async () => {
      const repoUrl = git.createRepo("race");
      await gitMode(repoUrl);
      const request = await insertApprovedRequest(world, [configMapIn("zz-race", "b")]);
      const number = await numberOf(request.requestId);
      const branch = `portal/REQ-${number}`;
      let theirs = "";
      git.beforePush = async () => {
        theirs = await pushAsSomeoneElse(repoUrl, branch, "notes/other.txt", "someone else was here\n");
      };
      await handleRequestApply({ applyRunId: request.runId }, jobContext());

      expect(await statusOf(request.requestId)).toBe("applied");
      expect(theirs).not.toBe("");
      const tip = git.git("race", "rev-parse", branch).trim();
      expect(git.git("race", "rev-parse", `${tip}^`).trim()).toBe(theirs);
      expect(git.git("race", "show", `${branch}:notes/other.txt`)).toBe("someone else was here\n");
      expect(filesOn("race", branch, "clusters")).toHaveLength(1);
      expect((await deliveries(request.requestId))[0]).toMatchObject({ state: "committed", commitSha: tip });
      const succeeded = await getPrisma().requestEvent.findFirstOrThrow({
        where: { requestId: request.requestId, type: "apply.succeeded" },
      });
      expect(succeeded.message).toContain("the branch had moved");
    },
    SLOW,
  );

  it(
    "leaves an unreachable remote's delivery failed with the reason, and Retry delivers it",
    async () => {
      const closed = await serveHttp("127.0.0.1", () => {});
      const deadUrl = `${closed.url}/gone.git`;
      await closed.close();
      await gitMode(deadUrl);
      const request = await insertApprovedRequest(world, [configMapIn("zz-down", "c")]);
      await handleRequestApply({ applyRunId: request.runId }, jobContext());

      expect(await statusOf(request.requestId)).toBe("apply_failed");
      const [failed] = await deliveries(request.requestId);
      expect(failed?.state).toBe("failed");
      expect(failed?.reason).toMatch(/^unreachable: /);
      const run = await getPrisma().applyRun.findUniqueOrThrow({ where: { id: request.runId } });
      expect(run.error).toMatch(/^unreachable: .*cannot be reached/);
      const notified = await getPrisma().requestEvent.findFirstOrThrow({
        where: { requestId: request.requestId, type: "apply.failed" },
      });
      expect(notified.message).toContain("Git delivery failed (unreachable)");

      const repoUrl = git.createRepo("back");
      await gitMode(repoUrl);
      const engineer = await world.user("engineer@demo.local");
      const retry = await retryDelivery({ actor: engineer, requestId: request.requestId });
      await handleRequestApply({ applyRunId: retry.applyRunId }, jobContext());
      expect(await statusOf(request.requestId)).toBe("applied");
      const number = await numberOf(request.requestId);
      expect(filesOn("back", `portal/REQ-${number}`, "clusters")).toHaveLength(1);
      expect((await deliveries(request.requestId)).map((d) => d.state)).toEqual(["failed", "committed"]);
    },
    SLOW,
  );

  it(
    "commits the removal of the request's files on revert",
    async () => {
      const repoUrl = git.createRepo("revert");
      await gitMode(repoUrl);
      const { requestId, number } = await approvedAndDelivered([configMapIn("zz-rev", "d")]);
      const branch = `portal/REQ-${number}`;
      expect(filesOn("revert", branch, "clusters")).toHaveLength(1);

      const engineer = await world.user("engineer@demo.local");
      const run = await revertRequest({ actor: engineer, requestId, confirmedDeletes: [] });
      await handleRequestApply({ applyRunId: run.applyRunId }, jobContext());

      expect(await statusOf(requestId)).toBe("reverted");
      // Never merged: the removal goes on the request's own branch, so its pull request adds nothing any more.
      expect(filesOn("revert", branch, "clusters")).toEqual([]);
      expect(git.git("revert", "log", "-1", "--format=%s", branch).trim()).toBe(`Revert REQ-${number}: fixture`);
      const removal = (await deliveries(requestId)).at(-1);
      expect(removal).toMatchObject({ operation: "revert", branch, state: "committed" });

      // Merged into main first: the removal goes on a revert branch from main.
      const merged = await approvedAndDelivered([configMapIn("zz-rev", "e")]);
      git.git("revert", "update-ref", "refs/heads/main", `portal/REQ-${merged.number}`);
      const revert2 = await revertRequest({ actor: engineer, requestId: merged.requestId, confirmedDeletes: [] });
      await handleRequestApply({ applyRunId: revert2.applyRunId }, jobContext());
      expect(filesOn("revert", `portal/REQ-${merged.number}-revert`, "clusters")).toEqual([]);
      expect(filesOn("revert", "main", "clusters")).toHaveLength(1);
    },
    SLOW,
  );

  it(
    "shows synced at the commit once the cluster's Argo CD Application reports that revision",
    async () => {
      const repoUrl = git.createRepo("synced");
      await gitMode(repoUrl);
      await getPrisma().clusterTarget.update({
        where: { id: world.sandboxId },
        data: { gitSyncRef: "argocd:argocd/ml-platform" },
      });
      const { requestId } = await approvedAndDelivered([configMapIn("zz-sync", "f")]);
      const sha = (await deliveries(requestId))[0]?.commitSha ?? "";
      const application = (revision: string, status: string) =>
        world.double.state.putSystemObject({
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Application",
          metadata: { name: "ml-platform", namespace: "argocd" },
          spec: { source: { repoURL: repoUrl, path: "clusters/sandbox" } },
          status: { sync: { status, revision }, health: { status: "Healthy" } },
        });

      application("0".repeat(40), "Synced");
      expect((await gitDeliveryStatus(requestId))?.sync).toMatchObject({ state: "pending" });
      expect((await gitDeliveryStatus(requestId))?.state).toBe("committed");

      application(sha, "Synced");
      const shown = await gitDeliveryStatus(requestId);
      expect(shown?.state).toBe("synced");
      expect(shown?.sync?.message).toBe(`synced at ${sha.slice(0, 12)} (Application argocd/ml-platform)`);
      expect(shown?.sync?.health).toBe("Healthy");
    },
    SLOW,
  );
});
