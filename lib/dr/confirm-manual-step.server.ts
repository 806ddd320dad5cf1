import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { decide, type PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { DomainError } from "@/lib/errors/domain-error";

// An operator confirms a manual step ("the Terraform apply finished"); the waiting runner picks it up at its
// next poll. Only a step that is waiting can be confirmed, and only once; a step whose manual rollback runs
// (after a failure or an abort) waits the same way, and its confirmation is the rollback's.
export async function confirmManualStep({
  actor: user,
  runId,
  stepIndex: index,
  note,
  traceId,
}: {
  actor: PortalUser;
  runId: string;
  stepIndex: number;
  note: string;
  traceId?: string;
}): Promise<{ confirmedAt: string }> {
  const db = getPrisma();
  const decision = decide(user, "drill.run-live");
  if (!decision.allowed) {
    await recordAudit(db, {
      actor: { id: user.id, email: user.email },
      action: "drill.confirm-step",
      targetType: "drill_run",
      targetId: runId,
      outcome: "denied",
      traceId,
      details: { index, reason: decision.reason },
    });
    throw new DomainError("forbidden", "You are not allowed to confirm drill steps.");
  }
  return db.$transaction(async (tx) => {
    const now = new Date();
    const updated = await tx.drillStepResult.updateMany({
      where: {
        drillRunId: runId,
        index,
        state: "waiting_for_operator",
        confirmedAt: null,
        drillRun: { status: "running" },
      },
      data: { confirmedBy: user.email, confirmedAt: now, confirmNote: note || null },
    });
    if (updated.count === 0) {
      const step = await tx.drillStepResult.findUnique({
        where: { drillRunId_index: { drillRunId: runId, index } },
        select: { state: true, type: true, confirmedBy: true },
      });
      if (!step) throw new DomainError("not_found", `step ${index + 1} of drill run ${runId} was not found`);
      throw new DomainError(
        "conflict",
        step.type !== "manual"
          ? `step ${index + 1} is not a manual step`
          : step.confirmedBy
            ? `step ${index + 1} was already confirmed by ${step.confirmedBy}`
            : `step ${index + 1} is ${step.state}, not waiting for an operator`,
      );
    }
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      action: "drill.confirm-step",
      targetType: "drill_run",
      targetId: runId,
      outcome: "success",
      traceId,
      details: { index, note },
    });
    return { confirmedAt: now.toISOString() };
  });
}
