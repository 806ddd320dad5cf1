import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import { loadVisibleRequest, type RequestOperationInput } from "./load-visible-request.server";
import { onlyFailedApply, queueRun } from "./queue-run.server";

/** Admin only: apply again taking ownership of conflicting fields. Audited with the reason. */
export async function forceApplyRequest({
  actor: user,
  requestId: id,
  reason,
  traceId,
}: RequestOperationInput & { reason: string }) {
  const request = await loadVisibleRequest(user, id, traceId);
  await authorize(user, "request.force-apply", {}, traceId);
  return queueRun(
    user,
    request,
    {
      operation: "apply",
      force: true,
      forceReason: reason,
      action: "request.force-apply",
      message: `${user.name} forced a re-apply: ${reason}`,
      refuse: onlyFailedApply,
    },
    traceId,
  );
}
