import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";

/**
 * Registered cluster targets with their delivery settings (never credentials, only their reference), sandboxes
 * first: the Clusters page, the request form's cluster choice and GET /api/v1/clusters read the same rows.
 */
export async function listClusters({ actor, traceId }: { actor: PortalUser; traceId?: string }) {
  await authorize(actor, "cluster.read", {}, traceId);
  return getPrisma().clusterTarget.findMany({
    orderBy: [{ isSandbox: "desc" }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      apiServer: true,
      credentialRef: true,
      isSandbox: true,
      protectedNamespaces: true,
      createdAt: true,
      deliveryMode: true,
      gitRepoUrl: true,
      gitBaseBranch: true,
      gitPath: true,
      gitHubRepo: true,
      gitHubApiUrl: true,
      gitCredentialRef: true,
      gitSyncRef: true,
    },
  });
}
