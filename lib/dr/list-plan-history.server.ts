import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { measuredMinutes } from "./plan-history-row";

/** A plan's finished runs, oldest first: the trend of measured RTO and RPO against the targets. */
export async function listPlanHistory({
  actor,
  planKey,
  mode,
  limit,
  traceId,
}: {
  actor: PortalUser;
  planKey: string;
  mode?: "live" | "dry_run";
  limit?: number;
  traceId?: string;
}) {
  await authorize(actor, "drill.read", {}, traceId);
  const runs = await getPrisma().drillRun.findMany({
    where: {
      plan: { key: planKey },
      status: { in: ["passed", "failed", "aborted"] },
      ...(mode ? { mode } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: limit ?? 100,
    include: { plan: { select: { rtoMinutes: true, rpoMinutes: true } }, clusterTarget: { select: { name: true } } },
  });
  return runs.reverse().map((r) => ({
    id: r.id,
    at: (r.startedAt ?? r.createdAt).toISOString(),
    mode: r.mode,
    status: r.status,
    planVersion: r.planVersion,
    cluster: r.clusterTarget.name,
    trigger: r.trigger,
    ...measuredMinutes(r),
    rtoTargetMinutes: r.plan.rtoMinutes,
    rpoTargetMinutes: r.plan.rpoMinutes,
    reason: r.verdictReason,
  }));
}
