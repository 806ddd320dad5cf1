import { route } from "@/lib/http/route.server";
import { createSubscriptionSchema } from "@/lib/notifications/schema";
import { createSubscription, listSubscriptions } from "@/lib/notifications/subscriptions.server";

// GET /api/v1/notifications/subscriptions: the caller's own and their teams' subscriptions (an admin: all). No secrets.
export const GET = route({ action: "notification.manage" }, async ({ user }) => ({
  items: await listSubscriptions(user),
}));

// POST /api/v1/notifications/subscriptions: subscribe the caller (or, with teamId, a team of theirs) to events. A
// webhook's signing secret is in this response only.
export const POST = route(
  { action: "notification.manage", body: createSubscriptionSchema },
  async ({ user, body, requestId }) =>
    Response.json(await createSubscription(user, body, requestId), {
      status: 201,
      headers: { "cache-control": "no-store" },
    }),
);
