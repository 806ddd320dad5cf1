import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { notFound } from "@/lib/errors/domain-error";
import { findVisible } from "./subscription-view.server";

/** Deletes a subscription the person may see; one they may not is a 404, as an unknown id. */
export async function deleteSubscription({
  actor: user,
  subscriptionId: id,
  traceId,
}: {
  actor: PortalUser;
  subscriptionId: string;
  traceId?: string;
}): Promise<{ id: string }> {
  await authorize(user, "notification.manage", {}, traceId);
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
