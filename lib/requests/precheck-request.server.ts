import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { addRequestEvent } from "./request-events.server";
import { dryRunRequest } from "./dry-run-request.server";
import type { RequestOperationInput } from "./load-visible-request.server";
import { PRECHECK_EVENT, precheckMessage } from "./precheck";

/**
 * The dry-run with its pre-conditions, kept on the request's timeline: the approver sees the requester's latest
 * check next to the Approve button instead of a result that lived only in the requester's browser tab.
 */
export async function precheckRequest(input: RequestOperationInput) {
  const result = await dryRunRequest(input);
  await addRequestEvent(getPrisma(), input.requestId, {
    type: PRECHECK_EVENT,
    actorId: input.actor.id,
    message: precheckMessage(input.actor.name, result.preconditions),
    data: { preconditions: result.preconditions, objectsOk: result.ok },
  });
  return result;
}
