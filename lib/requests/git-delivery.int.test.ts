// Git delivery against a real Git server (git http-backend on 127.0.0.1) and a local endpoint that answers as the
// GitHub REST API does: an approved request's manifests land as a commit with its files and message, a push that
// races someone else's is made again on top of theirs, an unreachable remote leaves a retryable failed state, and a
// revert commits the removal of the files (closing the apply's pull request when it was never merged).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { serveHttp } from "@/test-support/fake-http-server";
import type { GitHubApiDouble } from "@/test-support/github-api-double";
import { pushAsSomeoneElse, type GitHttpServer } from "@/test-support/git-http-server";
import { startGitDeliveryKit, type GitDeliveryKit } from "@/test-support/git-delivery-kit";
import { configMapIn, jobContext, namespaceNamed, numberOf, statusOf } from "@/test-support/revert-kit";
import { insertApprovedRequest, type RequestWorld } from "@/test-support/request-fixtures";
import { handleRequestApply } from "./apply-request-job.server";
import { gitDeliveryStatus } from "./git-delivery-status.server";
import { retryDelivery } from "./retry-delivery.server";
import { revertRequest } from "./revert-request.server";
import { refreshGitDeliveries } from "./refresh-git-deliveries.server";
import { requestDetailResponse } from "./schema";
import { deletesShown } from "@/test-support/revert-confirmation";
import { getRequestDetail } from "./get-request.server";

// Each git push spawns several git processes; on a loaded machine a test with four deliveries takes a minute.
const SLOW = 240_000;
let world: RequestWorld;
let git: GitHttpServer;
let github: GitHubApiDouble;
let kit: GitDeliveryKit;

beforeAll(async () => {
  kit = await startGitDeliveryKit();
  ({ world, git, github } = kit);
}, 60_000);
afterAll(async () => {
  await kit?.close();
});

const deliveries = (requestId: string) =>
  getPrisma().gitDelivery.findMany({ where: { requestId }, orderBy: { createdAt: "asc" } });
const filesOn = (repo: string, ref: string, folder: string) =>
  git.git(repo, "ls-tree", "-r", "--name-only", ref, "--", folder).split("\n").filter(Boolean);

