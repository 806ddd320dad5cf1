import { z } from "zod";
import { route } from "@/lib/http/route.server";
import { subscriptionIdParams, testNotificationResponse } from "@/lib/notifications/schema";
import { sendTestNotification } from "@/lib/notifications/send-test-notification.server";

// POST /api/v1/notifications/subscriptions/{id}/test: queue a test notification; the delivery log shows how it went.
export const POST = route(
  {
    action: "notification.manage",
    response: testNotificationResponse,
    successStatus: 202,
    params: subscriptionIdParams,
    body: z.object({}).strict(),
  },
  async ({ user, params, traceId }) => ({
    delivery: await sendTestNotification({ actor: user, subscriptionId: params.id, traceId }),
  }),
);
