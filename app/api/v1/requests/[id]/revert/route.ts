import { route } from "@/lib/http/route.server";
import { applyRunStartedResponse, requestIdParams, revertSchema } from "@/lib/requests/schema";
import { revertRequest } from "@/lib/requests/revert-request.server";

// POST /api/v1/requests/{id}/revert { confirmedDeletes: [{ apiVersion, kind, namespace?, name }] }: delete what the
// request created or inherited, and leave for other requests what they still apply, after a confirmation listing the
// objects to delete (it may list none). 409 when there is nothing to revert, or when the objects to delete are no
// longer the confirmed ones (naming the difference); 422 naming the field when the list is missing or malformed.
export const POST = route(
  { action: "request.revert", response: applyRunStartedResponse, params: requestIdParams, body: revertSchema },
  ({ user, params, body, traceId }) =>
    revertRequest({ actor: user, requestId: params.id, confirmedDeletes: body.confirmedDeletes, traceId }),
);
