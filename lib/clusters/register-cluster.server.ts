import "server-only";
import { z } from "zod";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/http/errors";
import { checkClusterAccessible, checkGpuQuota } from "@/lib/k8s/preconditions.server";
import { Prisma } from "@/lib/generated/prisma/client";
import type { clusterTargetSchema } from "@/lib/requests/schema";
import { clientForCluster } from "./cluster-client.server";

/** Registers a cluster target. Only a reference to credentials is stored: they stay in the server's configuration. */
export async function registerCluster(user: PortalUser, input: z.output<typeof clusterTargetSchema>, traceId?: string) {
  try {
    return await getPrisma().$transaction(async (tx) => {
      const created = await tx.clusterTarget.create({ data: { name: input.name, apiServer: input.apiServer, credentialRef: input.credentialRef, protectedNamespaces: input.protectedNamespaces } });
      await recordAudit(tx, { actor: user, action: "cluster.register", targetType: "cluster", targetId: created.id, outcome: "success", traceId, details: { name: input.name, apiServer: input.apiServer, credentialRef: input.credentialRef } });
      return { id: created.id, name: created.name };
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw conflict(`a cluster named "${input.name}" is already registered: pick another name`);
    throw error;
  }
}

export async function listClusters() {
  return getPrisma().clusterTarget.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, apiServer: true, credentialRef: true, isSandbox: true, protectedNamespaces: true, createdAt: true } });
}

/** Pre-conditions of an apply against this cluster, on demand: reachable, credentials accepted, GPU quotas. */
export async function checkCluster(id: string) {
  const cluster = await getPrisma().clusterTarget.findUnique({ where: { id } });
  if (!cluster) throw notFound("The cluster");
  const made = clientForCluster(cluster);
  if (!made.ok) return { accessible: false, message: made.message };
  const access = await checkClusterAccessible(made.client);
  if (!access.ok) return { accessible: false, message: access.message };
  const quota = await checkGpuQuota(made.client, [{ namespace: "ml-inference", gpus: 0 }, { namespace: "ml-training", gpus: 0 }]);
  return { accessible: true, message: `${cluster.name} answers at ${cluster.apiServer} and accepts the portal's credentials`, gpuQuota: "namespaces" in quota ? quota.namespaces : [] };
}
