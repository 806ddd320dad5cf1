import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import type { SubscriptionView } from "./schema";
import { include, toView, visibleWhere } from "./subscription-view.server";

/** The subscriptions the person may see and manage, newest first. */
export async function listSubscriptions({
  actor: user,
  traceId,
}: {
  actor: PortalUser;
  traceId?: string;
}): Promise<SubscriptionView[]> {
  await authorize(user, "notification.manage", {}, traceId);
  const rows = await getPrisma().notificationSubscription.findMany({
    where: visibleWhere(user),
    include,
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toView);
}
