import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { conflict, DomainError } from "@/lib/errors/domain-error";
import { loadVisibleRequest, type RequestOperationInput } from "./load-visible-request.server";
import { gitDeliveryStatus } from "./git-delivery-status.server";
import { refreshGitDelivery } from "./refresh-git-deliveries.server";

/**
 * A delivery read less than this long ago (by this button or the gitops.refresh job) is not read again: each read
 * calls GitHub and the cluster's API, and GitHub's rate limit is shared by every delivery the portal follows.
 */
export const CHECK_AGAIN_AFTER_MS = 10_000;

/**
 * "Check now" on a git-mode request: reads its latest delivery's pull request and Argo CD / Flux sync at once, as
 * the gitops.refresh job does every minute, and returns what was stored. Anyone who may read the request may ask.
 */
export async function refreshDelivery({ actor, requestId, traceId, now }: RequestOperationInput & { now: Date }) {
  const request = await loadVisibleRequest(actor, requestId, traceId);
  const delivery = await getPrisma().gitDelivery.findFirst({
    where: { requestId: request.id },
    orderBy: { createdAt: "desc" },
  });
  const name = `REQ-${request.number}`;
  if (!delivery)
    throw conflict(
      request.clusterTarget?.deliveryMode === "git"
        ? `${name} has not been delivered to Git yet: there is no commit to check`
        : `${name} is applied directly to its cluster: it has no git delivery to check`,
    );
  if (delivery.state === "failed" || !delivery.commitSha)
    throw conflict(`${name}'s last git delivery failed: Retry delivery first, there is nothing pushed to check`);
  const cluster = request.clusterTarget;
  const followsPr = !!cluster?.gitHubRepo && delivery.prNumber !== null;
  if (!followsPr && !cluster?.gitSyncRef)
    throw conflict(
      `${name}'s delivery has no pull request and its cluster names no Argo CD / Flux object (gitSyncRef): there is nothing to check`,
    );
  // updatedAt moves with every read and every check's claim below, so it is the last time anyone looked.
  const lastRead = Math.max(
    delivery.prCheckedAt?.getTime() ?? 0,
    delivery.syncCheckedAt?.getTime() ?? 0,
    delivery.updatedAt.getTime(),
  );
  const tooSoon = (waitMs: number) =>
    new DomainError(
      "rate_limited",
      `${name}'s delivery was read ${Math.max(0, Math.round((now.getTime() - lastRead) / 1000))} s ago: check again in ${Math.ceil(waitMs / 1000)} s`,
    );
  const waitMs = lastRead + CHECK_AGAIN_AFTER_MS - now.getTime();
  if (waitMs > 0) throw tooSoon(waitMs);
  // Claimed only if nobody touched the row since it was read: of checks pressed at the same moment, one reads.
  const claimed = await getPrisma().gitDelivery.updateMany({
    where: { id: delivery.id, updatedAt: delivery.updatedAt },
    data: { updatedAt: now },
  });
  if (claimed.count === 0) throw tooSoon(CHECK_AGAIN_AFTER_MS);
  await refreshGitDelivery({ deliveryId: delivery.id, now });
  const shown = await gitDeliveryStatus(request.id);
  if (!shown) throw conflict(`${name} has no git delivery to check`);
  return shown;
}
