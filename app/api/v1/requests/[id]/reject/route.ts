import { route } from "@/lib/http/route.server";
import { decisionResponse, decisionSchema, requestIdParams } from "@/lib/requests/schema";
import { decideRequest } from "@/lib/requests/decide-request.server";

// POST /api/v1/requests/{id}/reject: reject a pending request with a comment.
export const POST = route(
  { action: "request.approve", response: decisionResponse, params: requestIdParams, body: decisionSchema },
  ({ user, params, body, traceId }) =>
    decideRequest({
      actor: user,
      requestId: params.id,
      decision: "rejected",
      input: { comment: body.comment },
      traceId,
    }),
);
