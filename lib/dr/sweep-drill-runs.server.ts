import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { raiseNotification } from "@/lib/notifications/raise-notification.server";
import { drillJobBudgetSeconds } from "./job-budget";
import { drStep } from "./schema";
import { enqueueDrillRun } from "./start-drill.server";

// Never stuck "running": a run whose worker stopped renewing its lease (worker crash, database outage longer than
// the worker tolerates, a job expired with no retry left) is given up once a grace period has passed that leaves a
// retried job time to claim and resume it. Giving up must not leave production changed: when the plan still has
// always-steps to run (restore, roll-forward, cleanup), the stuck step is failed, the remaining ordinary steps are
// skipped and a new job runs only the always-steps, which then ends the run and raises drill.failed. A run that
// already had that chance (its verdict reason is set while it is still running) or has no always-step left, and a
// queued run that no worker ever picked up, is ended as failed at once, with the same notification.

export interface SweepOptions {
  now?: number;
  /** How long after the lease lapsed a run is given up (a retried job resumes within this). */
  graceMs?: number;
  /** How long a run may stay queued before it is given up. */
  queuedTimeoutMs?: number;
  /** Queues the job that runs the always-steps; defaults to the pg-boss queue. */
  enqueue?: (runId: string, budgetSeconds: number, singletonKey: string) => Promise<void>;
}

export interface SweptRun {
  id: string;
  reason: string;
  /** "failed": ended now; "running_always_steps": a job was queued to run the always-steps and end it. */
  action: "failed" | "running_always_steps";
}

export async function failExpiredDrillRuns(options: SweepOptions = {}): Promise<SweptRun[]> {
  const now = options.now ?? Date.now();
  const db = getPrisma();
  const cutoff = new Date(now - (options.graceMs ?? 120_000));
  const queuedCutoff = new Date(now - (options.queuedTimeoutMs ?? 30 * 60_000));
  const candidates = await db.drillRun.findMany({
    where: {
      OR: [
        { status: "running", leaseUntil: { lt: cutoff } },
        { status: "running", leaseUntil: null },
        { status: "queued", createdAt: { lt: queuedCutoff } },
      ],
    },
    include: { plan: true, steps: { orderBy: { index: "asc" } } },
  });
  const ended: SweptRun[] = [];
  for (const run of candidates) {
    const current = run.steps.find((s) => s.state === "running" || s.state === "waiting_for_operator");
    const reason =
      run.status === "queued"
        ? `no worker started the run within ${Math.round((options.queuedTimeoutMs ?? 30 * 60_000) / 60_000)} min of being queued`
        : (run.verdictReason ??
          `the worker stopped renewing its lease at ${run.leaseUntil?.toISOString() ?? "an unknown time"} (worker or database outage)${current ? ` during step ${current.index + 1} (${current.name})` : ""}; ended so the run does not stay running`);
    const planSteps = drStep.array().parse(run.plan.steps);
    const alwaysLeft = run.steps.filter((s) => planSteps[s.index]?.always && s.state === "pending");
    const recover = run.status === "running" && run.verdictReason === null && alwaysLeft.length > 0;
    const done = await db.$transaction(async (tx) => {
      // Compare-and-set on the attempt: a worker that resumed the run in the meantime keeps it; the new attempt
      // number fences out the stale worker should it come back.
      const taken = await tx.drillRun.updateMany({
        where: {
          id: run.id,
          attempt: run.attempt,
          status: run.status,
          ...(run.status === "running" ? { OR: [{ leaseUntil: null }, { leaseUntil: { lt: cutoff } }] } : {}),
        },
        data: recover
          ? // Lapsed now, so the queued job can claim it at once and the next sweep waits a full grace period.
            { attempt: run.attempt + 1, leaseUntil: new Date(now), verdictReason: reason }
          : {
              status: "failed",
              attempt: run.attempt + 1,
              finishedAt: new Date(now),
              leaseUntil: null,
              liveLockKey: null,
              verdictReason: reason,
            },
      });
      if (taken.count === 0) return false;
      await tx.drillStepResult.updateMany({
        where: { drillRunId: run.id, state: { in: ["running", "waiting_for_operator"] } },
        data: { state: "failed", finishedAt: new Date(now), error: reason },
      });
      await tx.drillStepResult.updateMany({
        where: {
          drillRunId: run.id,
          state: "pending",
          ...(recover ? { index: { notIn: alwaysLeft.map((s) => s.index) } } : {}),
        },
        data: { state: "skipped" },
      });
      await recordAudit(tx, {
        actor: null,
        action: "drill.expire",
        targetType: "drill_run",
        targetId: run.id,
        outcome: "failure",
        details: { reason, attempt: run.attempt, alwaysStepsQueued: recover ? alwaysLeft.map((s) => s.name) : [] },
      });
      if (!recover)
        await raiseNotification(tx, {
          event: "drill.failed",
          teamId: null,
          title: `${run.plan.name}${run.mode === "dry_run" ? " (dry run)" : ""} failed`,
          summary: reason,
          path: `/drills/runs/${run.id}`,
          data: { drillRunId: run.id, planKey: run.plan.key, mode: run.mode, rtoSeconds: null, rpoSeconds: null },
        });
      return true;
    });
    if (!done) continue;
    if (recover) {
      const budget = drillJobBudgetSeconds(alwaysLeft.flatMap((s) => planSteps[s.index] ?? []));
      // Should queueing fail, the next sweep finds the run again and, its chance used, ends it as failed.
      await (options.enqueue ?? enqueueDrillRun)(run.id, budget, `${run.id}:always-steps`).catch(() => undefined);
    }
    ended.push({ id: run.id, reason, action: recover ? "running_always_steps" : "failed" });
  }
  return ended;
}
