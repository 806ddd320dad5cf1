import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { DomainError } from "@/lib/errors/domain-error";
import type { DrillEvidence } from "./drill-verdict";
import type { ReportInput } from "./drill-report";
import { toStepRecords } from "./finish-drill.server";
import { planFromRow } from "./plan-rows";
import { destructiveSteps, namespacesTouchedByPlan, renderDryRun, type DestructiveStep } from "./describe-step";

/** What finishDrill stores in DrillRun.evidence: the evidence plus how each figure was measured. */
type StoredEvidence = Partial<DrillEvidence> & {
  rtoBasis?: string;
  rpoBasis?: string;
  worstCaseRpoSeconds?: number | null;
  worstCaseRpoBasis?: string;
};

// Reads for the drills pages and API: plans with their last result, one run with its steps (polled by the run
// page), a plan's history for the trend chart, and the facts of a report.

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

export async function listPlansWithLastResult() {
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
          finishedAt: lastLive.finishedAt?.toISOString() ?? null,
          reason: lastLive.verdictReason,
        },
      };
    }),
  );
}

export async function getPlan(key: string, version?: number) {
  const row = await getPrisma().drPlan.findFirst({
    where: { key, ...(version ? { version } : {}) },
    orderBy: { version: "desc" },
  });
  if (!row) throw new DomainError("not_found", `DR plan ${key} was not found`);
  const plan = planFromRow(row);
  return { version: row.version, isTemplate: row.isTemplate, plan, dryRun: renderDryRun(plan) };
}

export async function getDrillRun(runId: string) {
  const run = await getPrisma().drillRun.findUnique({
    where: { id: runId },
    include: {
      plan: true,
      clusterTarget: { select: { id: true, name: true, isSandbox: true } },
      steps: { orderBy: { index: "asc" } },
    },
  });
  if (!run) throw new DomainError("not_found", `drill run ${runId} was not found`);
  const evidence = run.evidence as StoredEvidence;
  return {
    id: run.id,
    plan: {
      key: run.plan.key,
      name: run.plan.name,
      version: run.planVersion,
      rtoMinutes: run.plan.rtoMinutes,
      rpoMinutes: run.plan.rpoMinutes,
      allowRestoreWarnings: run.plan.allowRestoreWarnings,
    },
    cluster: run.clusterTarget,
    namespaces: run.namespaces,
    mode: run.mode,
    status: run.status,
    trigger: run.trigger,
    abortRequested: run.abortRequested,
    abortedBy: run.abortedBy,
    overrideReason: run.overrideReason,
    attempt: run.attempt,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    measuredRtoSeconds: run.measuredRtoSeconds,
    measuredRpoSeconds: run.measuredRpoSeconds,
    verdictReason: run.verdictReason,
    evidence,
    steps: run.steps.map((s) => ({
      index: s.index,
      name: s.name,
      type: s.type,
      state: s.state,
      startedAt: s.startedAt?.toISOString() ?? null,
      finishedAt: s.finishedAt?.toISOString() ?? null,
      output: s.output,
      error: s.error,
      confirmedBy: s.confirmedBy,
      confirmedAt: s.confirmedAt?.toISOString() ?? null,
    })),
  };
}
export type DrillRunView = Awaited<ReturnType<typeof getDrillRun>>;

/** A plan's finished runs, oldest first: the trend of measured RTO and RPO against the targets. */
export async function listPlanHistory(planKey: string, options: { mode?: "live" | "dry_run"; limit?: number } = {}) {
  const runs = await getPrisma().drillRun.findMany({
    where: {
      plan: { key: planKey },
      status: { in: ["passed", "failed", "aborted"] },
      ...(options.mode ? { mode: options.mode } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: options.limit ?? 100,
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
    rtoMinutes: r.measuredRtoSeconds === null ? null : Math.round((r.measuredRtoSeconds / 60) * 10) / 10,
    rpoMinutes: r.measuredRpoSeconds === null ? null : Math.round((r.measuredRpoSeconds / 60) * 10) / 10,
    rtoTargetMinutes: r.plan.rtoMinutes,
    rpoTargetMinutes: r.plan.rpoMinutes,
    reason: r.verdictReason,
  }));
}

export async function loadReportInput(runId: string, generatedAt: Date): Promise<ReportInput> {
  const run = await getPrisma().drillRun.findUnique({
    where: { id: runId },
    include: { plan: true, clusterTarget: true, steps: { orderBy: { index: "asc" } } },
  });
  if (!run) throw new DomainError("not_found", `drill run ${runId} was not found`);
  const startedBy = run.startedById
    ? ((await getPrisma().user.findUnique({ where: { id: run.startedById }, select: { email: true } }))?.email ??
      run.startedById)
    : null;
  const evidence = run.evidence as StoredEvidence;
  return {
    plan: {
      key: run.plan.key,
      name: run.plan.name,
      version: run.planVersion,
      rtoMinutes: run.plan.rtoMinutes,
      rpoMinutes: run.plan.rpoMinutes,
      allowRestoreWarnings: run.plan.allowRestoreWarnings,
    },
    run: {
      id: run.id,
      mode: run.mode,
      status: run.status,
      trigger: run.trigger,
      startedBy,
      clusterName: run.clusterTarget.name,
      namespaces: run.namespaces,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      overrideReason: run.overrideReason,
      verdictReason: run.verdictReason,
      measuredRtoSeconds: run.measuredRtoSeconds,
      measuredRpoSeconds: run.measuredRpoSeconds,
      rtoBasis: evidence.rtoBasis,
      rpoBasis: evidence.rpoBasis,
      worstCaseRpoSeconds: evidence.worstCaseRpoSeconds ?? null,
      worstCaseRpoBasis: evidence.worstCaseRpoBasis,
    },
    steps: toStepRecords(run.steps),
    evidence: {
      restores: evidence.restores ?? [],
      healthChecks: evidence.healthChecks ?? [],
      rollouts: evidence.rollouts ?? [],
      notes: evidence.notes ?? [],
      canaries: evidence.canaries ?? [],
      canaryChecks: evidence.canaryChecks ?? [],
      rollForwards: evidence.rollForwards ?? [],
      cleanups: evidence.cleanups ?? [],
      ...(evidence.backup ? { backup: evidence.backup } : {}),
      ...(evidence.failure ? { failure: evidence.failure } : {}),
    },
    generatedAt,
  };
}

/** Cluster targets a drill can be started against, with the namespaces they protect. */
export async function listDrillClusters() {
  return getPrisma().clusterTarget.findMany({
    orderBy: { name: "asc" },
    select: { id: true, name: true, isSandbox: true, protectedNamespaces: true },
  });
}
export type DrillCluster = Awaited<ReturnType<typeof listDrillClusters>>[number];
