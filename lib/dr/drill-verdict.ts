// Measured RTO and RPO of a drill and its verdict, from the stored step records alone (so that a report rendered
// a year later says exactly what the run page said). Pure: times come from the records.
import { assessRestore } from "./assess-restore";
import type { BackupEvidence, CanaryCheckEvidence, CanaryEvidence, FailureEvidence, HealthEvidence, RestoreEvidence, RolloutEvidence, StepRecord } from "./step-record";

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
  /** The figure does not apply to this kind of recovery (a rollout undo restores no backup); said in the basis. */
  notApplicable?: boolean;
}

export interface DrillEvidence {
  backup?: BackupEvidence & { usedBy: string };
  /** The failure the drill injected: RTO and RPO are measured from its injectedAt. */
  failure?: FailureEvidence & { step: string };
  restores: RestoreEvidence[];
  healthChecks: Array<HealthEvidence & { step: string }>;
  rollouts: RolloutEvidence[];
  canaries?: CanaryEvidence[];
  canaryChecks?: CanaryCheckEvidence[];
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
  const evidence: DrillEvidence = { restores: [], healthChecks: [], rollouts: [], canaries: [], canaryChecks: [], notes: [] };
  let verified: BackupEvidence | undefined;
  for (const step of steps) {
    const outputs = [step.output, step.output.validation].filter((o) => o !== undefined);
    for (const out of outputs) {
      // A verify step that failed on age still found the newest recovery point: it is the RPO evidence.
      if (out.backup && step.type === "verify_backup") verified = out.backup;
      if (out.restore) evidence.restores.push(out.restore);
      if (out.health) evidence.healthChecks.push({ ...out.health, step: step.name });
      if (out.rollout) evidence.rollouts.push(out.rollout);
      if (out.failure && !evidence.failure) evidence.failure = { ...out.failure, step: `step ${step.index + 1} (${step.name})` };
      if (out.canary) evidence.canaries!.push(out.canary);
      if (out.canaryCheck) evidence.canaryChecks!.push(out.canaryCheck);
    }
  }
  const restored = evidence.restores.find((r) => r.backupName && !r.backupCreatedInRun);
  if (restored) {
    const point = restored.backupRecoveryPointAt ?? restored.backupCreatedAt ?? null;
    evidence.backup = {
      name: restored.backupName,
      namespace: restored.namespace,
      phase: "Completed",
      createdAt: restored.backupCreatedAt ?? point ?? "",
      ...(point ? { recoveryPointAt: point, recoveryPointSource: restored.backupRecoveryPointSource ?? (restored.backupRecoveryPointAt ? "status.startTimestamp" : "metadata.creationTimestamp") } : {}),
      errors: 0,
      warnings: 0,
      usedBy: `restore ${restored.name}`,
    };
    if (verified?.name === restored.backupName) evidence.backup = { ...verified, usedBy: `restore ${restored.name}` };
  } else if (verified) {
    const inRun = evidence.restores.find((r) => r.backupCreatedInRun);
    evidence.backup = { ...verified, usedBy: inRun ? `verify_backup (newest backup made before the drill; restore ${inRun.name} used backup ${inRun.backupName}, made inside the drill to carry the canary, which does not count)` : "verify_backup (newest Completed backup)" };
  }
  return evidence;
}

/** The failure instant: the injection step's injectedAt, else the drill start (said in the basis). */
function failureInstant(run: VerdictRun, evidence: DrillEvidence): { at: Date; words: string } {
  if (evidence.failure) return { at: new Date(evidence.failure.injectedAt), words: `failure injected at ${evidence.failure.injectedAt} (${evidence.failure.step}: ${evidence.failure.kind} ${evidence.failure.deployment ? `${evidence.failure.namespace}/${evidence.failure.deployment}` : evidence.failure.namespace})` };
  return { at: run.startedAt, words: `drill start at ${run.startedAt.toISOString()} (the plan injects no failure)` };
}

export function measureRto(run: VerdictRun, steps: StepRecord[], evidence: DrillEvidence): Measurement {
  const from = failureInstant(run, evidence);
  const passed = evidence.healthChecks.filter((h) => h.passedAt && Date.parse(h.passedAt) >= from.at.getTime()).map((h) => new Date(h.passedAt!));
  if (passed.length > 0) {
    const last = new Date(Math.max(...passed.map((d) => d.getTime())));
    return { seconds: seconds(from.at, last), basis: `${from.words} → last passing health check at ${last.toISOString()}` };
  }
  const hasHealthChecks = steps.some((s) => s.type === "http_health_check");
  const ends = steps.filter((s) => s.state === "succeeded" && s.finishedAt).map((s) => s.finishedAt!.getTime());
  if (!hasHealthChecks && ends.length === steps.length && ends.length > 0) {
    const last = new Date(Math.max(...ends));
    return { seconds: seconds(from.at, last), basis: `the plan has no health check: ${from.words} → end of the last step at ${last.toISOString()}` };
  }
  return { seconds: null, basis: evidence.failure ? `no health check passed after the failure injected at ${evidence.failure.injectedAt}` : "no health check passed" };
}

