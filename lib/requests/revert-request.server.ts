import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { authorize } from "@/lib/auth/authorize.server";
import { conflict, DomainError } from "@/lib/errors/domain-error";
import { describeRef, type ObjectRef } from "@/lib/k8s/object-ref";
import { nothingToRevert, planRevert } from "./revert-plan.server";
import { stillAppliedReason } from "./still-applied-by";
import { confirmationChangedMessage, differenceFromPlan } from "./confirmed-deletes";
import { confirmationRef } from "./revert-confirmation";
import { loadVisibleRequest, type RequestOperationInput } from "./load-visible-request.server";
import { onlyApplied, queueRun, refuseUnlessQueueable } from "./queue-run.server";
import { runMode } from "./delivery-mode.server";

/**
 * Deletes what the request created (or inherited from its creators' reverts) and no other request still applies.
 * `confirmedDeletes` is the list the dialog showed as to be deleted (planRevert, the same answer the revert job acts
 * on): it must be the plan's delete list now, object for object (objectKey), or the person confirmed something else
 * and gets a 409 naming the difference. The list is stored with the queued event: the job deletes only what is both in
 * it and in its own plan when it runs (confirmed-deletes.ts), as other reverts may have finished in between.
 */
export async function revertRequest({
  actor: user,
  requestId: id,
  confirmedDeletes,
  traceId,
}: RequestOperationInput & { confirmedDeletes: readonly ObjectRef[] }) {
  const request = await loadVisibleRequest(user, id, traceId);
  await authorize(user, "request.revert", { teamId: request.teamId }, traceId);
  await refuseUnlessQueueable(getPrisma(), request, onlyApplied); // answered early; checked again with the row locked
  // A request delivered through Git is reverted by committing the removal of its folder (the reconciler deletes what
  // it applied), even if the cluster has since switched to direct; one applied directly is deleted directly.
  if ((await runMode(getPrisma(), request, "revert")) === "git") {
    if (!request.clusterTarget?.gitRepoUrl)
      throw conflict(
        `REQ-${request.number} was delivered through Git, but its cluster names no gitRepoUrl any more: set the cluster's repository again to revert it (deleting on the cluster would be undone by Argo CD / Flux)`,
      );
    return queueRun(
      user,
      request,
      {
        operation: "revert",
        action: "request.revert",
        message: `${user.name} started a revert: the removal of the request's files is committed to Git`,
        refuse: onlyApplied,
      },
      traceId,
    );
  }
  // Only what the request created is deleted: objects that existed before it (a shared namespace) stay, and so do
  // those another request still applies. A revert that only leaves objects in place is allowed: it ends this
  // request's own hold on them, so the last holder's revert deletes them. Objects whose creators' reverts left them
  // to this request are its to delete.
  const plan = await planRevert(getPrisma(), request);
  const nothing = nothingToRevert(plan);
  if (nothing) throw conflict(`REQ-${request.number} has nothing to revert: ${nothing}`);
  const difference = differenceFromPlan(plan.toDelete, confirmedDeletes);
  if (difference)
    throw new DomainError("confirmation_changed", confirmationChangedMessage(difference, plan), [
      {
        path: "confirmedDeletes",
        message: "must be the objects the revert deletes now: reload the plan and confirm again",
      },
    ]);
  const count = plan.toDelete.length;
  const kept = plan.leftInPlace.length
    ? ` (${plan.leftInPlace.length} ${count ? "more " : ""}stay: ${plan.leftInPlace.map((l) => `${describeRef(l.ref)} ${stillAppliedReason(l.stillAppliedBy)}`).join(", ")})`
    : "";
  const confirmed = confirmedDeletes.map(confirmationRef); // what the person confirmed, as they confirmed it
  return queueRun(
    user,
    request,
    {
      operation: "revert",
      action: "request.revert",
      message: `${user.name} started a revert of ${count} objects${kept}`,
      refuse: onlyApplied,
      eventData: { confirmedDeletes: confirmed },
    },
    traceId,
  );
}
