import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { getPrisma } from "@/lib/db/prisma.server";

// Never stuck "running": a run whose worker stopped renewing its lease (worker crash, database outage longer than
// the worker tolerates, no retry left) is ended as failed with the reason, once a grace period has passed that
// leaves a retried job time to claim and resume it. Queued runs that no worker ever picked up end the same way.

export interface SweepOptions {
  now?: number;
  /** How long after the lease lapsed a run is given up (a retried job resumes within this). */
  graceMs?: number;
  /** How long a run may stay queued before it is given up. */
  queuedTimeoutMs?: number;
}

export async function failExpiredDrillRuns(options: SweepOptions = {}): Promise<Array<{ id: string; reason: string }>> {
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
    include: { steps: { where: { state: { in: ["running", "waiting_for_operator"] } }, orderBy: { index: "asc" } } },
  });
  const ended: Array<{ id: string; reason: string }> = [];
  for (const run of candidates) {
    const current = run.steps[0];
    const reason =
      run.status === "queued"
        ? `no worker started the run within ${Math.round((options.queuedTimeoutMs ?? 30 * 60_000) / 60_000)} min of being queued`
        : `the worker stopped renewing its lease at ${run.leaseUntil?.toISOString() ?? "an unknown time"} (worker or database outage)${current ? ` during step ${current.index + 1} (${current.name})` : ""}; ended so the run does not stay running`;
    const done = await db.$transaction(async (tx) => {
      // Compare-and-set on the attempt: a worker that resumed the run in the meantime keeps it.
      const taken = await tx.drillRun.updateMany({
        where: {
          id: run.id,
          attempt: run.attempt,
          status: run.status,
          ...(run.status === "running" ? { OR: [{ leaseUntil: null }, { leaseUntil: { lt: cutoff } }] } : {}),
        },
        data: {
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
        where: { drillRunId: run.id, state: "pending" },
        data: { state: "skipped" },
      });
      await recordAudit(tx, {
        actor: null,
        action: "drill.expire",
        targetType: "drill_run",
        targetId: run.id,
        outcome: "failure",
        details: { reason, attempt: run.attempt },
      });
      return true;
    });
    if (done) ended.push({ id: run.id, reason });
  }
  return ended;
}
