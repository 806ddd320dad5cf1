import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { findClusterTarget } from "./cluster-live-view.server";

/** One registered cluster (never its credentials), or null when there is no such cluster: the cluster page's header. */
export async function getCluster({
  actor,
  clusterId,
  traceId,
}: {
  actor: PortalUser;
  clusterId: string;
  traceId?: string;
}) {
  await authorize(actor, "cluster.read", {}, traceId);
  return findClusterTarget(clusterId);
}
