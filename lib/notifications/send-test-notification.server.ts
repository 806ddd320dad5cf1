import "server-only";
import { randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { notFound } from "@/lib/errors/domain-error";
import { enqueueJob } from "@/lib/jobs/queue.server";
import { MAX_DELIVERY_ATTEMPTS } from "./delivery-policy";
import type { Notification } from "./events";
import { listDeliveries } from "./list-deliveries.server";
import type { DeliveryView } from "./schema";
import { findVisible } from "./subscription-view.server";

/** Queues a test notification to one subscription through the worker, exactly like a real one; the log shows it. */
export async function sendTestNotification({
  actor: user,
  subscriptionId: id,
  traceId,
  now = new Date(),
}: {
  actor: PortalUser;
  subscriptionId: string;
  traceId?: string;
  now?: Date;
}): Promise<DeliveryView> {
  await authorize(user, "notification.manage", {}, traceId);
  const db = getPrisma();
  const row = await findVisible(db, user, id);
  if (!row) throw notFound("The notification subscription");
  const notification: Notification = {
    eventId: randomUUID(),
    event: "test",
    teamId: row.teamId,
    title: `test of "${row.name}" sent by ${user.name}`,
    summary: `${user.name} sent this test from the portal's Notifications page. Real notifications of this subscription look the same.`,
    path: "/notifications",
    occurredAt: now.toISOString(),
    data: {},
  };
  const deliveryId = await db.$transaction(async (tx) => {
    const delivery = await tx.notificationDelivery.create({
      data: {
        subscriptionId: row.id,
        eventId: notification.eventId,
        event: "test",
        payload: notification as object,
        maxAttempts: MAX_DELIVERY_ATTEMPTS,
      },
    });
    await enqueueJob("notification.deliver", { deliveryId: delivery.id }, { tx });
    await recordAudit(tx, {
      actor: user,
      action: "notification.test",
      targetType: "notification-subscription",
      targetId: row.id,
      outcome: "success",
      traceId,
      details: { deliveryId: delivery.id },
    });
    return delivery.id;
  });
  return (await listDeliveries({ actor: user, query: { subscriptionId: row.id, page: 1 }, traceId })).items.find(
    (d) => d.id === deliveryId,
  )!;
}
