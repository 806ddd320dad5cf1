import { route } from "@/lib/http/route.server";
import { requestIdParams, revertSchema } from "@/lib/requests/schema";
import { revertRequest } from "@/lib/requests/request-operations.server";

// POST /api/v1/requests/{id}/revert: delete what the request created or inherited, and leave for other requests what
// they still apply (after a confirmation naming the objects; it may delete none). 409 when there is nothing to revert.
export const POST = route({ action: "request.revert", params: requestIdParams, body: revertSchema }, ({ user, params, body, requestId }) =>
  revertRequest(user, params.id, body.confirmObjectCount, requestId),
);
