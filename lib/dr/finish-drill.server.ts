import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { raiseNotification } from "@/lib/notifications/raise-notification.server";
import { decideVerdict, type DrillOutcome } from "./drill-verdict";
import { fencedWrite, type Fence } from "./drill-store.server";
import type { StepRecord } from "./step-record";
import { parseStoredJson, stepOutputSchema } from "./stored-json";

// Ends a run: the verdict from the stored step records, the measured RTO/RPO, the evidence, the live lock
// released, and an audit event, all in one fenced transaction.

export function toStepRecords(
  rows: Array<{
    index: number;
    name: string;
    type: string;
    state: string;
    startedAt: Date | null;
    finishedAt: Date | null;
    output: unknown;
    error: string | null;
  }>,
): StepRecord[] {
  return rows.map((r) => ({
    index: r.index,
    name: r.name,
    type: r.type,
    state: r.state as StepRecord["state"],
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    output: parseStoredJson(stepOutputSchema, r.output, "DrillStepResult.output"),
    error: r.error,
  }));
}

export function dryRunOutcome(steps: StepRecord[], base: DrillOutcome): DrillOutcome {
  if (base.status === "aborted") return { ...base, rto: { seconds: null, basis: "not measured in a dry run" } };
  const problems = steps.filter((s) => s.state !== "succeeded");
  // Shown beside a "dry run: passed" badge everywhere: the reason does not say "dry run" again.
  const reason =
    problems.length === 0
      ? `all ${steps.length} steps pass their read-only checks; nothing was changed`
      : `${problems.map((s) => `step ${s.index + 1} (${s.name}) would fail: ${s.error ?? s.state}`).join("; ")}; nothing was changed`;
  // A dry run restores nothing: unless the recovery is of a kind with no RPO (n/a, as in the live run), the figure
  // is the live run's to measure, from the backup it restores.
  const rpo =
    base.rpo.seconds === null && !base.rpo.notApplicable
      ? {
          seconds: null,
          basis: "not measured in a dry run: RPO is the age of the backup a live run restores, at its failure instant",
        }
      : base.rpo;
  return {
    ...base,
    status: problems.length === 0 ? "passed" : "failed",
    reason,
    rto: { seconds: null, basis: "not measured in a dry run" },
    rpo,
  };
}

export async function finishDrill(fence: Fence, failure?: string): Promise<{ status: string; reason: string }> {
  return fencedWrite(fence, async (tx) => {
    const run = await tx.drillRun.findUniqueOrThrow({
      where: { id: fence.runId },
      include: { plan: true, steps: { orderBy: { index: "asc" } } },
    });
    const steps = toStepRecords(run.steps);
    const startedAt = run.startedAt ?? new Date(fence.now());
    let outcome = decideVerdict(
      run.plan,
      { startedAt, aborted: run.abortRequested, abortedBy: run.abortedBy, abortReason: run.abortReason },
      steps,
    );
    if (run.mode === "dry_run") outcome = dryRunOutcome(steps, outcome);
    if (failure) outcome = { ...outcome, status: "failed", reason: failure };
    await tx.drillStepResult.updateMany({
      where: { drillRunId: run.id, state: { in: ["pending", "running", "waiting_for_operator"] } },
      data: { state: "skipped", finishedAt: new Date(fence.now()) },
    });
    await tx.drillRun.update({
      where: { id: run.id },
      data: {
        status: outcome.status,
        finishedAt: new Date(fence.now()),
        leaseUntil: null,
        liveLockKey: null,
        measuredRtoSeconds: outcome.rto.seconds,
        measuredRpoSeconds: outcome.rpo.seconds,
        verdictReason: outcome.reason,
        evidence: {
          ...outcome.evidence,
          rtoBasis: outcome.rto.basis,
          rpoBasis: outcome.rpo.basis,
          worstCaseRpoSeconds: outcome.worstCaseRpo.seconds,
          worstCaseRpoBasis: outcome.worstCaseRpo.basis,
        } as object,
      },
    });
    await recordAudit(tx, {
      actor: null,
      action: "drill.finish",
      targetType: "drill_run",
      targetId: run.id,
      outcome: outcome.status === "passed" ? "success" : "failure",
      details: {
        planKey: run.plan.key,
        planVersion: run.planVersion,
        mode: run.mode,
        status: outcome.status,
        reason: outcome.reason,
        rtoSeconds: outcome.rto.seconds,
        rpoSeconds: outcome.rpo.seconds,
      },
    });
    if (outcome.status === "passed" || outcome.status === "failed") {
      const dry = run.mode === "dry_run" ? " (dry run)" : "";
      await raiseNotification(tx, {
        event: outcome.status === "passed" ? "drill.passed" : "drill.failed",
        teamId: null,
        title: `${run.plan.name}${dry} ${outcome.status}`,
        summary: `${outcome.reason}${outcome.rto.seconds !== null ? ` Measured RTO ${outcome.rto.seconds} s.` : ""}`,
        path: `/drills/runs/${run.id}`,
        data: {
          drillRunId: run.id,
          planKey: run.plan.key,
          mode: run.mode,
          rtoSeconds: outcome.rto.seconds,
          rpoSeconds: outcome.rpo.seconds,
        },
      });
    }
    return { status: outcome.status, reason: outcome.reason };
  });
}
