import { route } from "@/lib/http/route.server";
import { deliveriesQuery, deliveryListResponse } from "@/lib/notifications/schema";
import { listDeliveries } from "@/lib/notifications/list-deliveries.server";

// GET /api/v1/notifications/deliveries: the delivery log (status, attempts, last error) of the subscriptions the caller sees.
export const GET = route(
  { action: "notification.manage", response: deliveryListResponse, query: deliveriesQuery },
  async ({ user, query, traceId }) => listDeliveries({ actor: user, query, traceId }),
);
