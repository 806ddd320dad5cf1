import "server-only";
// What the request page shows of a git-mode delivery: the latest commit, branch and pull request, whether the pull
// request was merged, and whether the cluster's Argo CD Application or Flux Kustomization has synced it, as the
// worker last read them (refresh-git-deliveries.server.ts) and when. Nothing is read from GitHub or the cluster here.
import { getPrisma } from "@/lib/db/prisma.server";

export async function gitDeliveryStatus(requestId: string) {
  const db = getPrisma();
  const delivery = await db.gitDelivery.findFirst({
    where: { requestId },
    orderBy: { createdAt: "desc" },
    include: { request: { select: { clusterTarget: { select: { gitRepoUrl: true, gitSyncRef: true } } } } },
  });
  if (!delivery) return null;
  const cluster = delivery.request.clusterTarget;
  return {
    operation: delivery.operation,
    branch: delivery.branch,
    files: delivery.files,
    commitSha: delivery.commitSha,
    prNumber: delivery.prNumber,
    prUrl: delivery.prUrl,
    pr:
      delivery.prNumber !== null && (delivery.prState || delivery.prReadError)
        ? {
            state: delivery.prState,
            mergeSha: delivery.prMergeSha,
            mergedAt: delivery.prMergedAt,
            checkedAt: delivery.prCheckedAt,
            readError: delivery.prReadError,
          }
        : null,
    state: delivery.state,
    reason: delivery.reason,
    updatedAt: delivery.updatedAt,
    repoUrl: cluster?.gitRepoUrl ?? null,
    sync:
      delivery.syncState && delivery.syncCheckedAt
        ? {
            state: delivery.syncState,
            revision: delivery.syncRevision,
            health: delivery.syncHealth,
            message: delivery.syncMessage ?? "",
            checkedAt: delivery.syncCheckedAt,
          }
        : cluster?.gitSyncRef && delivery.commitSha && delivery.state !== "failed"
          ? { state: "unknown", revision: null, health: null, message: "not read yet", checkedAt: null }
          : null,
  };
}
