import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";

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
      ? db.gpuUsageHourly.aggregate({ where: { hour: { gte: monthStart, lt: now } }, _sum: { costUsd: true, idleCostUsd: true } })
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
