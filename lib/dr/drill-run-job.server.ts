import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { HttpError } from "@/lib/http/errors";
import type { JobPayload } from "@/lib/jobs/job-definitions";
import { runDrill, type RunDrillOptions } from "./run-drill.server";
import { startDrill, type StartDrillOptions } from "./start-drill.server";
import { failExpiredDrillRuns } from "./sweep-drill-runs.server";

// Job handlers wired by the worker (worker/handlers.server.ts): "drill.run" executes a run; "drill.scheduled"
// starts a live run of a plan from its cron schedule. Both are idempotent: a retried drill.run resumes the run,
// a finished run is left alone.

export async function handleDrillRun(payload: JobPayload<"drill.run">, ctx: { jobId: string; signal: AbortSignal }, options: RunDrillOptions = {}): Promise<void> {
  await failExpiredDrillRuns().catch(() => undefined);
  const result = await runDrill(payload.drillRunId, { ...options, signal: ctx.signal });
  if (result.outcome === "interrupted") throw new Error(`drill run ${payload.drillRunId} interrupted: ${result.reason}`);
}

export async function handleScheduledDrill(payload: JobPayload<"drill.scheduled">, _ctx: { jobId: string; signal: AbortSignal }, options: StartDrillOptions = {}): Promise<void> {
  try {
    await startDrill(null, { planKey: payload.planKey, clusterTargetId: payload.clusterTargetId, mode: "live" }, { ...options, trigger: "schedule" });
  } catch (error) {
    // A refusal (already running, protected namespaces) is recorded by startDrill and is not worth a retry.
    if (error instanceof HttpError && error.status < 500) {
      await recordAudit(getPrisma(), { actor: null, action: "drill.schedule-skip", targetType: "dr_plan", targetId: payload.planKey, outcome: "failure", details: { clusterTargetId: payload.clusterTargetId, reason: error.message } });
      return;
    }
    throw error;
  }
}

/** The cron schedules to register: the newest version of each plan that has a schedule and a cluster. */
export async function listScheduledDrills(): Promise<Array<{ planKey: string; clusterTargetId: string; cron: string }>> {
  const rows = await getPrisma().drPlan.findMany({ orderBy: [{ key: "asc" }, { version: "desc" }], select: { key: true, schedule: true, clusterTargetId: true } });
  const latest = rows.filter((r, i) => i === 0 || rows[i - 1].key !== r.key);
  return latest.filter((r) => r.schedule && r.clusterTargetId).map((r) => ({ planKey: r.key, clusterTargetId: r.clusterTargetId!, cron: r.schedule! }));
}

export { failExpiredDrillRuns };
