import { route } from "@/lib/http/route.server";
import { applyRunStartedResponse, requestIdParams } from "@/lib/requests/schema";
import { retryDelivery } from "@/lib/requests/retry-delivery.server";

// POST /api/v1/requests/{id}/retry-delivery: queue a failed git delivery (or removal) again.
export const POST = route(
  { action: "request.revert", response: applyRunStartedResponse, params: requestIdParams },
  ({ user, params, traceId }) => retryDelivery({ actor: user, requestId: params.id, traceId }),
);
