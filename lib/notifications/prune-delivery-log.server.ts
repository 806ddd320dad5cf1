import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";

/** How long the delivery log keeps a finished delivery: long enough to look back over a month's incidents. */
export const DELIVERY_LOG_DAYS = 30;

/** Deletes finished deliveries older than the retention; pending and retrying ones stay whatever their age. */
export async function pruneDeliveryLog(now: Date): Promise<number> {
  const before = new Date(now.getTime() - DELIVERY_LOG_DAYS * 86_400_000);
  const { count } = await getPrisma().notificationDelivery.deleteMany({
    where: { createdAt: { lt: before }, status: { in: ["delivered", "failed"] } },
  });
  return count;
}
