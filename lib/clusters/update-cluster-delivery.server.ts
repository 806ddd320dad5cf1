import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { authorize } from "@/lib/auth/authorize.server";
import { notFound } from "@/lib/errors/domain-error";
import type { DeliverySettings } from "@/lib/gitops/schema";

/** Sets how approved requests reach the cluster. Only a reference to the Git credential is stored, never a token. */
export async function updateClusterDelivery({
  actor,
  clusterId: id,
  input,
  traceId,
}: {
  actor: PortalUser;
  clusterId: string;
  input: DeliverySettings;
  traceId?: string;
}) {
  await authorize(actor, "cluster.manage", {}, traceId);
  return getPrisma().$transaction(async (tx) => {
    const before = await tx.clusterTarget.findUnique({ where: { id } });
    if (!before) throw notFound("The cluster");
    const data = {
      deliveryMode: input.deliveryMode,
      gitRepoUrl: input.gitRepoUrl ?? null,
      gitBaseBranch: input.gitBaseBranch,
      gitPath: input.gitPath,
      gitHubRepo: input.gitHubRepo ?? null,
      gitHubApiUrl: input.gitHubApiUrl ?? null,
      gitCredentialRef: input.gitCredentialRef,
      gitSyncRef: input.gitSyncRef ?? null,
    };
    await tx.clusterTarget.update({ where: { id }, data });
    await recordAudit(tx, {
      actor,
      action: "cluster.delivery.update",
      targetType: "cluster",
      targetId: id,
      outcome: "success",
      traceId,
      details: { name: before.name, from: before.deliveryMode, ...data },
    });
    return { id, name: before.name, ...data };
  });
}
