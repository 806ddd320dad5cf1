// Measured RTO and RPO of a drill and its verdict, from the stored step records alone (so that a report rendered
// a year later says exactly what the run page said). Pure: times come from the records.
import { assessRestore } from "./assess-restore";
import type {
  BackupEvidence,
  CanaryCheckEvidence,
  CanaryEvidence,
  CleanupEvidence,
  FailureEvidence,
  HealthEvidence,
  RestoreEvidence,
  RollForwardEvidence,
  RolloutEvidence,
  StepRecord,
} from "./step-record";

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
  rollForwards?: RollForwardEvidence[];
  cleanups?: CleanupEvidence[];
  notes: string[];
}

export interface DrillOutcome {
  status: "passed" | "failed" | "aborted";
  reason: string;
  rto: Measurement;
  rpo: Measurement;
  /** The gap between the restored backup and its schedule's previous one: the RPO an incident could see. */
  worstCaseRpo: Measurement;
  evidence: DrillEvidence;
}

/** Restore phases after which the restored backup is the recovery point ("NotStarted": a dry run's restore). */
const recoveredPhases = new Set(["Completed", "PartiallyFailed", "NotStarted"]);

const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

/** An RPO as the run page shows it: "n/a" when the recovery restored no backup (a rollout undo), not "not measured". */
export function formatRpo(total: number | null, basis: string | null | undefined): string {
  return total === null && basis?.startsWith("n/a") ? "n/a" : formatDuration(total);
}

