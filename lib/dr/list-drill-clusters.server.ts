import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import type { DrillCluster } from "./views";

/** Cluster targets a drill can be started against, with the namespaces they protect. */
export async function listDrillClusters({
  actor,
  traceId,
}: {
  actor: PortalUser;
  traceId?: string;
}): Promise<DrillCluster[]> {
  await authorize(actor, "drill.read", {}, traceId);
  return getPrisma().clusterTarget.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, isSandbox: true, protectedNamespaces: true },
  });
}
