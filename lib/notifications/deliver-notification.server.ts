import "server-only";
import { SealedSecretError } from "@/lib/crypto/secret-box";
import { getPrisma } from "@/lib/db/prisma.server";
import { enqueueJob } from "@/lib/jobs/queue.server";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { nextStep } from "./delivery-policy";
import { notificationSchema } from "./events";
import { notificationConfig, type NotificationConfig } from "./notification-config.server";
import { sendNotification, type SendResult } from "./send-notification.server";
import { readSigningSecret } from "./signing-secret.server";

export type AttemptOutcome =
  | { status: "delivered"; attempt: number }
  | { status: "retrying"; attempt: number; nextAttemptAt: Date; error: string }
  | { status: "failed"; attempt: number; error: string }
  | { status: "skipped"; reason: string };

/**
 * One attempt at a delivery: claims the attempt (so a duplicate job for the same attempt does nothing), sends, and
 * records the outcome in the delivery log. A failure the policy retries schedules the next attempt as a new job in
 * the same transaction as the log entry.
 */
export async function attemptDelivery(o: {
  deliveryId: string;
  now: Date;
  config?: NotificationConfig;
}): Promise<AttemptOutcome> {
  const db = getPrisma();
  const config = o.config ?? notificationConfig();
  const delivery = await db.notificationDelivery.findUnique({
    where: { id: o.deliveryId },
    include: { subscription: true },
  });
  if (!delivery) return { status: "skipped", reason: "the delivery no longer exists (its subscription was deleted)" };
  if (delivery.status === "delivered" || delivery.status === "failed")
    return { status: "skipped", reason: `already ${delivery.status}` };
  if (delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() > o.now.getTime() + 1000)
    return { status: "skipped", reason: "not due yet" };
  const attempt = delivery.attempts + 1;
  const claimed = await db.notificationDelivery.updateMany({
    where: { id: delivery.id, attempts: delivery.attempts, status: { in: ["pending", "retrying"] } },
    data: { attempts: attempt, lastAttemptAt: o.now },
  });
  if (claimed.count === 0) return { status: "skipped", reason: "another worker took this attempt" };

  const parsed = notificationSchema.safeParse(delivery.payload);
  const secret = await readSigningSecret(db, delivery.subscription).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => {
      if (error instanceof SealedSecretError) return { ok: false as const, message: error.message };
      throw error;
    },
  );
  const result: SendResult = !secret.ok
    ? {
        ok: false,
        error: `the signing secret cannot be read (${secret.message}): PORTAL_SECRET_KEY or NEXTAUTH_SECRET changed since it was stored; create the subscription again`,
        retryable: false,
      }
    : parsed.success
      ? await sendNotification({
          destination: { ...delivery.subscription, signingSecret: secret.value },
          notification: parsed.data,
          deliveryId: delivery.id,
          config,
          allow: await readUrlAllowList(db),
        })
      : {
          ok: false,
          error: `the stored notification is unreadable: ${parsed.error.issues[0]?.message ?? "invalid"}`,
          retryable: false,
        };

  const step = nextStep({
    ok: result.ok,
    attempt: result.ok || result.retryable ? attempt : delivery.maxAttempts,
    maxAttempts: delivery.maxAttempts,
    now: o.now,
    baseSeconds: config.retryBaseSeconds,
  });
  const error = result.ok
    ? null
    : result.retryable
      ? result.error
      : `${result.error} (not retried: the receiver refuses the request as sent; fix the receiver, then Send test)`;
  await db.$transaction(async (tx) => {
    await tx.notificationDelivery.update({
      where: { id: delivery.id },
      data: {
        status: step.status,
        lastError: error,
        lastStatusCode: result.statusCode ?? null,
        nextAttemptAt: step.status === "retrying" ? step.at : null,
        deliveredAt: step.status === "delivered" ? o.now : null,
      },
    });
    if (step.status === "retrying")
      await enqueueJob("notification.deliver", { deliveryId: delivery.id }, { tx, startAfter: step.at });
  });
  if (step.status === "delivered") return { status: "delivered", attempt };
  if (step.status === "retrying") return { status: "retrying", attempt, nextAttemptAt: step.at, error: error ?? "" };
  return { status: "failed", attempt, error: error ?? "" };
}
