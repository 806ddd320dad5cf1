import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma, type Db } from "@/lib/db/prisma.server";
import { DomainError, fieldErrorsFromIssues, notFound } from "@/lib/errors/domain-error";
import { enqueueJob } from "@/lib/jobs/queue.server";
import { requireAllowedUrl, UrlRefusedError } from "@/lib/net/policy-fetch.server";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { MAX_DELIVERY_ATTEMPTS } from "./delivery-policy";
import { sealSigningSecret } from "./signing-secret.server";
import type { Notification } from "./events";
import { notificationConfig } from "./notification-config.server";
import { mayHear } from "./match-subscriptions";
import {
  createSubscriptionSchema,
  maskTarget,
  type CreateSubscriptionInput,
  type DeliveryView,
  type SubscriptionView,
} from "./schema";

const PAGE_SIZE = 50;

/** Subscriptions a person may see and manage: their own, their teams', and (a platform admin) every one. */
function visibleWhere(user: PortalUser) {
  if (user.role === "platform-admin") return {};
  return { OR: [{ ownerId: user.id }, { teamId: { in: user.teamIds } }] };
}

const include = {
  team: { select: { name: true } },
  owner: { select: { email: true } },
  deliveries: { orderBy: { createdAt: "desc" as const }, take: 1 },
};
type Row = NonNullable<Awaited<ReturnType<typeof findVisible>>>;
function findVisible(db: Db, user: PortalUser, id: string) {
  return db.notificationSubscription.findFirst({ where: { id, ...visibleWhere(user) }, include });
}

function toView(row: Row): SubscriptionView {
  const last = row.deliveries[0];
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    target: maskTarget(row.channel, row.target),
    events: row.events,
    teamId: row.teamId,
    teamName: row.team?.name ?? null,
    ownerEmail: row.owner?.email ?? null,
    createdAt: row.createdAt.toISOString(),
    lastDelivery: last ? { status: last.status, at: (last.lastAttemptAt ?? last.createdAt).toISOString() } : null,
  };
}

export async function listSubscriptions(user: PortalUser): Promise<SubscriptionView[]> {
  const rows = await getPrisma().notificationSubscription.findMany({
    where: visibleWhere(user),
    include,
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toView);
}

/**
 * Creates a subscription. A webhook's signing secret is returned here and never again. The URL must pass the URL
 * policy now (not only at delivery), so a person learns at once that an admin has to allow the host.
 */
export async function createSubscription(
  user: PortalUser,
  raw: CreateSubscriptionInput,
  traceId?: string,
): Promise<{ subscription: SubscriptionView; signingSecret: string | null }> {
  const db = getPrisma();
  // Parsed here too, not only by the route: the channel-specific rules (https for Slack) hold for every caller.
  const parsed = createSubscriptionSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = fieldErrorsFromIssues(parsed.error.issues);
    throw new DomainError("validation_failed", fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields);
  }
  const input = parsed.data;
  if (input.teamId !== undefined) {
    if (!(await db.team.findUnique({ where: { id: input.teamId } })))
      throw new DomainError("validation_failed", "teamId names no team: pick one of your teams.", [
        { path: "teamId", message: "does not exist" },
      ]);
    if (user.role !== "platform-admin" && !user.teamIds.includes(input.teamId))
      throw new DomainError("forbidden", "Only a member of the team (or a platform admin) subscribes the team.");
  }
  const unreadable = input.events.filter((event) => !mayHear(user, event, input.teamId ?? null));
  if (unreadable.length)
    throw new DomainError(
      "forbidden",
      `events: you may not read ${unreadable.join(", ")} in the portal, so you cannot subscribe ${input.teamId ? "a team" : "yourself"} to ${unreadable.length > 1 ? "them" : "it"}.`,
      [{ path: "events", message: `${unreadable.join(", ")}: not readable by you` }],
    );
  if (input.channel === "email" && !notificationConfig().smtpUrl) {
    throw new DomainError(
      "validation_failed",
      "channel: email is not configured on this portal: an operator sets SMTP_URL, or pick webhook or Slack.",
      [{ path: "channel", message: "email is not configured (SMTP_URL)" }],
    );
  }
  if (input.channel !== "email") {
    try {
      requireAllowedUrl(
        input.target,
        { allow: await readUrlAllowList(db) },
        input.channel === "slack" ? "Slack webhook URL" : "webhook URL",
      );
    } catch (error) {
      if (error instanceof UrlRefusedError)
        throw new DomainError("validation_failed", `target: ${error.message}`, [
          { path: "target", message: error.message },
        ]);
      throw error;
    }
  }
  const signingSecret = input.channel === "webhook" ? `whsec_${randomBytes(32).toString("base64url")}` : null;
  const id = await db.$transaction(async (tx) => {
    const row = await tx.notificationSubscription.create({
      data: {
        name: input.name,
        channel: input.channel,
        target: input.target,
        events: [...new Set(input.events)],
        teamId: input.teamId ?? null,
        ownerId: input.teamId ? null : user.id,
        signingSecret: signingSecret === null ? null : sealSigningSecret(signingSecret),
        createdById: user.id,
      },
    });
    await recordAudit(tx, {
      actor: user,
      action: "notification.subscribe",
      targetType: "notification-subscription",
      targetId: row.id,
      outcome: "success",
      traceId,
      details: {
        name: row.name,
        channel: row.channel,
        target: maskTarget(row.channel, row.target),
        events: row.events,
        teamId: row.teamId,
      },
    });
    return row.id;
  });
  return { subscription: toView((await findVisible(db, user, id))!), signingSecret };
}

