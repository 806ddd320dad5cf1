import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db/prisma.server";
import { enqueueJob } from "@/lib/jobs/queue.server";
import { logger } from "@/lib/observability/logger";
import { notificationSchema, type NotificationInput } from "./events";

export type RaisedNotification = Omit<NotificationInput, "eventId" | "occurredAt"> & { occurredAt?: Date };

/**
 * Raises a notification inside the transaction of the state change it reports: the fan-out job exists if and only if
 * that change commits. Never fails the caller: the enqueue runs under a savepoint, so if it fails, only the
 * notification is lost (and logged), never the operation. Delivery happens later, in the worker.
 */
export async function raiseNotification(tx: Tx, raised: RaisedNotification, now = new Date()): Promise<void> {
  const parsed = notificationSchema.safeParse({
    ...raised,
    eventId: randomUUID(),
    occurredAt: (raised.occurredAt ?? now).toISOString(),
  });
  if (!parsed.success) {
    logger.error({ event: raised.event, err: parsed.error.message }, "notification not raised: invalid notification");
    return;
  }
  await tx.$executeRawUnsafe("SAVEPOINT raise_notification");
  try {
    await enqueueJob("notification.fanout", parsed.data, { tx });
    await tx.$executeRawUnsafe("RELEASE SAVEPOINT raise_notification");
  } catch (error) {
    await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT raise_notification");
    logger.error(
      { event: raised.event, err: error instanceof Error ? error.message : String(error) },
      "notification not raised: the queue refused it",
    );
  }
}
