// What the git-delivery integration tests share: a request world (fresh database, Kubernetes API double), a real Git
// server (git http-backend on 127.0.0.1), the GitHub API double for acme/deploy, 127.0.0.1 on the URL allow-list, and
// the two steps every test takes: point the sandbox cluster at a repository, and approve and deliver a request.
import { getPrisma } from "@/lib/db/prisma.server";
import { addToUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { handleRequestApply } from "@/lib/requests/apply-request-job.server";
import { startGitHubApiDouble, type GitHubApiDouble } from "./github-api-double";
import { startGitHttpServer, type GitHttpServer } from "./git-http-server";
import { jobContext, numberOf } from "./revert-kit";
import { insertApprovedRequest, startRequestWorld, type RequestWorld } from "./request-fixtures";

const GITHUB_REPO = "acme/deploy";

export interface GitDeliveryKit {
  world: RequestWorld;
  git: GitHttpServer;
  github: GitHubApiDouble;
  /** Delivers the sandbox cluster's requests to `repoUrl` (main, folder clusters), through GitHub when given. */
  deliverThroughGit(repoUrl: string, github?: { repo: string; apiUrl: string } | null): Promise<void>;
  /** A request of `objects`, approved by the demo admin and applied (so delivered) by the apply job. */
  approveAndDeliver(
    objects: Parameters<typeof insertApprovedRequest>[1],
  ): Promise<Awaited<ReturnType<typeof insertApprovedRequest>> & { number: number }>;
  close(): Promise<void>;
}

export async function startGitDeliveryKit(): Promise<GitDeliveryKit> {
  const world = await startRequestWorld();
  const git = await startGitHttpServer();
  const github = await startGitHubApiDouble(GITHUB_REPO);
  await addToUrlAllowList(getPrisma(), ["127.0.0.1:*"]);
  return {
    world,
    git,
    github,
    async deliverThroughGit(repoUrl, viaGitHub = null) {
      await getPrisma().clusterTarget.update({
        where: { id: world.sandboxId },
        data: {
          deliveryMode: "git",
          gitRepoUrl: repoUrl,
          gitBaseBranch: "main",
          gitPath: "clusters",
          gitHubRepo: viaGitHub?.repo ?? null,
          gitHubApiUrl: viaGitHub?.apiUrl ?? null,
        },
      });
    },
    async approveAndDeliver(objects) {
      const request = await insertApprovedRequest(world, objects);
      const approver = await world.user("admin@demo.local");
      await getPrisma().approval.create({
        data: { requestId: request.requestId, approverId: approver.id, decision: "approved", comment: "ok" },
      });
      await handleRequestApply({ applyRunId: request.runId }, jobContext());
      return { ...request, number: await numberOf(request.requestId) };
    },
    async close() {
      await github.close();
      await git.close();
      await world.close();
    },
  };
}