describe("git delivery", () => {
  it(
    "commits the plan's manifests on portal/REQ-n with the request and approver, and opens a pull request",
    async () => {
      const repoUrl = git.createRepo("deploy");
      await kit.deliverThroughGit(repoUrl, { repo: "acme/deploy", apiUrl: github.url });
      const { requestId, number } = await kit.approveAndDeliver([configMapIn("zz-git", "a"), namespaceNamed("zz-git")]);

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
      // Read once right after the delivery: open.
      expect(delivery?.prState).toBe("open");
      expect((await gitDeliveryStatus(requestId))?.pr).toMatchObject({ state: "open", readError: null });
    },
    SLOW,
  );

  it(
    "records the pull request's merge and the commit it made, and keeps a failed read's reason without throwing",
    async () => {
      const repoUrl = git.createRepo("merged");
      await kit.deliverThroughGit(repoUrl, { repo: "acme/deploy", apiUrl: github.url });
      const { requestId, number } = await kit.approveAndDeliver([configMapIn("zz-merge", "m")]);
      const [delivered] = await deliveries(requestId);
      const prNumber = delivered?.prNumber ?? 0;
      expect(delivered).toMatchObject({ state: "pr_open", prState: "open" });

      // GitHub cannot be reached: the read's failure is stored, the delivery keeps its state, nothing throws.
      github.failWith = 503;
      const failedAt = new Date("2026-12-07T10:00:00Z");
      await refreshGitDeliveries({ now: failedAt });
      github.failWith = null;
      const failed = (await deliveries(requestId))[0];
      expect(failed).toMatchObject({ state: "pr_open", prState: "open", prCheckedAt: failedAt });
      expect(failed?.prReadError).toMatch(/^error: GitHub answered 503 reading pull request #\d+/);

      // A person merges it: main moves to a merge commit.
      git.git("merged", "update-ref", "refs/heads/main", `portal/REQ-${number}`);
      const mergeSha = git.git("merged", "rev-parse", "main").trim();
      const mergedAt = new Date("2026-12-07T11:00:00Z");
      github.merge(prNumber, mergeSha, mergedAt);
      // The page reads only what was stored: nothing changes until the worker reads GitHub.
      expect((await gitDeliveryStatus(requestId))?.pr?.state).toBe("open");

      const readAt = new Date("2026-12-07T11:01:00Z");
      await refreshGitDeliveries({ now: readAt });
      const merged = (await deliveries(requestId))[0];
      expect(merged).toMatchObject({
        state: "merged",
        prState: "merged",
        prMergeSha: mergeSha,
        prMergedAt: mergedAt,
        prCheckedAt: readAt,
        prReadError: null,
      });
      const shown = await gitDeliveryStatus(requestId);
      expect(shown?.state).toBe("merged");
      expect(shown?.pr).toMatchObject({ state: "merged", mergeSha, checkedAt: readAt });
      // GET /api/v1/requests/{id} answers it too (a pipeline can wait for the merge).
      expect(requestDetailResponse.shape.gitDelivery.parse(shown)).toMatchObject({
        state: "merged",
        pr: { state: "merged", mergeSha, mergedAt },
      });
    },
    SLOW,
  );

  it(
    "renews the run's lease while a slow push runs, and stops the push without writing when the run was taken over",
    async () => {
      const repoUrl = git.createRepo("slow");
      await kit.deliverThroughGit(repoUrl);
      const request = await insertApprovedRequest(world, [configMapIn("zz-slow", "s")]);
      const leaseOf = async () =>
        (await getPrisma().applyRun.findUniqueOrThrow({ where: { id: request.runId } })).leaseUntil?.getTime() ?? 0;
      let before = 0;
      let during = 0;
      git.beforePush = async () => {
        before = await leaseOf();
        await new Promise((r) => setTimeout(r, 1_500));
        during = await leaseOf();
      };
      await handleRequestApply({ applyRunId: request.runId }, jobContext(), { heartbeatMs: 200 });
      expect(await statusOf(request.requestId)).toBe("applied");
      expect(before).toBeGreaterThan(0);
      // The lease moved on while git was waiting for the remote, not only between steps.
      expect(during).toBeGreaterThan(before);

      // Another worker claims the run while this one's push hangs: the renewal finds it lost and stops git.
      const second = await insertApprovedRequest(world, [configMapIn("zz-slow", "t")]);
      git.beforePush = async () => {
        await getPrisma().applyRun.update({ where: { id: second.runId }, data: { attempt: { increment: 1 } } });
        await new Promise((r) => setTimeout(r, 1_000));
      };
      await handleRequestApply({ applyRunId: second.runId }, jobContext(), { heartbeatMs: 200 });
      expect(await deliveries(second.requestId)).toEqual([]);
      const run = await getPrisma().applyRun.findUniqueOrThrow({ where: { id: second.runId } });
      expect(run.status).not.toBe("succeeded");
      expect(run.finishedAt).toBeNull();
    },
    SLOW,
  );

  it(
    "makes its commit again on top of someone else's push to the branch, keeping theirs",
    async () => {
      const repoUrl = git.createRepo("race");
      await kit.deliverThroughGit(repoUrl);
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
      await kit.deliverThroughGit(deadUrl);
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
      await kit.deliverThroughGit(repoUrl);
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
      await kit.deliverThroughGit(repoUrl, { repo: "acme/deploy", apiUrl: github.url });
      const { requestId, number } = await kit.approveAndDeliver([configMapIn("zz-rev", "d")]);
      const applyPr = (await deliveries(requestId))[0]?.prNumber;
      expect(applyPr).toEqual(expect.any(Number));
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
      // Its pull request is the apply's own, which now adds nothing: no second pull request, and the apply's is
      // closed on GitHub with a comment saying why, and recorded as closed on the removal.
      expect(github.pulls.at(-1)?.number).toBe(applyPr);
      const closed = github.pulls.find((p) => p.number === applyPr);
      expect(closed).toMatchObject({ closed: true, closedByApi: true, merged: false });
      expect(closed?.comments).toEqual([
        expect.stringContaining(`REQ-${number} was reverted before this pull request`),
      ]);
      expect(removal).toMatchObject({
        operation: "revert",
        branch,
        state: "committed",
        prNumber: applyPr,
        prUrl: github.pullUrl(applyPr ?? 0),
        prState: "closed",
        reason: null,
      });
      expect((await gitDeliveryStatus(requestId))?.pr).toMatchObject({ state: "closed", readError: null });
      const finished = await getPrisma().requestEvent.findFirstOrThrow({
        where: { requestId, type: "revert.succeeded" },
      });
      expect(finished.message).toContain(`closed its pull request #${applyPr}`);

      // Merged into main first: the removal goes on a revert branch from main.
      const merged = await kit.approveAndDeliver([configMapIn("zz-rev", "e")]);
      const mergedPr = (await deliveries(merged.requestId))[0]?.prNumber ?? 0;
      git.git("revert", "update-ref", "refs/heads/main", `portal/REQ-${merged.number}`);
      github.merge(mergedPr, git.git("revert", "rev-parse", "main").trim());
      await refreshGitDeliveries({ now: new Date() });
      expect((await deliveries(merged.requestId))[0]?.state).toBe("merged");
      const revert2 = await revertRequest({ actor: engineer, requestId: merged.requestId, confirmedDeletes: [] });
      await handleRequestApply({ applyRunId: revert2.applyRunId }, jobContext());
      const revertBranch = `portal/REQ-${merged.number}-revert`;
      expect(filesOn("revert", revertBranch, "clusters")).toEqual([]);
      expect(filesOn("revert", "main", "clusters")).toHaveLength(1);
      // A pull request of its own, from the revert branch into main, tracked like the apply's.
      const revertPr = github.pulls.at(-1);
      expect(revertPr?.number).not.toBe(mergedPr);
      expect(revertPr?.body).toMatchObject({
        head: revertBranch,
        base: "main",
        title: `Revert REQ-${merged.number}: fixture`,
      });
      const removal2 = (await deliveries(merged.requestId)).at(-1);
      expect(removal2).toMatchObject({
        operation: "revert",
        branch: revertBranch,
        state: "pr_open",
        prNumber: revertPr?.number,
        prUrl: github.pullUrl(revertPr?.number ?? 0),
        prState: "open",
      });
      const shown = await gitDeliveryStatus(merged.requestId);
      expect(shown).toMatchObject({ operation: "revert", prNumber: revertPr?.number, pr: { state: "open" } });
    },
    SLOW,
  );

  it(
    "shows synced at the commit once the cluster's Argo CD Application reports that revision",
    async () => {
      const repoUrl = git.createRepo("synced");
      await kit.deliverThroughGit(repoUrl);
      await getPrisma().clusterTarget.update({
        where: { id: world.sandboxId },
        data: { gitSyncRef: "argocd:argocd/ml-platform" },
      });
      const { requestId } = await kit.approveAndDeliver([configMapIn("zz-sync", "f")]);
      const sha = (await deliveries(requestId))[0]?.commitSha ?? "";
      const application = (revision: string, status: string) =>
        world.double.state.putSystemObject({
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Application",
          metadata: { name: "ml-platform", namespace: "argocd" },
          spec: { source: { repoURL: repoUrl, path: "clusters/sandbox" } },
          status: { sync: { status, revision }, health: { status: "Healthy" } },
        });

      // Read right after the delivery, before the Application existed: stored with why.
      expect((await gitDeliveryStatus(requestId))?.sync).toMatchObject({
        state: "unknown",
        message: "Application argocd/ml-platform does not exist in sandbox",
      });

      application("0".repeat(40), "Synced");
      const first = new Date("2026-12-07T12:00:00Z");
      await refreshGitDeliveries({ now: first });
      expect((await gitDeliveryStatus(requestId))?.sync).toMatchObject({ state: "pending", checkedAt: first });
      expect((await gitDeliveryStatus(requestId))?.state).toBe("committed");

      // The page shows what the worker stored: the Application moving is not seen until the next read.
      application(sha, "Synced");
      expect((await gitDeliveryStatus(requestId))?.sync?.state).toBe("pending");

      // A cluster that cannot be read: stored with the reason, the page still loads.
      const sandbox = await getPrisma().clusterTarget.findUniqueOrThrow({ where: { id: world.sandboxId } });
      await getPrisma().clusterTarget.update({
        where: { id: world.sandboxId },
        data: { credentialRef: "no-such-context" },
      });
      const broken = new Date("2026-12-07T12:01:00Z");
      try {
        await refreshGitDeliveries({ now: broken });
      } finally {
        await getPrisma().clusterTarget.update({
          where: { id: world.sandboxId },
          data: { credentialRef: sandbox.credentialRef },
        });
      }
      const unreadable = await gitDeliveryStatus(requestId);
      expect(unreadable?.sync).toMatchObject({ state: "unknown", checkedAt: broken });
      expect(unreadable?.sync?.message).toContain("no-such-context");
      expect(unreadable?.state).toBe("committed");

      const later = new Date("2026-12-07T12:02:00Z");
      await refreshGitDeliveries({ now: later });
      const shown = await gitDeliveryStatus(requestId);
      expect(shown?.state).toBe("synced");
      expect(shown?.sync?.message).toBe(`synced at ${sha.slice(0, 12)} (Application argocd/ml-platform)`);
      expect(shown?.sync?.health).toBe("Healthy");
      expect(shown?.sync?.checkedAt).toEqual(later);
    },
    SLOW,
  );

  it(
    "reverts a request the way it was delivered when the cluster's delivery mode changed since",
    async () => {
      const prisma = getPrisma();
      const repoUrl = git.createRepo("switched");
      const engineer = await world.user("engineer@demo.local");
      const configMapLive = (name: string) =>
        world.double.state.get(world.double.state.findByKind("v1", "ConfigMap")!, "ml-inference", name) !== undefined;

      // Applied directly, then the cluster moves to Git: the revert deletes on the cluster, committing nothing.
      await prisma.clusterTarget.update({ where: { id: world.sandboxId }, data: { deliveryMode: "direct" } });
      const direct = await kit.approveAndDeliver([configMapIn("ml-inference", "zz-was-direct")]);
      expect(await statusOf(direct.requestId)).toBe("applied");
      expect(configMapLive("zz-was-direct")).toBe(true);
      await kit.deliverThroughGit(repoUrl);
      // The page offers the revert that lists the objects to delete, not the git one.
      expect((await getRequestDetail({ actor: engineer, id: direct.requestId }))?.permissions).toMatchObject({
        revert: true,
        gitRevert: false,
      });
      const directRun = await revertRequest({
        actor: engineer,
        requestId: direct.requestId,
        confirmedDeletes: await deletesShown(engineer, direct.requestId, 1),
      });
      await handleRequestApply({ applyRunId: directRun.applyRunId }, jobContext());
      expect(await statusOf(direct.requestId)).toBe("reverted");
      expect(configMapLive("zz-was-direct")).toBe(false);
      expect(await deliveries(direct.requestId)).toEqual([]);

      // Delivered through Git, then the cluster moves to direct: the removal is still committed, as Argo CD / Flux
      // would put back objects deleted on the cluster.
      const viaGit = await kit.approveAndDeliver([configMapIn("zz-was-git", "g")]);
      const branch = `portal/REQ-${viaGit.number}`;
      expect(filesOn("switched", branch, "clusters")).toHaveLength(1);
      // The remote is down at first: the removal fails, and Retry still goes through Git.
      await prisma.clusterTarget.update({
        where: { id: world.sandboxId },
        data: { deliveryMode: "direct", gitRepoUrl: "http://127.0.0.1:9/down.git" },
      });
      expect((await getRequestDetail({ actor: engineer, id: viaGit.requestId }))?.permissions.gitRevert).toBe(true);
      const gitRun = await revertRequest({ actor: engineer, requestId: viaGit.requestId, confirmedDeletes: [] });
      await handleRequestApply({ applyRunId: gitRun.applyRunId }, jobContext());
      expect(await statusOf(viaGit.requestId)).toBe("apply_failed");
      expect((await deliveries(viaGit.requestId)).at(-1)).toMatchObject({ operation: "revert", state: "failed" });
      expect((await getRequestDetail({ actor: engineer, id: viaGit.requestId }))?.permissions.retryDelivery).toBe(true);
      await prisma.clusterTarget.update({ where: { id: world.sandboxId }, data: { gitRepoUrl: repoUrl } });
      const retried = await retryDelivery({ actor: engineer, requestId: viaGit.requestId });
      await handleRequestApply({ applyRunId: retried.applyRunId }, jobContext());
      expect(await statusOf(viaGit.requestId)).toBe("reverted");
      expect(filesOn("switched", branch, "clusters")).toEqual([]);
      expect((await deliveries(viaGit.requestId)).map((d) => d.operation)).toEqual(["apply", "revert", "revert"]);
    },
    SLOW,
  );

  it(
    "shows synced once the synced revision contains the delivered commit, asking git or GitHub",
    async () => {
      const application = (repoUrl: string, revision: string) =>
        world.double.state.putSystemObject({
          apiVersion: "argoproj.io/v1alpha1",
          kind: "Application",
          metadata: { name: "ml-platform", namespace: "argocd" },
          spec: { source: { repoURL: repoUrl, path: "clusters/sandbox" } },
          status: { sync: { status: "Synced", revision }, health: { status: "Healthy" } },
        });
      // Merged as a fast-forward, then someone else's commit lands on main before Argo CD reads it.
      const mergedThenMovedOn = (repo: string, number: number) => {
        const delivered = git.git(repo, "rev-parse", `portal/REQ-${number}`).trim();
        git.git(repo, "update-ref", "refs/heads/main", delivered);
        const later = git
          .git(
            repo,
            "-c",
            "user.name=Other",
            "-c",
            "user.email=other@example.com",
            "commit-tree",
            `${delivered}^{tree}`,
            "-p",
            delivered,
            "-m",
            "Someone else's change",
          )
          .trim();
        git.git(repo, "update-ref", "refs/heads/main", later);
        return { delivered, later };
      };

      // Plain git: the portal fetches the repository and asks git whether the revision holds the commit.
      const plainUrl = git.createRepo("ancestry");
      const before = git.git("ancestry", "rev-parse", "main").trim();
      await kit.deliverThroughGit(plainUrl);
      await getPrisma().clusterTarget.update({
        where: { id: world.sandboxId },
        data: { gitSyncRef: "argocd:argocd/ml-platform" },
      });
      const plain = await kit.approveAndDeliver([configMapIn("zz-anc", "a")]);
      const { delivered, later } = mergedThenMovedOn("ancestry", plain.number);
      application(plainUrl, before); // synced at a commit older than the delivery: not synced
      await refreshGitDeliveries({ now: new Date() });
      expect((await gitDeliveryStatus(plain.requestId))?.state).toBe("committed");
      application(plainUrl, later);
      await refreshGitDeliveries({ now: new Date() });
      const shown = await gitDeliveryStatus(plain.requestId);
      expect(shown?.state).toBe("synced");
      expect(shown?.sync?.message).toBe(
        `synced at ${later.slice(0, 12)}, which contains ${delivered.slice(0, 12)} (Application argocd/ml-platform)`,
      );

      // GitHub: its comparison of the merge commit with the synced revision answers, from the repository's history.
      const hubUrl = git.createRepo("ancestry-gh");
      await kit.deliverThroughGit(hubUrl, { repo: "acme/deploy", apiUrl: github.url });
      const hub = await kit.approveAndDeliver([configMapIn("zz-anc", "b")]);
      const pr = (await deliveries(hub.requestId))[0]?.prNumber ?? 0;
      const onHub = mergedThenMovedOn("ancestry-gh", hub.number);
      github.merge(pr, onHub.delivered);
      application(hubUrl, onHub.later);
      await refreshGitDeliveries({ now: new Date() }); // the double knows no commit yet: a 404, not synced
      expect((await gitDeliveryStatus(hub.requestId))?.state).toBe("merged");
      github.compare = (base, head) => {
        if (base === head) return "identical";
        try {
          git.git("ancestry-gh", "merge-base", "--is-ancestor", base, head);
          return "ahead";
        } catch {
          return "diverged";
        }
      };
      try {
        await refreshGitDeliveries({ now: new Date() });
      } finally {
        github.compare = null;
      }
      expect((await gitDeliveryStatus(hub.requestId))?.state).toBe("synced");
      expect(github.requests).toContain(`GET /repos/acme/deploy/compare/${onHub.delivered}...${onHub.later}`);
    },
    SLOW,
  );
});
