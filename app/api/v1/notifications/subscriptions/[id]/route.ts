import { route } from "@/lib/http/route.server";
import { subscriptionDeletedResponse, subscriptionIdParams } from "@/lib/notifications/schema";
import { deleteSubscription } from "@/lib/notifications/delete-subscription.server";

// DELETE /api/v1/notifications/subscriptions/{id}: stop a subscription; its delivery log goes with it.
export const DELETE = route(
  { action: "notification.manage", response: subscriptionDeletedResponse, params: subscriptionIdParams },
  async ({ user, params, traceId }) => deleteSubscription({ actor: user, subscriptionId: params.id, traceId }),
);
