import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { notFound } from "@/lib/errors/domain-error";
import { checkClusterAccessible, checkGpuQuota } from "@/lib/k8s/preconditions.server";
import { clientForCluster } from "./cluster-client.server";

/**
 * Pre-conditions of an apply against this cluster, on demand: reachable, credentials accepted, GPU quotas. An admin
 * action: it makes the server use the cluster's credentials.
 */
export async function checkCluster({
  actor,
  clusterId,
  traceId,
}: {
  actor: PortalUser;
  clusterId: string;
  traceId?: string;
}) {
  await authorize(actor, "cluster.manage", {}, traceId);
  const cluster = await getPrisma().clusterTarget.findUnique({ where: { id: clusterId } });
  if (!cluster) throw notFound("The cluster");
  const made = clientForCluster(cluster);
  if (!made.ok) return { accessible: false, message: made.message };
  const access = await checkClusterAccessible(made.client);
  if (!access.ok) return { accessible: false, message: access.message };
  const quota = await checkGpuQuota(made.client, [
    { namespace: "ml-inference", gpus: 0 },
    { namespace: "ml-training", gpus: 0 },
  ]);
  return {
    accessible: true,
    message: `${cluster.name} answers at ${made.client.server} and accepts the portal's credentials`,
    gpuQuota: "namespaces" in quota ? quota.namespaces : [],
  };
}