export function formatDuration(total: number | null): string {
  if (total === null) return "not measured";
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, "0")}m` : `${m}m ${String(s).padStart(2, "0")}s`;
}

/** A target in minutes as people say it: "15 min", "24 h", "1 h 30 min" (never "1440 min"). */
export function formatTargetMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export function collectEvidence(steps: StepRecord[]): DrillEvidence {
  const evidence: DrillEvidence = {
    restores: [],
    healthChecks: [],
    rollouts: [],
    canaries: [],
    canaryChecks: [],
    rollForwards: [],
    cleanups: [],
    notes: [],
  };
  let verified: BackupEvidence | undefined;
  for (const step of steps) {
    const outputs = [step.output, step.output.validation].filter((o) => o !== undefined);
    for (const out of outputs) {
      // A verify step that failed on age still found the newest recovery point: it is the RPO evidence.
      if (out.backup && step.type === "verify_backup") verified = out.backup;
      if (out.restore) evidence.restores.push(out.restore);
      if (out.health) evidence.healthChecks.push({ ...out.health, step: step.name });
      if (out.rollout) evidence.rollouts.push(out.rollout);
      if (out.failure && !evidence.failure)
        evidence.failure = { ...out.failure, step: `step ${step.index + 1} (${step.name})` };
      if (out.canary) evidence.canaries!.push(out.canary);
      if (out.canaryCheck) evidence.canaryChecks!.push(out.canaryCheck);
      if (out.rollForward) evidence.rollForwards!.push(out.rollForward);
      if (out.cleanup) evidence.cleanups!.push(out.cleanup);
    }
  }
  // The recovery point is the backup a restore actually brought back (and that reached a terminal phase, or would
  // be restored in a dry run): never one the drill made itself. Only a plan that restores nothing (a backup
  // freshness check) takes the newest verified backup instead.
  const restored = evidence.restores.find((r) => r.backupName && !r.backupCreatedInRun && recoveredPhases.has(r.phase));
  const restoreSteps = steps.some((s) => s.type === "create_restore");
  if (restored) {
    const point = restored.backupRecoveryPointAt ?? restored.backupCreatedAt ?? null;
    evidence.backup = {
      name: restored.backupName,
      namespace: restored.namespace,
      phase: "Completed",
      createdAt: restored.backupCreatedAt ?? point ?? "",
      ...(point
        ? {
            recoveryPointAt: point,
            recoveryPointSource:
              restored.backupRecoveryPointSource ??
              (restored.backupRecoveryPointAt ? "status.startTimestamp" : "metadata.creationTimestamp"),
          }
        : {}),
      errors: 0,
      warnings: 0,
      usedBy: `restore ${restored.name}${restored.cluster ? ` on ${restored.cluster}` : ""}`,
    };
    if (verified?.name === restored.backupName) evidence.backup = { ...verified, usedBy: evidence.backup.usedBy };
  } else if (verified && !restoreSteps) {
    evidence.backup = { ...verified, usedBy: "verify_backup (newest Completed backup; the plan restores nothing)" };
  }
  return evidence;
}

/** The failure instant: the injection step's injectedAt, else the drill start (said in the basis). */
function failureInstant(run: VerdictRun, evidence: DrillEvidence): { at: Date; words: string } {
  if (evidence.failure)
    return {
      at: new Date(evidence.failure.injectedAt),
      words: `failure injected at ${evidence.failure.injectedAt} (${evidence.failure.step}: ${evidence.failure.kind} ${evidence.failure.deployment ? `${evidence.failure.namespace}/${evidence.failure.deployment}` : evidence.failure.namespace})`,
    };
  return { at: run.startedAt, words: `drill start at ${run.startedAt.toISOString()} (the plan injects no failure)` };
}

/**
 * The first verify-mode model probe after the plan's last restore, on that restore's cluster, whose every golden
 * answer matched, and when it passed. `planned`: the plan verifies by probe at all (then no other signal counts).
 */
function firstRecoveredProbe(
  steps: StepRecord[],
  notBefore: Date,
): { planned: boolean; at?: Date; step?: string; cluster?: string } {
  const verifying = steps.filter((s) => s.output.probe?.golden === "verify");
  if (verifying.length === 0) return { planned: false };
  const restoreStep = [...steps].reverse().find((s) => s.output.restore);
  const restore = restoreStep?.output.restore;
  const cluster = restore?.cluster ?? undefined;
  const after = Math.max(notBefore.getTime(), restoreStep?.finishedAt?.getTime() ?? 0);
  const passes = verifying
    .filter((s) => !restoreStep || s.index > restoreStep.index)
    .filter((s) => !cluster || s.output.probe!.cluster === cluster)
    .filter((s) => {
      const p = s.output.probe!;
      return (
        s.state === "succeeded" &&
        p.results.length > 0 &&
        p.matches?.length === p.results.length &&
        p.matches.every(Boolean)
      );
    })
    .map((s) => ({ s, at: s.output.probe!.passedAt ? new Date(s.output.probe!.passedAt) : s.finishedAt }))
    .filter((x): x is { s: StepRecord; at: Date } => !!x.at && x.at.getTime() >= after)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = passes[0];
  return first
    ? { planned: true, at: first.at, step: `step ${first.s.index + 1} (${first.s.name})`, cluster }
    : { planned: true, cluster };
}

export function measureRto(run: VerdictRun, steps: StepRecord[], evidence: DrillEvidence): Measurement {
  if (run.aborted) return { seconds: null, basis: "not measured: the drill was aborted before it proved a recovery" };
  const from = failureInstant(run, evidence);
  // Service is back when the recovered model answers correctly from inside the cluster that serves it: the first
  // in-cluster golden-set probe on the restore's cluster, after the restore, with every answer matching. Later
  // checks only add the drill's own remaining steps to the figure; a worker-side HTTP check sees another network.
  const probed = firstRecoveredProbe(steps, from.at);
  if (probed.planned) {
    if (probed.at) {
      const value = seconds(from.at, probed.at);
      return {
        seconds: value,
        basis: `${from.words} → first fully passing in-cluster model probe (${probed.step}${probed.cluster ? ` on ${probed.cluster}` : ""}) at ${probed.at.toISOString()} = ${value} s`,
      };
    }
    return {
      seconds: null,
      basis: `no in-cluster model probe passed every golden request${probed.cluster ? ` on ${probed.cluster}` : ""} after the restore`,
    };
  }
  const passed = evidence.healthChecks
    .filter((h) => h.passedAt && Date.parse(h.passedAt) >= from.at.getTime())
    .map((h) => new Date(h.passedAt!));
  if (passed.length > 0) {
    const first = new Date(Math.min(...passed.map((d) => d.getTime())));
    const value = seconds(from.at, first);
    return {
      seconds: value,
      basis: `${from.words} → first passing health check at ${first.toISOString()} (the plan has no in-cluster model probe) = ${value} s`,
    };
  }
  const hasHealthChecks = steps.some((s) => s.type === "http_health_check");
  const ends = steps.filter((s) => s.state === "succeeded" && s.finishedAt).map((s) => s.finishedAt!.getTime());
  if (!hasHealthChecks && ends.length === steps.length && ends.length > 0) {
    const last = new Date(Math.max(...ends));
    return {
      seconds: seconds(from.at, last),
      basis: `the plan has no health check: ${from.words} → end of the last step at ${last.toISOString()}`,
    };
  }
  return {
    seconds: null,
    basis: evidence.failure
      ? `no health check passed after the failure injected at ${evidence.failure.injectedAt}`
      : "no health check passed",
  };
}

export function measureRpo(run: VerdictRun, evidence: DrillEvidence): Measurement {
  if (run.aborted) return { seconds: null, basis: "not measured: the drill was aborted before it proved a recovery" };
  const at = failureInstant(run, evidence);
  const restoredFromBackup = evidence.restores.some((r) => !r.backupCreatedInRun && recoveredPhases.has(r.phase));
  // A rollout undo recovers the previous revision, not a backup: there is no recovery point to age, in a dry run
  // as in a live one.
  const rollout = evidence.rollouts[0];
  if (rollout && !restoredFromBackup) {
    const f = evidence.failure;
    const served =
      f?.kind === "corrupt_model" && f.previousRevision !== undefined && f.previousRevision === rollout.toRevision
        ? `, which served until the corrupt model was injected at ${f.injectedAt}`
        : "";
    return {
      seconds: null,
      notApplicable: true,
      basis: `n/a: recovered by rollout undo of ${rollout.namespace}/${rollout.deployment} to revision ${rollout.toRevision}${served}; no backup was restored, so there is no recovery point to age`,
    };
  }
  if (evidence.backup) {
    const point = evidence.backup.recoveryPointAt ?? evidence.backup.createdAt;
    const source =
      evidence.backup.recoveryPointSource === "metadata.creationTimestamp" || !evidence.backup.recoveryPointAt
        ? "metadata.creationTimestamp, as the backup has no status.startTimestamp"
        : "status.startTimestamp";
    const value = seconds(new Date(point), at.at);
    return {
      seconds: value,
      basis: `${at.words} − start of backup ${evidence.backup.name} at ${point} (${source}), used by ${evidence.backup.usedBy} = ${value} s`,
    };
  }
  if (evidence.restores.some((r) => r.backupCreatedInRun))
    return {
      seconds: null,
      basis:
        "the only backup restored was made inside the drill, which is no recovery point; restore a backup the schedule made (verify_backup, then backupFrom latest-verified)",
    };
  if (evidence.restores.length > 0)
    return {
      seconds: null,
      basis: `restore ${evidence.restores[0]!.name} ended ${evidence.restores[0]!.phase}, so no backup was recovered`,
    };
  return {
    seconds: null,
    basis: "no backup was restored (the drill ended before its restore) and no revision was rolled back",
  };
}

/**
 * The worst-case RPO: the measured RPO is near zero by design when the drill waits for a fresh backup before it
 * injects, but an incident can strike just before a backup starts, when the newest recovery point is the schedule's
 * previous backup. That exposure is the gap between the restored backup's start and the previous successful backup
 * of the same schedule.
 */
export function measureWorstCaseRpo(run: VerdictRun, evidence: DrillEvidence): Measurement {
  if (run.aborted) return { seconds: null, basis: "not measured: the drill was aborted before it proved a recovery" };
  const backup = evidence.backup;
  if (!backup) return { seconds: null, notApplicable: true, basis: "n/a: no backup was restored" };
  if (!backup.scheduleName)
    return {
      seconds: null,
      basis: `not measured: backup ${backup.name} was not made by a Velero Schedule (no velero.io/schedule-name label), so there is no interval to age`,
    };
  const point = backup.recoveryPointAt ?? backup.startedAt;
  if (!backup.previousBackup || !point)
    return {
      seconds: null,
      basis: `not measured: schedule ${backup.scheduleName} has no Completed backup before ${backup.name}`,
    };
  const value = seconds(new Date(backup.previousBackup.startedAt), new Date(point));
  return {
    seconds: value,
    basis: `start of backup ${backup.name} at ${point} − start of the previous Completed backup of schedule ${backup.scheduleName}, ${backup.previousBackup.name}, at ${backup.previousBackup.startedAt} (status.startTimestamp) = ${value} s: an incident just before ${backup.name} would have restored ${backup.previousBackup.name}`,
  };
}

export function decideVerdict(plan: VerdictPlan, run: VerdictRun, steps: StepRecord[]): DrillOutcome {
  const evidence = collectEvidence(steps);
  const rto = measureRto(run, steps, evidence);
  const rpo = measureRpo(run, evidence);
  const worstCaseRpo = measureWorstCaseRpo(run, evidence);
  const outcome = (status: DrillOutcome["status"], reason: string): DrillOutcome => ({
    status,
    reason,
    rto,
    rpo,
    worstCaseRpo,
    evidence,
  });

  if (run.aborted) {
    const at = steps.find((s) => s.state === "rolled_back" || (s.state === "failed" && s.error?.includes("abort")));
    return outcome(
      "aborted",
      `aborted${run.abortedBy ? ` by ${run.abortedBy}` : ""}${at ? ` during step ${at.index + 1} (${at.name})` : ""}${run.abortReason ? `: ${run.abortReason}` : ""}`,
    );
  }
  const failed = steps.find((s) => s.state === "failed" || s.state === "rolled_back");
  if (failed)
    return outcome(
      "failed",
      `step ${failed.index + 1} (${failed.name}) failed: ${failed.error ?? "no error recorded"}`,
    );
  const unfinished = steps.find((s) => s.state !== "succeeded");
  if (unfinished)
    return outcome(
      "failed",
      `step ${unfinished.index + 1} (${unfinished.name}) did not finish (state ${unfinished.state})`,
    );
  for (const restore of evidence.restores) {
    const assessment = assessRestore(restore, plan.allowRestoreWarnings);
    if (!assessment.ok) return outcome("failed", assessment.reason);
    if (assessment.note) evidence.notes.push(assessment.note);
    // Skipped existing objects count in itemsRestored too: once Velero warned of some, only a canary this restore
    // re-created shows that it brought anything back.
    const proven = evidence.canaryChecks?.some((c) => c.match && c.restoredBy === restore.name);
    if (restore.phase !== "NotStarted" && restore.existingResourcePolicy === "none" && restore.warnings > 0 && !proven)
      return outcome(
        "failed",
        `restore ${restore.name} reports ${restore.itemsRestored ?? 0} items restored with ${restore.warnings} warnings under existingResourcePolicy none: Velero counts skipped existing objects as restored, and no canary re-created by this restore proves it brought anything back (add write_canary / verify_canary, or restore with existingResourcePolicy update)`,
      );
  }
  const badCanary = evidence.canaryChecks?.find((c) => !c.match);
  if (badCanary)
    return outcome(
      "failed",
      `canary ${badCanary.namespace}/${badCanary.name} does not match: sha256 ${badCanary.foundChecksum ?? "absent"}, expected ${badCanary.expectedChecksum}`,
    );
  const unchecked = evidence.canaries?.find(
    (c) => !evidence.canaryChecks?.some((k) => k.name === c.name && k.expectedChecksum === c.checksum),
  );
  if (unchecked)
    return outcome(
      "failed",
      `canary ${unchecked.namespace}/${unchecked.name} was written but never verified after the restore: add a verify_canary step`,
    );
  if (rto.seconds === null) return outcome("failed", `RTO could not be measured: ${rto.basis}`);
  if (rpo.seconds === null && !rpo.notApplicable)
    return outcome("failed", `RPO could not be measured: ${rpo.basis}; add a verify_backup or create_restore step`);
  const rtoTarget = plan.rtoMinutes * 60;
  const rpoTarget = plan.rpoMinutes * 60;
  const worstCase = worstCaseRpo.seconds === null ? "" : `, worst-case RPO ${formatDuration(worstCaseRpo.seconds)}`;
  const figures = `RTO ${formatDuration(rto.seconds)} (target ${formatDuration(rtoTarget)}), RPO ${rpo.seconds === null ? "n/a" : formatDuration(rpo.seconds)}${worstCase} (target ${formatDuration(rpoTarget)})`;
  if (rto.seconds > rtoTarget)
    return outcome(
      "failed",
      `RTO ${formatDuration(rto.seconds)} exceeds the target of ${formatDuration(rtoTarget)}; ${figures}`,
    );
  if (rpo.seconds !== null && rpo.seconds > rpoTarget)
    return outcome(
      "failed",
      `RPO ${formatDuration(rpo.seconds)} exceeds the target of ${formatDuration(rpoTarget)}; ${figures}`,
    );
  // The measured RPO is near zero by design (the drill waits for a fresh backup), so it alone cannot show that the
  // schedule is too sparse for the target: the gap between scheduled backups is what an incident would lose.
  if (worstCaseRpo.seconds !== null && worstCaseRpo.seconds > rpoTarget)
    return outcome(
      "failed",
      `the backup schedule cannot meet the RPO target: worst case ${worstCaseRpo.seconds} s > target ${rpoTarget} s; ${figures}`,
    );
  return outcome("passed", `every step succeeded; ${figures}`);
}
