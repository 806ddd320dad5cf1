import "server-only";
// What the request page shows of a git-mode delivery: the latest commit, branch and pull request, and whether the
// cluster's Argo CD Application or Flux Kustomization has synced that commit, read through the cluster's own
// credentials (read-only). A cluster that cannot be read shows why; the delivery record is never changed by a read.
import { getPrisma } from "@/lib/db/prisma.server";
import { clientForCluster } from "@/lib/clusters/cluster-client.server";
import { readLiveObjects } from "@/lib/k8s/drift.server";
import { parseSyncRef, syncStatusOf, type SyncStatus } from "@/lib/gitops/sync-status";

export async function gitDeliveryStatus(requestId: string) {
  const db = getPrisma();
  const delivery = await db.gitDelivery.findFirst({ where: { requestId }, orderBy: { createdAt: "desc" } });
  if (!delivery) return null;
  const request = await db.request.findUniqueOrThrow({ where: { id: requestId }, include: { clusterTarget: true } });
  const cluster = request.clusterTarget;
  let sync: SyncStatus | null = null;
  const ref = cluster?.gitSyncRef ? parseSyncRef(cluster.gitSyncRef) : null;
  if (cluster && ref && delivery.commitSha && delivery.state !== "failed") {
    const made = clientForCluster(cluster);
    if (!made.ok) sync = { state: "unknown", revision: null, health: null, message: made.message };
    else {
      const [live] = await readLiveObjects(
        made.client,
        [{ apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace, name: ref.name }],
        { policy: { maxAttempts: 2 } },
      );
      sync =
        live?.found === true
          ? syncStatusOf(ref, live.live, delivery.commitSha)
          : {
              state: "unknown",
              revision: null,
              health: null,
              message:
                live?.found === false
                  ? `${ref.kind} ${ref.namespace}/${ref.name} does not exist in ${cluster.name}`
                  : `${ref.kind} ${ref.namespace}/${ref.name} cannot be read: ${live?.failure.message ?? "no answer"}`,
            };
    }
  }
  return {
    operation: delivery.operation,
    branch: delivery.branch,
    files: delivery.files,
    commitSha: delivery.commitSha,
    prNumber: delivery.prNumber,
    prUrl: delivery.prUrl,
    state: sync?.state === "synced" ? ("synced" as const) : delivery.state,
    reason: delivery.reason,
    updatedAt: delivery.updatedAt,
    repoUrl: cluster?.gitRepoUrl ?? null,
    sync,
  };
}
