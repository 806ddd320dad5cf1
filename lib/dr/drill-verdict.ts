// Measured RTO and RPO of a drill and its verdict, from the stored step records alone (so that a report rendered
// a year later says exactly what the run page said). Pure: times come from the records.
import { assessRestore } from "./assess-restore";
import type { BackupEvidence, HealthEvidence, RestoreEvidence, RolloutEvidence, StepRecord } from "./step-record";

export interface VerdictPlan {
  rtoMinutes: number;
  rpoMinutes: number;
  allowRestoreWarnings: boolean;
}

export interface VerdictRun {
  startedAt: Date;
  aborted: boolean;
  abortReason?: string | null;
  abortedBy?: string | null;
}

export interface Measurement {
  seconds: number | null;
  /** What the figure was measured from, in words an auditor can check against the evidence. */
  basis: string;
}

export interface DrillEvidence {
  backup?: BackupEvidence & { usedBy: string };
  restores: RestoreEvidence[];
  healthChecks: Array<HealthEvidence & { step: string }>;
  rollouts: RolloutEvidence[];
  notes: string[];
}

export interface DrillOutcome {
  status: "passed" | "failed" | "aborted";
  reason: string;
  rto: Measurement;
  rpo: Measurement;
  evidence: DrillEvidence;
}

const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

export function formatDuration(total: number | null): string {
  if (total === null) return "not measured";
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, "0")}m` : `${m}m ${String(s).padStart(2, "0")}s`;
}

export function collectEvidence(steps: StepRecord[]): DrillEvidence {
  const evidence: DrillEvidence = { restores: [], healthChecks: [], rollouts: [], notes: [] };
  let verified: BackupEvidence | undefined;
  for (const step of steps) {
    const outputs = [step.output, step.output.validation].filter((o) => o !== undefined);
    for (const out of outputs) {
      // A verify step that failed on age still found the newest recovery point: it is the RPO evidence.
      if (out.backup && step.type === "verify_backup") verified = out.backup;
      if (out.restore) evidence.restores.push(out.restore);
      if (out.health) evidence.healthChecks.push({ ...out.health, step: step.name });
      if (out.rollout) evidence.rollouts.push(out.rollout);
    }
  }
  const restored = evidence.restores.find((r) => r.backupCreatedAt);
  if (restored) {
    evidence.backup = { name: restored.backupName, namespace: restored.namespace, phase: "Completed", createdAt: restored.backupCreatedAt!, errors: 0, warnings: 0, usedBy: `restore ${restored.name}` };
    if (verified?.name === restored.backupName) evidence.backup = { ...verified, usedBy: `restore ${restored.name}` };
  } else if (verified) {
    evidence.backup = { ...verified, usedBy: "verify_backup (newest Completed backup)" };
  }
  return evidence;
}

export function measureRto(run: VerdictRun, steps: StepRecord[], evidence: DrillEvidence): Measurement {
  const passed = evidence.healthChecks.filter((h) => h.passedAt).map((h) => new Date(h.passedAt!));
  if (passed.length > 0) {
    const last = new Date(Math.max(...passed.map((d) => d.getTime())));
    return { seconds: seconds(run.startedAt, last), basis: `drill start → last passing health check at ${last.toISOString()}` };
  }
  const hasHealthChecks = steps.some((s) => s.type === "http_health_check");
  const ends = steps.filter((s) => s.state === "succeeded" && s.finishedAt).map((s) => s.finishedAt!.getTime());
  if (!hasHealthChecks && ends.length === steps.length && ends.length > 0) {
    const last = new Date(Math.max(...ends));
    return { seconds: seconds(run.startedAt, last), basis: `the plan has no health check: drill start → end of the last step at ${last.toISOString()}` };
  }
  return { seconds: null, basis: "no health check passed" };
}

export function measureRpo(run: VerdictRun, evidence: DrillEvidence): Measurement {
  if (evidence.backup) {
    const created = new Date(evidence.backup.createdAt);
    return { seconds: seconds(created, run.startedAt), basis: `drill start − creation of backup ${evidence.backup.name} (${evidence.backup.createdAt}), used by ${evidence.backup.usedBy}` };
  }
  const rollout = evidence.rollouts.find((r) => r.targetCreatedAt);
  if (rollout) {
    return { seconds: seconds(new Date(rollout.targetCreatedAt!), run.startedAt), basis: `drill start − creation of ReplicaSet ${rollout.targetReplicaSet} (revision ${rollout.toRevision}) rolled back to` };
  }
  return { seconds: null, basis: "no backup or revision was identified as the recovery point" };
}

export function decideVerdict(plan: VerdictPlan, run: VerdictRun, steps: StepRecord[]): DrillOutcome {
  const evidence = collectEvidence(steps);
  const rto = measureRto(run, steps, evidence);
  const rpo = measureRpo(run, evidence);
  const outcome = (status: DrillOutcome["status"], reason: string): DrillOutcome => ({ status, reason, rto, rpo, evidence });

  if (run.aborted) {
    const at = steps.find((s) => s.state === "rolled_back" || (s.state === "failed" && s.error?.includes("abort")));
    return outcome("aborted", `aborted${run.abortedBy ? ` by ${run.abortedBy}` : ""}${at ? ` during step ${at.index + 1} (${at.name})` : ""}${run.abortReason ? `: ${run.abortReason}` : ""}`);
  }
  const failed = steps.find((s) => s.state === "failed" || s.state === "rolled_back");
  if (failed) return outcome("failed", `step ${failed.index + 1} (${failed.name}) failed: ${failed.error ?? "no error recorded"}`);
  const unfinished = steps.find((s) => s.state !== "succeeded");
  if (unfinished) return outcome("failed", `step ${unfinished.index + 1} (${unfinished.name}) did not finish (state ${unfinished.state})`);
  for (const restore of evidence.restores) {
    const assessment = assessRestore(restore, plan.allowRestoreWarnings);
    if (!assessment.ok) return outcome("failed", assessment.reason);
    if (assessment.note) evidence.notes.push(assessment.note);
  }
  if (rto.seconds === null) return outcome("failed", `RTO could not be measured: ${rto.basis}`);
  if (rpo.seconds === null) return outcome("failed", `RPO could not be measured: ${rpo.basis}; add a verify_backup or create_restore step`);
  const rtoTarget = plan.rtoMinutes * 60;
  const rpoTarget = plan.rpoMinutes * 60;
  const figures = `RTO ${formatDuration(rto.seconds)} (target ${formatDuration(rtoTarget)}), RPO ${formatDuration(rpo.seconds)} (target ${formatDuration(rpoTarget)})`;
  if (rto.seconds > rtoTarget) return outcome("failed", `RTO ${formatDuration(rto.seconds)} exceeds the target of ${formatDuration(rtoTarget)}; ${figures}`);
  if (rpo.seconds > rpoTarget) return outcome("failed", `RPO ${formatDuration(rpo.seconds)} exceeds the target of ${formatDuration(rpoTarget)}; ${figures}`);
  return outcome("passed", `every step succeeded; ${figures}`);
}
