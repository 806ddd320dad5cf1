import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { planFromRow } from "./plan-rows";
import { destructiveSteps, namespacesTouchedByPlan, type DestructiveStep } from "./describe-step";

// A stored version that no longer parses (the schema moved on) still lists, with its scope as the namespaces.
function destructiveOf(row: Parameters<typeof planFromRow>[0]): DestructiveStep[] {
  try {
    return destructiveSteps(planFromRow(row));
  } catch {
    return [];
  }
}

function touchedOrScope(row: Parameters<typeof planFromRow>[0]): string[] {
  try {
    return namespacesTouchedByPlan(planFromRow(row));
  } catch {
    return row.namespaces;
  }
}

/** Each plan's newest version with its last run and last finished live run: the Drills page and GET /api/v1/dr-plans. */
export async function listDrillPlans({ actor, traceId }: { actor: PortalUser; traceId?: string }) {
  await authorize(actor, "drill.read", {}, traceId);
  const db = getPrisma();
  const rows = await db.drPlan.findMany({
    orderBy: [{ key: "asc" }, { version: "desc" }],
    include: { clusterTarget: { select: { id: true, name: true } } },
  });
  const latest = rows.filter((r, i) => i === 0 || rows[i - 1]?.key !== r.key);
  return Promise.all(
    latest.map(async (plan) => {
      const lastRun = await db.drillRun.findFirst({
        where: { plan: { key: plan.key } },
        orderBy: { createdAt: "desc" },
        include: { clusterTarget: { select: { name: true } } },
      });
      const lastLive = await db.drillRun.findFirst({
        where: { plan: { key: plan.key }, mode: "live", status: { in: ["passed", "failed", "aborted"] } },
        orderBy: { createdAt: "desc" },
      });
      return {
        key: plan.key,
        version: plan.version,
        name: plan.name,
        description: plan.description,
        isTemplate: plan.isTemplate,
        cluster: plan.clusterTarget,
        namespaces: plan.namespaces,
        touchedNamespaces: touchedOrScope(plan),
        destructive: destructiveOf(plan),
        rtoMinutes: plan.rtoMinutes,
        rpoMinutes: plan.rpoMinutes,
        schedule: plan.schedule,
        stepCount: Array.isArray(plan.steps) ? plan.steps.length : 0,
        lastRun: lastRun && {
          id: lastRun.id,
          mode: lastRun.mode,
          status: lastRun.status,
          cluster: lastRun.clusterTarget.name,
          createdAt: lastRun.createdAt.toISOString(),
        },
        lastLive: lastLive && {
          id: lastLive.id,
          status: lastLive.status,
          rtoSeconds: lastLive.measuredRtoSeconds,
          rpoSeconds: lastLive.measuredRpoSeconds,
          rpoBasis: rpoBasisOf(lastLive.evidence),
          finishedAt: lastLive.finishedAt?.toISOString() ?? null,
          reason: lastLive.verdictReason,
        },
      };
    }),
  );
}

function rpoBasisOf(evidence: unknown): string | null {
  const basis =
    typeof evidence === "object" && evidence !== null && "rpoBasis" in evidence ? evidence.rpoBasis : undefined;
  return typeof basis === "string" ? basis : null;
}
