import { route } from "@/lib/http/route.server";
import { gitDeliveryView, requestIdParams } from "@/lib/requests/schema";
import { refreshDelivery } from "@/lib/requests/refresh-delivery.server";

// POST /api/v1/requests/{id}/refresh-delivery: read the git delivery's pull request and sync status now.
export const POST = route(
  { action: "request.read", response: gitDeliveryView, params: requestIdParams },
  ({ user, params, traceId }) => refreshDelivery({ actor: user, requestId: params.id, traceId, now: new Date() }),
);
