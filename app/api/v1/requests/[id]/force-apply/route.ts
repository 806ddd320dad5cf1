import { route } from "@/lib/http/route.server";
import { applyRunStartedResponse, forceApplySchema, requestIdParams } from "@/lib/requests/schema";
import { forceApplyRequest } from "@/lib/requests/force-apply-request.server";

// POST /api/v1/requests/{id}/force-apply: admins re-apply taking over conflicting fields; the reason is audited.
export const POST = route(
  { action: "request.force-apply", response: applyRunStartedResponse, params: requestIdParams, body: forceApplySchema },
  ({ user, params, body, traceId }) =>
    forceApplyRequest({ actor: user, requestId: params.id, reason: body.reason, traceId }),
);
