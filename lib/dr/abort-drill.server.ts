import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { decide, type PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { DomainError } from "@/lib/errors/domain-error";

// Asks a running drill to stop: the runner sees the flag at its next poll, runs the current step's rollback and
// skips the rest. A run no worker has started yet is ended at once.
export async function abortDrill({
  actor: user,
  runId,
  reason,
  traceId,
}: {
  actor: PortalUser;
  runId: string;
  reason: string;
  traceId?: string;
}): Promise<{ status: string }> {
  const db = getPrisma();
  const run = await db.drillRun.findUnique({ where: { id: runId }, select: { id: true, mode: true, status: true } });
  if (!run) throw new DomainError("not_found", `drill run ${runId} was not found`);
  const action = run.mode === "live" ? "drill.run-live" : "drill.run-dry";
  const decision = decide(user, action);
  if (!decision.allowed) {
    await recordAudit(db, {
      actor: { id: user.id, email: user.email },
      action: "drill.abort",
      targetType: "drill_run",
      targetId: runId,
      outcome: "denied",
      traceId,
      details: { reason: decision.reason },
    });
    throw new DomainError("forbidden", "You are not allowed to abort this drill.");
  }
  return db.$transaction(async (tx) => {
    const now = new Date();
    const queued = await tx.drillRun.updateMany({
      where: { id: runId, status: "queued" },
      data: {
        status: "aborted",
        abortRequested: true,
        abortedBy: user.email,
        abortReason: reason || null,
        finishedAt: now,
        liveLockKey: null,
        verdictReason: `aborted by ${user.email} before it started${reason ? `: ${reason}` : ""}`,
      },
    });
    if (queued.count === 1)
      await tx.drillStepResult.updateMany({ where: { drillRunId: runId }, data: { state: "skipped" } });
    const running =
      queued.count === 1
        ? { count: 0 }
        : await tx.drillRun.updateMany({
            where: { id: runId, status: "running" },
            data: { abortRequested: true, abortedBy: user.email, abortReason: reason || null },
          });
    if (queued.count + running.count === 0)
      throw new DomainError("conflict", `drill run ${runId} already ended (${run.status}); there is nothing to abort`);
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      action: "drill.abort",
      targetType: "drill_run",
      targetId: runId,
      outcome: "success",
      traceId,
      details: { reason, wasQueued: queued.count === 1 },
    });
    return { status: queued.count === 1 ? "aborted" : "abort_requested" };
  });
}
