import { route } from "@/lib/http/route.server";
import {
  createSubscriptionSchema,
  subscriptionCreatedResponse,
  subscriptionListResponse,
} from "@/lib/notifications/schema";
import { createSubscription } from "@/lib/notifications/create-subscription.server";
import { listSubscriptions } from "@/lib/notifications/list-subscriptions.server";

// GET /api/v1/notifications/subscriptions: the caller's own and their teams' subscriptions (an admin: all). No secrets.
export const GET = route(
  { action: "notification.manage", response: subscriptionListResponse },
  async ({ user, traceId }) => ({
    items: await listSubscriptions({ actor: user, traceId }),
  }),
);

// POST /api/v1/notifications/subscriptions: subscribe the caller (or, with teamId, a team of theirs) to events. A
// webhook's signing secret is in this response only.
export const POST = route(
  {
    action: "notification.manage",
    response: subscriptionCreatedResponse,
    successStatus: 201,
    successHeaders: { "cache-control": "no-store" },
    body: createSubscriptionSchema,
  },
  async ({ user, body, traceId }) => createSubscription({ actor: user, input: body, traceId }),
);
