import "server-only";
import type { PortalUser } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/prisma.server";
import { maskTarget, type SubscriptionView } from "./schema";

/** Subscriptions a person may see and manage: their own, their teams', and (a platform admin) every one. */
export function visibleWhere(user: PortalUser) {
  if (user.role === "platform-admin") return {};
  return { OR: [{ ownerId: user.id }, { teamId: { in: user.teamIds } }] };
}

export const include = {
  team: { select: { name: true } },
  owner: { select: { email: true } },
  deliveries: { orderBy: { createdAt: "desc" as const }, take: 1 },
};
type Row = NonNullable<Awaited<ReturnType<typeof findVisible>>>;
export function findVisible(db: Db, user: PortalUser, id: string) {
  return db.notificationSubscription.findFirst({ where: { id, ...visibleWhere(user) }, include });
}

export function toView(row: Row): SubscriptionView {
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