export async function deleteSubscription(user: PortalUser, id: string, traceId?: string): Promise<{ id: string }> {
  const db = getPrisma();
  const row = await findVisible(db, user, id);
  if (!row) throw notFound("The notification subscription");
  await db.$transaction(async (tx) => {
    // Its deliveries go with it; a deliver job still queued finds nothing and stops.
    await tx.notificationSubscription.delete({ where: { id } });
    await recordAudit(tx, {
      actor: user,
      action: "notification.unsubscribe",
      targetType: "notification-subscription",
      targetId: id,
      outcome: "success",
      traceId,
      details: { name: row.name, channel: row.channel, teamId: row.teamId },
    });
  });
  return { id };
}

/** Queues a test notification to one subscription through the worker, exactly like a real one; the log shows it. */
export async function sendTestNotification(
  user: PortalUser,
  id: string,
  traceId?: string,
  now = new Date(),
): Promise<DeliveryView> {
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
  return (await listDeliveries(user, { subscriptionId: row.id, page: 1 })).items.find((d) => d.id === deliveryId)!;
}

/** The delivery log of the subscriptions the person may see, newest first. */
export async function listDeliveries(
  user: PortalUser,
  query: { subscriptionId?: string; status?: DeliveryView["status"]; page: number },
): Promise<{ items: DeliveryView[]; total: number; page: number; pageSize: number }> {
  const db = getPrisma();
  const where = {
    subscription: visibleWhere(user),
    ...(query.subscriptionId ? { subscriptionId: query.subscriptionId } : {}),
    ...(query.status ? { status: query.status } : {}),
  };
  const [rows, total] = await Promise.all([
    db.notificationDelivery.findMany({
      where,
      include: { subscription: { select: { name: true } } },
      orderBy: { createdAt: "desc" },
      skip: (query.page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
    }),
    db.notificationDelivery.count({ where }),
  ]);
  return {
    items: rows.map((d) => ({
      id: d.id,
      subscriptionId: d.subscriptionId,
      subscriptionName: d.subscription.name,
      event: d.event,
      title:
        typeof (d.payload as { title?: unknown }).title === "string" ? (d.payload as { title: string }).title : d.event,
      status: d.status,
      attempts: d.attempts,
      maxAttempts: d.maxAttempts,
      lastError: d.lastError,
      lastStatusCode: d.lastStatusCode,
      lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
      nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
    })),
    total,
    page: query.page,
    pageSize: PAGE_SIZE,
  };
}
