import "server-only";
import { getPrisma, type Db } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { readCostSettings, usageSourceOf } from "@/lib/costs/ingest-usage.server";

/**
 * GPU spend since the month started, from the same source as /costs: demo rows stay in the table after an admin
 * configures Prometheus, so an unfiltered sum would add them in. Null when the cost setting cannot be read (/costs
 * says why).
 */
async function monthSpend(db: Db, monthStart: Date, now: Date) {
  const settings = await readCostSettings(db).catch(() => null);
  if (settings === null) return null;
  return db.gpuUsageHourly.aggregate({ where: { source: usageSourceOf(settings), hour: { gte: monthStart, lt: now } }, _sum: { costUsd: true, idleCostUsd: true } });
}

/** What matters to each role on their home page, in one round of queries. `now` is passed in. */
export async function homeSummary(user: PortalUser, now: Date) {
  const db = getPrisma();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const teamFilter = user.role === "ml-engineer" ? { teamId: { in: user.teamIds } } : {};
  const [pendingApprovals, myRequests, spend, drills] = await Promise.all([
    user.role === "platform-admin"
      ? db.request.findMany({ where: { status: "pending_approval" }, orderBy: { createdAt: "asc" }, take: 10, include: { team: true } })
      : Promise.resolve([]),
    user.role === "ml-engineer" || user.role === "platform-admin"
      ? db.request.findMany({ where: { requesterId: user.id, ...teamFilter }, orderBy: { createdAt: "desc" }, take: 10, include: { team: true } })
      : Promise.resolve([]),
    user.role === "finance" || user.role === "platform-admin"
      ? monthSpend(db, monthStart, now)
      : Promise.resolve(null),
    user.role === "sre" || user.role === "platform-admin"
      ? db.drillRun.findMany({ orderBy: { createdAt: "desc" }, take: 5, include: { plan: true, clusterTarget: true } })
      : Promise.resolve([]),
  ]);
  return {
    pendingApprovals,
    myRequests,
    spendThisMonthUsd: spend?._sum.costUsd ?? null,
    idleThisMonthUsd: spend?._sum.idleCostUsd ?? null,
    drills,
  };
}
