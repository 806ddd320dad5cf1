import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { authorize } from "@/lib/auth/authorize.server";
import { conflict } from "@/lib/errors/domain-error";
import { clusterOf, loadVisibleRequest, type RequestOperationInput } from "./load-visible-request.server";
import { queueRun } from "./queue-run.server";
import { runMode } from "./delivery-mode.server";

/**
 * Retry of a failed git delivery: queues the same operation as the run that failed; the files are rendered from the
 * stored plan again, so a retry delivers exactly what was approved.
 */
export async function retryDelivery({ actor: user, requestId: id, traceId }: RequestOperationInput) {
  const request = await loadVisibleRequest(user, id, traceId);
  await authorize(user, "request.revert", { teamId: request.teamId }, traceId);
  clusterOf(request);
  const last = await getPrisma().applyRun.findFirst({
    where: { requestId: id },
    orderBy: { createdAt: "desc" },
    select: { operation: true },
  });
  const operation = last?.operation ?? "apply";
  // A failed git removal is retried through Git even after the cluster went direct (delivery-mode.server.ts).
  if ((await runMode(getPrisma(), request, operation)) !== "git")
    throw conflict(`REQ-${request.number} is applied directly to its cluster: only a git delivery is retried here`);
  return queueRun(
    user,
    request,
    {
      operation,
      action: "request.retry-delivery",
      message: `${user.name} retried the git ${operation === "revert" ? "removal" : "delivery"}`,
      refuse: (r) =>
        r.status === "apply_failed"
          ? null
          : `REQ-${r.number} is ${r.status.replace(/_/g, " ")}: only a failed delivery can be retried`,
    },
    traceId,
  );
}