export function measureRpo(run: VerdictRun, evidence: DrillEvidence): Measurement {
  const at = failureInstant(run, evidence);
  const rollout = evidence.rollouts.find((r) => r.targetCreatedAt !== undefined);
  const restoredFromBackup = evidence.restores.some((r) => !r.backupCreatedInRun);
  // A rollout undo recovers the previous revision, not a backup: its data point is that revision, if known.
  if (rollout && !restoredFromBackup) {
    const f = evidence.failure;
    if (f?.kind === "corrupt_model" && f.previousRevision !== undefined && f.previousRevision === rollout.toRevision && f.namespace === rollout.namespace && f.deployment === rollout.deployment) {
      return { seconds: null, notApplicable: true, basis: `n/a: the rollout undo went back to revision ${rollout.toRevision}, which served until the corrupt model was injected at ${f.injectedAt}; no backup was restored and nothing in between was lost` };
    }
    if (!rollout.targetCreatedAt) return { seconds: null, notApplicable: true, basis: `n/a: recovered by rollout undo to revision ${rollout.toRevision}, no backup was restored and the revision's age is unknown` };
    return { seconds: seconds(new Date(rollout.targetCreatedAt), at.at), basis: `recovered by rollout undo, no backup restored: ${at.words} − creation of ReplicaSet ${rollout.targetReplicaSet} (revision ${rollout.toRevision}) at ${rollout.targetCreatedAt}` };
  }
  if (evidence.backup) {
    const point = evidence.backup.recoveryPointAt ?? evidence.backup.createdAt;
    const source = evidence.backup.recoveryPointSource === "metadata.creationTimestamp" || !evidence.backup.recoveryPointAt ? "metadata.creationTimestamp, as the backup has no status.startTimestamp" : "status.startTimestamp";
    return { seconds: seconds(new Date(point), at.at), basis: `${at.words} − start of backup ${evidence.backup.name} at ${point} (${source}), used by ${evidence.backup.usedBy}` };
  }
  if (evidence.restores.some((r) => r.backupCreatedInRun)) return { seconds: null, basis: "the only backup restored was made inside the drill, which is no recovery point; add a verify_backup step for the newest backup made before it" };
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
  const badCanary = evidence.canaryChecks?.find((c) => !c.match);
  if (badCanary) return outcome("failed", `canary ${badCanary.namespace}/${badCanary.name} does not match: sha256 ${badCanary.foundChecksum ?? "absent"}, expected ${badCanary.expectedChecksum}`);
  const unchecked = evidence.canaries?.find((c) => !evidence.canaryChecks?.some((k) => k.name === c.name && k.expectedChecksum === c.checksum));
  if (unchecked) return outcome("failed", `canary ${unchecked.namespace}/${unchecked.name} was written but never verified after the restore: add a verify_canary step`);
  if (rto.seconds === null) return outcome("failed", `RTO could not be measured: ${rto.basis}`);
  if (rpo.seconds === null && !rpo.notApplicable) return outcome("failed", `RPO could not be measured: ${rpo.basis}; add a verify_backup or create_restore step`);
  const rtoTarget = plan.rtoMinutes * 60;
  const rpoTarget = plan.rpoMinutes * 60;
  const figures = `RTO ${formatDuration(rto.seconds)} (target ${formatDuration(rtoTarget)}), RPO ${rpo.seconds === null ? "n/a" : formatDuration(rpo.seconds)} (target ${formatDuration(rpoTarget)})`;
  if (rto.seconds > rtoTarget) return outcome("failed", `RTO ${formatDuration(rto.seconds)} exceeds the target of ${formatDuration(rtoTarget)}; ${figures}`);
  if (rpo.seconds !== null && rpo.seconds > rpoTarget) return outcome("failed", `RPO ${formatDuration(rpo.seconds)} exceeds the target of ${formatDuration(rpoTarget)}; ${figures}`);
  return outcome("passed", `every step succeeded; ${figures}`);
}
