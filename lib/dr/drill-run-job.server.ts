import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { DomainError } from "@/lib/errors/domain-error";
import type { JobPayload } from "@/lib/jobs/job-definitions";
import { raiseNotification } from "@/lib/notifications/raise-notification.server";
import { runDrill, type RunDrillOptions } from "./run-drill.server";
import { drStep } from "./schema";
import { startDrill, type StartDrillOptions } from "./start-drill.server";
import { failExpiredDrillRuns } from "./sweep-drill-runs.server";

// Job handlers wired by the worker (worker/handlers.server.ts): "drill.run" executes a run; "drill.scheduled"
// starts a live run of a plan from its cron schedule. Both are idempotent: a retried drill.run resumes the run,
// a finished run is left alone.

export async function handleDrillRun(
  payload: JobPayload<"drill.run">,
  ctx: { jobId: string; signal: AbortSignal },
  options: RunDrillOptions = {},
): Promise<void> {
  await failExpiredDrillRuns().catch(() => undefined);
  const result = await runDrill(payload.drillRunId, { ...options, signal: ctx.signal });
  if (result.outcome === "interrupted")
    throw new Error(`drill run ${payload.drillRunId} interrupted: ${result.reason}`);
}

export async function handleScheduledDrill(
  payload: JobPayload<"drill.scheduled">,
  _ctx: { jobId: string; signal: AbortSignal },
  options: Pick<StartDrillOptions, "enqueue"> = {},
): Promise<void> {
  const plan = await getPrisma().drPlan.findFirst({ where: { key: payload.planKey }, orderBy: { version: "desc" } });
  if (!plan) return;
  // The queue's schedule is re-registered only every maintenance tick, so a firing can outlive an edit that removed
  // or moved it: the newest version decides, not the schedule that fired.
  const stale = staleScheduleReason(payload, plan);
  if (stale) {
    await recordAudit(getPrisma(), {
      actor: null,
      action: "drill.schedule-stale",
      targetType: "dr_plan",
      targetId: payload.planKey,
      outcome: "success",
      details: {
        clusterTargetId: payload.clusterTargetId,
        cron: payload.cron ?? null,
        planVersion: plan.version,
        reason: stale,
      },
    });
    return;
  }
  // Nobody is there to confirm a manual step at 3 a.m.: the run would only time out, with the failure injected.
  const manual = drStep
    .array()
    .parse(plan.steps)
    .filter((s) => s.type === "manual" || s.rollback?.type === "manual")
    .map((s) => s.name);
  if (manual.length > 0) {
    await alertSkippedSchedule(
      payload,
      plan,
      `plan ${plan.key} has manual steps (${manual.join(", ")}) that nobody would confirm: scheduled drills run only plans without manual steps`,
    );
    return;
  }
  try {
    await startDrill({
      ...options,
      actor: null,
      input: { planKey: payload.planKey, clusterTargetId: payload.clusterTargetId, mode: "live" },
      trigger: "schedule",
    });
  } catch (error) {
    // A refusal (already running, namespaces in use, protected namespaces) is not worth a retry, but someone must see it.
    if (error instanceof DomainError) {
      await alertSkippedSchedule(payload, plan, error.message);
      return;
    }
    throw error;
  }
}

function staleScheduleReason(
  payload: JobPayload<"drill.scheduled">,
  plan: { schedule: string | null; clusterTargetId: string | null; version: number },
): string | null {
  if (!plan.schedule) return `version ${plan.version} of the plan has no schedule`;
  if (plan.clusterTargetId !== payload.clusterTargetId)
    return `version ${plan.version} of the plan targets cluster ${plan.clusterTargetId ?? "(none)"}, not ${payload.clusterTargetId}`;
  if (payload.cron !== undefined && plan.schedule !== payload.cron)
    return `version ${plan.version} of the plan is scheduled "${plan.schedule}", not "${payload.cron}"`;
  return null;
}

/**
 * A scheduled drill that did not start is audited and shown: a failed run of the plan (trigger "schedule", every
 * step skipped) whose verdict says why, so the drills page and the plan's history show it, not only the audit log.
 * It raises drill.failed like any failed run: a recovery that was never proved is what subscribers must hear about,
 * and the run it points to says why (data.skipped tells a receiver it never started).
 */
async function alertSkippedSchedule(
  payload: JobPayload<"drill.scheduled">,
  plan: { id: string; key: string; name: string; version: number; steps: unknown },
  reason: string,
): Promise<void> {
  const steps = drStep.array().parse(plan.steps);
  const now = new Date();
  await getPrisma().$transaction(async (tx) => {
    const run = await tx.drillRun.create({
      data: {
        planId: plan.id,
        planVersion: plan.version,
        clusterTargetId: payload.clusterTargetId,
        mode: "live",
        status: "failed",
        trigger: "schedule",
        startedAt: now,
        finishedAt: now,
        verdictReason: `scheduled drill not started: ${reason}`,
        steps: { create: steps.map((s, index) => ({ index, name: s.name, type: s.type, state: "skipped" })) },
      },
    });
    await recordAudit(tx, {
      actor: null,
      action: "drill.schedule-skip",
      targetType: "dr_plan",
      targetId: payload.planKey,
      outcome: "failure",
      details: { clusterTargetId: payload.clusterTargetId, reason, runId: run.id, notified: "drill.failed" },
    });
    await raiseNotification(tx, {
      event: "drill.failed",
      teamId: null,
      title: `${plan.name}: scheduled drill skipped`,
      summary: `scheduled drill not started: ${reason}`,
      path: `/drills/runs/${run.id}`,
      data: {
        drillRunId: run.id,
        planKey: plan.key,
        mode: "live",
        skipped: true,
        reason,
        rtoSeconds: null,
        rpoSeconds: null,
      },
    });
  });
}

/** The cron schedules to register: the newest version of each plan that has a schedule and a cluster. */
export async function listScheduledDrills(): Promise<
  Array<{ planKey: string; clusterTargetId: string; cron: string }>
> {
  const rows = await getPrisma().drPlan.findMany({
    orderBy: [{ key: "asc" }, { version: "desc" }],
    select: { key: true, schedule: true, clusterTargetId: true },
  });
  const latest = rows.filter((r, i) => i === 0 || rows[i - 1]?.key !== r.key);
  return latest
    .filter((r) => r.schedule && r.clusterTargetId)
    .map((r) => ({ planKey: r.key, clusterTargetId: r.clusterTargetId!, cron: r.schedule! }));
}

export { failExpiredDrillRuns };
