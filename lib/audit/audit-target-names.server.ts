import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { auditTargetKey } from "@/lib/audit/audit-view";

/**
 * The human names of the targets on one audit page (REQ-3, a cluster's name, a user's email, "<plan> drill on
 * <cluster>"), one query per kind, so a reader sees what was touched instead of a cuid. A deleted target has no name.
 */
export async function loadAuditTargetNames(
  targets: { targetType: string; targetId: string | null }[],
): Promise<Map<string, string>> {
  const ids = (type: string) => [
    ...new Set(targets.filter((t) => t.targetType === type && t.targetId).map((t) => t.targetId!)),
  ];
  const db = getPrisma();
  const [requests, clusters, runs, plans, teams, recommendations, users] = await Promise.all([
    db.request.findMany({ where: { id: { in: ids("request") } }, select: { id: true, number: true } }),
    db.clusterTarget.findMany({ where: { id: { in: ids("cluster") } }, select: { id: true, name: true } }),
    db.drillRun.findMany({
      where: { id: { in: ids("drill_run") } },
      select: { id: true, plan: { select: { name: true } }, clusterTarget: { select: { name: true } } },
    }),
    db.drPlan.findMany({
      where: { key: { in: ids("dr_plan") } },
      select: { key: true, name: true },
      orderBy: { version: "asc" },
    }),
    db.team.findMany({ where: { id: { in: ids("team") } }, select: { id: true, name: true } }),
    db.recommendation.findMany({ where: { id: { in: ids("recommendation") } }, select: { id: true, title: true } }),
    db.user.findMany({ where: { id: { in: ids("user") } }, select: { id: true, email: true } }),
  ]);
  const names = new Map<string, string>();
  for (const r of requests) names.set(auditTargetKey("request", r.id), `REQ-${r.number}`);
  for (const c of clusters) names.set(auditTargetKey("cluster", c.id), c.name);
  for (const r of runs) names.set(auditTargetKey("drill_run", r.id), `${r.plan.name} drill on ${r.clusterTarget.name}`);
  // Ordered by version, so the newest version's name wins.
  for (const p of plans) names.set(auditTargetKey("dr_plan", p.key), p.name);
  for (const t of teams) names.set(auditTargetKey("team", t.id), t.name);
  for (const r of recommendations) names.set(auditTargetKey("recommendation", r.id), r.title);
  for (const u of users) names.set(auditTargetKey("user", u.id), u.email);
  return names;
}
