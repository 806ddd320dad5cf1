import "server-only";
import { roleFromDb } from "@/lib/auth/auth-options.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { enqueueJob } from "@/lib/jobs/queue.server";
import { logger } from "@/lib/observability/logger";
import { MAX_DELIVERY_ATTEMPTS } from "./delivery-policy";
import type { Notification } from "./events";
import { subscriptionReceives } from "./match-subscriptions";
import { attemptDelivery } from "./deliver-notification.server";

/**
 * notification.fanout: one delivery (and one deliver job) per subscription that receives the notification, in one
 * transaction. A fan-out that runs twice (a worker died after committing) creates nothing new: deliveries are unique
 * per subscription and event id.
 */
export async function handleNotificationFanout(n: Notification): Promise<void> {
  const { deliveries } = await fanOutNotification(n);
  logger.info({ event: n.event, eventId: n.eventId, deliveries }, "notification fanned out");
}

export async function fanOutNotification(n: Notification): Promise<{ deliveries: number }> {
  const db = getPrisma();
  const subscriptions = await db.notificationSubscription.findMany({
    where: { events: { has: n.event } },
    include: { owner: { include: { memberships: true } }, createdBy: { include: { memberships: true } } },
  });
  const asUser = (u: {
    id: string;
    email: string;
    name: string;
    role: keyof typeof roleFromDb;
    memberships: { teamId: string }[];
  }) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: roleFromDb[u.role],
    teamIds: u.memberships.map((m) => m.teamId),
  });
  const receiving = subscriptions.filter((s) =>
    subscriptionReceives(
      {
        id: s.id,
        events: s.events,
        teamId: s.teamId,
        owner: s.owner ? asUser(s.owner) : null,
        ownerDisabled: s.owner?.disabled ?? false,
        creator: s.createdBy.disabled ? null : asUser(s.createdBy),
      },
      n,
    ),
  );
  if (!receiving.length) return { deliveries: 0 };
  return db.$transaction(async (tx) => {
    let created = 0;
    for (const s of receiving) {
      const existing = await tx.notificationDelivery.findUnique({
        where: { subscriptionId_eventId: { subscriptionId: s.id, eventId: n.eventId } },
      });
      if (existing) continue;
      const delivery = await tx.notificationDelivery.create({
        data: {
          subscriptionId: s.id,
          eventId: n.eventId,
          event: n.event,
          payload: n as object,
          maxAttempts: MAX_DELIVERY_ATTEMPTS,
        },
      });
      await enqueueJob("notification.deliver", { deliveryId: delivery.id }, { tx });
      created++;
    }
    return { deliveries: created };
  });
}

/** notification.deliver: one attempt; a failure the policy retries is scheduled as a new job by attemptDelivery. */
export async function handleNotificationDeliver(payload: { deliveryId: string }): Promise<void> {
  const outcome = await attemptDelivery({ deliveryId: payload.deliveryId, now: new Date() });
  logger.info({ deliveryId: payload.deliveryId, ...outcome }, "notification delivery attempted");
}
