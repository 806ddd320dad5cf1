import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import type { DeliveryView } from "./schema";
import { visibleWhere } from "./subscription-view.server";

const PAGE_SIZE = 50;

/** The delivery log of the subscriptions the person may see, newest first. */
export async function listDeliveries({
  actor: user,
  query,
  traceId,
}: {
  actor: PortalUser;
  query: { subscriptionId?: string; status?: DeliveryView["status"]; page: number };
  traceId?: string;
}): Promise<{ items: DeliveryView[]; total: number; page: number; pageSize: number }> {
  await authorize(user, "notification.manage", {}, traceId);
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
