import "server-only";
import {
  VELERO,
  DrillAborted,
  objectName,
  pollUntilDone,
  type Action,
  type ActionContext,
  type ActionResult,
} from "./action-context.server";
import { assessRestore, isVeleroTerminal } from "./assess-restore";
import {
  drillRunLabel,
  newestCompletedBackup,
  readVeleroStatus,
  previousScheduledBackup,
  recoveryPointOf,
  scheduleNameLabel,
  startedAfterCanary,
  type VeleroStatus,
} from "./kube-readers";
import type { BackupEvidence, RestoreEvidence } from "./step-record";

// The Velero steps as Velero's own controllers judge them: recovery points by status.startTimestamp, the storage
// location Available and the backup synced before a restore, an explicit existingResourcePolicy, terminal phases
// only, and a restore that Velero cannot cancel waited out on abort or timeout.

type VerifyBackup = Extract<Action, { type: "verify_backup" }>;
type CreateBackup = Extract<Action, { type: "create_backup" }>;
type CreateRestore = Extract<Action, { type: "create_restore" }>;

export function backupEvidence(s: VeleroStatus, extra: Partial<BackupEvidence> = {}): BackupEvidence {
  const point = recoveryPointOf(s);
  return {
    name: s.name,
    namespace: s.namespace,
    phase: s.phase ?? "New",
    createdAt: s.createdAt ?? "",
    startedAt: s.startedAt,
    ...(point ? { recoveryPointAt: point.at, recoveryPointSource: point.source } : {}),
    completedAt: s.completedAt,
    errors: s.errors,
    warnings: s.warnings,
    storageLocation: s.storageLocation,
    itemsBackedUp: s.itemsDone,
    volumeSnapshotsAttempted: s.volumeSnapshotsAttempted,
    volumeSnapshotsCompleted: s.volumeSnapshotsCompleted,
    ...(s.labels[drillRunLabel] ? { createdInRun: true } : {}),
    ...extra,
  };
}

/** The schedule that made the backup and its previous Completed backup: the worst-case RPO's evidence. */
function scheduleEvidence(listed: VeleroStatus[], chosen: VeleroStatus): Partial<BackupEvidence> {
  const schedule = chosen.labels[scheduleNameLabel];
  if (!schedule) return {};
  const previous = previousScheduledBackup(listed, chosen);
  const at = previous && recoveryPointOf(previous);
  return {
    scheduleName: schedule,
    ...(previous && at ? { previousBackup: { name: previous.name, startedAt: at.at } } : {}),
  };
}

export async function verifyBackup(action: VerifyBackup, ctx: ActionContext): Promise<ActionResult> {
  if (action.recoveryPoint === "after_canary") return waitForScheduledBackup(action, ctx);
  const listed = (await ctx.kube.list(VELERO, "Backup", action.veleroNamespace, action.selector)).map(readVeleroStatus);
  const newest = newestCompletedBackup(listed, { before: ctx.runStartedAt });
  if (!newest)
    return {
      ok: false,
      output: {},
      error: `no Completed Velero Backup started before the drill matches ${action.selector} in ${action.veleroNamespace} (${listed.length} found; backups made by a drill never count)`,
    };
  const backup = backupEvidence(newest, scheduleEvidence(listed, newest));
  const ageMinutes = (ctx.now() - Date.parse(backup.recoveryPointAt!)) / 60_000;
  if (action.maxAgeMinutes !== undefined && ageMinutes > action.maxAgeMinutes) {
    return {
      ok: false,
      output: { backup },
      error: `newest Completed backup ${newest.name} started ${Math.round(ageMinutes)} min ago (${backup.recoveryPointSource}), over the ${action.maxAgeMinutes} min limit: the backup schedule is not keeping up`,
    };
  }
  return { ok: true, output: { backup } };
}

/**
 * Waits for the next Completed backup matching the selector that started after this drill wrote its canary: the
 * schedule's next run, so the recovery point is a backup an incident would restore and it carries data the drill
 * can prove after the restore. A backup the drill made (run label) never counts.
 */
async function waitForScheduledBackup(action: VerifyBackup, ctx: ActionContext): Promise<ActionResult> {
  const canary = ctx.previous
    .map((o) => o.canary)
    .filter((c) => c !== undefined)
    .pop();
  if (!canary) {
    if (ctx.mode === "dry_run")
      return {
        ok: true,
        output: {},
        note: `would wait for the next Completed backup matching ${action.selector} after the canary is written`,
      };
    return {
      ok: false,
      output: {},
      error: "no canary was written earlier in this drill: add a write_canary step before this one",
    };
  }
  return pollUntilDone(ctx, `the next backup matching ${action.selector}`, async () => {
    const listed = (await ctx.kube.list(VELERO, "Backup", action.veleroNamespace, action.selector)).map(
      readVeleroStatus,
    );
    const newer = listed.filter((b) => !b.labels[drillRunLabel] && startedAfterCanary(b.startedAt, canary.writtenAt));
    const done = newestCompletedBackup(newer);
    if (done) return { done: true, output: { backup: backupEvidence(done, scheduleEvidence(listed, done)) } };
    const failed = newer.find((b) => isVeleroTerminal(b.phase) && b.phase !== "Completed");
    if (failed)
      return {
        done: true,
        output: { backup: backupEvidence(failed) },
        error: `backup ${failed.name} of the schedule ended ${failed.phase}${failed.failureReason ? `: ${failed.failureReason}` : ""}: there is no recovery point that carries the canary`,
      };
    const running = listed.find((b) => !b.labels[drillRunLabel] && !isVeleroTerminal(b.phase));
    return {
      done: false,
      output: {},
      progress: running
        ? `backup ${running.name} is ${running.phase ?? "New"}`
        : `waiting for the schedule's next backup matching ${action.selector} (the canary was written at ${canary.writtenAt})`,
    };
  });
}

/** Waits until the storage location is Available (Velero fails a Backup or Restore on an unavailable one). */
async function storageLocationProgress(
  ctx: ActionContext,
  veleroNamespace: string,
  location: string,
): Promise<string | null> {
  const bsl = await ctx.kube.read(VELERO, "BackupStorageLocation", veleroNamespace, location);
  if (!bsl) return `BackupStorageLocation ${veleroNamespace}/${location} does not exist on ${ctx.clusterName}`;
  const phase = (bsl.status as { phase?: string } | undefined)?.phase;
  return phase === "Available"
    ? null
    : `BackupStorageLocation ${location} is ${phase ?? "not yet validated"}, waiting for Available`;
}

export async function createBackup(action: CreateBackup, ctx: ActionContext): Promise<ActionResult> {
  const name = objectName(ctx, "backup");
  const settings = {
    storageLocation: action.storageLocation,
    snapshotVolumes: action.snapshotVolumes,
    defaultVolumesToFsBackup: action.defaultVolumesToFsBackup,
  };
  if (ctx.mode === "dry_run") {
    const waiting = await storageLocationProgress(ctx, action.veleroNamespace, action.storageLocation);
    return {
      ok: true,
      output: {},
      note: `would create Backup ${action.veleroNamespace}/${name}${waiting ? `; now: ${waiting}` : ""}`,
    };
  }
  const existing = await ctx.kube.read(VELERO, "Backup", action.veleroNamespace, name);
  if (!existing) {
    const ready = await pollUntilDone(ctx, `storage location ${action.storageLocation}`, async () => {
      const waiting = await storageLocationProgress(ctx, action.veleroNamespace, action.storageLocation);
      return waiting ? { done: false, output: {}, progress: waiting } : { done: true, output: {} };
    });
    if (!ready.ok) return ready;
    await ctx.kube.createOrGet({
      apiVersion: VELERO,
      kind: "Backup",
      metadata: { name, namespace: action.veleroNamespace, labels: { [drillRunLabel]: ctx.runId } },
      spec: { includedNamespaces: action.includedNamespaces, ttl: `${action.ttlHours}h0m0s`, ...settings },
    });
  }
  return pollUntilDone(ctx, `backup ${name}`, async () => {
    const s = readVeleroStatus(await ctx.kube.read(VELERO, "Backup", action.veleroNamespace, name));
    const backup = backupEvidence(
      { ...s, name, namespace: action.veleroNamespace },
      {
        createdInRun: true,
        snapshotVolumes: action.snapshotVolumes,
        defaultVolumesToFsBackup: action.defaultVolumesToFsBackup,
      },
    );
    if (!isVeleroTerminal(s.phase))
      return { done: false, output: { backup }, progress: `backup ${name} is ${s.phase ?? "New"}` };
    const problems = [
      s.phase !== "Completed" || s.errors > 0
        ? `ended ${s.phase} with ${s.errors} errors, ${s.warnings} warnings${s.failureReason ? `: ${s.failureReason}` : ""}`
        : null,
      s.volumeSnapshotsCompleted < s.volumeSnapshotsAttempted
        ? `${s.volumeSnapshotsCompleted} of ${s.volumeSnapshotsAttempted} volume snapshots completed`
        : null,
      s.itemOperationsFailed > 0 ? `${s.itemOperationsFailed} backup item operations failed` : null,
    ].filter(Boolean);
    return problems.length === 0
      ? { done: true, output: { backup } }
      : { done: true, output: { backup }, error: `backup ${name} ${problems.join("; ")}` };
  });
}

function backupFromPrevious(
  ctx: ActionContext,
  from: string,
): { name: string; evidence?: BackupEvidence } | { error: string } {
  if (from !== "latest-verified" && from !== "created-in-run") return { name: from };
  for (let i = ctx.previous.length - 1; i >= 0; i--) {
    const b = ctx.previous[i]?.backup;
    if (b && (from === "latest-verified" ? b.phase === "Completed" && !b.createdInRun : b.createdInRun))
      return { name: b.name, evidence: b };
  }
  return {
    error:
      from === "latest-verified"
        ? "no verified backup from an earlier step: the verify_backup step must succeed first"
        : "no backup was created earlier in this drill",
  };
}

export async function createRestore(action: CreateRestore, ctx: ActionContext): Promise<ActionResult> {
  const dry = ctx.mode === "dry_run";
  if (dry && action.backupFrom === "created-in-run")
    return { ok: true, output: {}, note: "would restore the backup created earlier in this drill" };
  const source = backupFromPrevious(ctx, action.backupFrom);
  // A dry run of a plan whose recovery point is the schedule's next backup has none yet: it says so.
  if ("error" in source && dry && action.backupFrom === "latest-verified")
    return { ok: true, output: {}, note: "would restore the backup the verify_backup step identifies" };
  if ("error" in source) return { ok: false, output: {}, error: source.error };
  const name = objectName(ctx, "restore");
  const location = source.evidence?.storageLocation ?? "default";

  // On a rebuilt cluster the backup appears only once Velero's backup sync has copied it from the storage
  // location; a Restore created before that ends FailedValidation.
  let synced: VeleroStatus | null = null;
  const waited = await pollUntilDone(ctx, `backup ${source.name} on ${ctx.clusterName}`, async () => {
    const waiting = await storageLocationProgress(ctx, action.veleroNamespace, location);
    if (waiting)
      return dry ? { done: true, output: {}, error: waiting } : { done: false, output: {}, progress: waiting };
    const live = await ctx.kube.read(VELERO, "Backup", action.veleroNamespace, source.name);
    if (live) synced = readVeleroStatus(live);
    const progress = !live
      ? `backup ${source.name} is not yet synced from storage location ${location}`
      : synced!.phase !== "Completed"
        ? `backup ${source.name} is ${synced!.phase ?? "New"}`
        : null;
    if (!progress) return { done: true, output: {} };
    return dry ? { done: true, output: {}, error: progress } : { done: false, output: {}, progress };
  });
  if (!waited.ok) return waited;
  const s = synced as VeleroStatus | null;
  const point = s ? recoveryPointOf(s) : null;
  const base: RestoreEvidence = {
    name,
    namespace: action.veleroNamespace,
    backupName: source.name,
    backupCreatedAt: s?.createdAt ?? source.evidence?.createdAt ?? null,
    backupRecoveryPointAt: point?.at ?? source.evidence?.recoveryPointAt ?? null,
    ...(point
      ? { backupRecoveryPointSource: point.source }
      : source.evidence?.recoveryPointSource
        ? { backupRecoveryPointSource: source.evidence.recoveryPointSource }
        : {}),
    ...(source.evidence?.createdInRun || s?.labels[drillRunLabel] ? { backupCreatedInRun: true } : {}),
    namespaceMapping: action.namespaceMapping,
    existingResourcePolicy: action.existingResourcePolicy,
    cluster: ctx.clusterName,
    phase: "New",
    errors: 0,
    warnings: 0,
  };
  if (dry)
    return {
      ok: true,
      output: { restore: { ...base, phase: "NotStarted" } },
      note: `would restore backup ${source.name} (started ${base.backupRecoveryPointAt}) on ${ctx.clusterName} with existingResourcePolicy ${action.existingResourcePolicy}`,
    };
  // Velero cannot restore into a namespace that is being deleted (its objects are refused until it is gone): wait,
  // bounded by the step's timeout, for each target namespace stuck Terminating to go, naming what holds it.
  if (!(await ctx.kube.read(VELERO, "Restore", action.veleroNamespace, name))) {
    const targets = action.namespaceMapping
      ? Object.values(action.namespaceMapping)
      : (action.includedNamespaces ?? []);
    const gone = await pollUntilDone(ctx, `restore ${name} into ${targets.join(", ")}`, async () => {
      for (const ns of targets) {
        const live = await ctx.kube.read("v1", "Namespace", undefined, ns);
        if ((live?.status as { phase?: string } | undefined)?.phase !== "Terminating") continue;
        const finalizers = [
          ...((live?.spec?.finalizers as string[] | undefined) ?? []),
          ...((live?.metadata?.finalizers as string[] | undefined) ?? []),
        ];
        return {
          done: false,
          output: { restore: base },
          progress: `namespace ${ns} is Terminating${finalizers.length ? ` (finalizers: ${finalizers.join(", ")})` : ""}: the restore waits for it to be gone before it starts`,
        };
      }
      return { done: true, output: {} };
    });
    if (!gone.ok) return gone;
  }
  await ctx.kube.createOrGet({
    apiVersion: VELERO,
    kind: "Restore",
    metadata: { name, namespace: action.veleroNamespace, labels: { [drillRunLabel]: ctx.runId } },
    spec: {
      backupName: source.name,
      existingResourcePolicy: action.existingResourcePolicy,
      ...(action.includedNamespaces ? { includedNamespaces: action.includedNamespaces } : {}),
      ...(action.namespaceMapping ? { namespaceMapping: action.namespaceMapping } : {}),
    },
  });
  return waitForRestore(ctx, name, base, Math.max(ctx.pollMs, ctx.deadline - ctx.now()));
}

/**
 * Velero cannot cancel a restore: on abort or timeout the step keeps polling (and the run keeps its live lock)
 * until the Restore is terminal, for at most `drainMs` more, and says so.
 */
async function waitForRestore(
  ctx: ActionContext,
  name: string,
  base: RestoreEvidence,
  drainMs: number,
): Promise<ActionResult> {
  let aborted = false;
  let drainUntil: number | null = null;
  for (;;) {
    const s = readVeleroStatus(await ctx.kube.read(VELERO, "Restore", base.namespace, name));
    const restore: RestoreEvidence = {
      ...base,
      phase: s.phase ?? "New",
      errors: s.errors,
      warnings: s.warnings,
      failureReason: s.failureReason,
      itemsRestored: s.itemsDone,
      totalItems: s.totalItems,
      itemOperationsFailed: s.itemOperationsFailed,
    };
    if (isVeleroTerminal(s.phase)) {
      if (aborted) {
        await ctx.record({ restore });
        throw new DrillAborted(
          `waited for restore ${name} to end (${s.phase}) before stopping: Velero cannot cancel a restore`,
        );
      }
      if (drainUntil !== null)
        return {
          ok: false,
          timedOut: true,
          output: { restore },
          error: `restore ${name} timed out; Velero cannot cancel a restore, so the drill waited until it ended ${s.phase} (${s.itemsDone ?? 0} items restored)`,
        };
      const verdict = assessRestore(restore, ctx.allowRestoreWarnings);
      return verdict.ok
        ? { ok: true, output: { restore }, note: verdict.note }
        : { ok: false, output: { restore }, error: verdict.reason };
    }
    const phaseText = `restore ${name} is ${s.phase ?? "New"}`;
    if (drainUntil !== null && ctx.now() >= drainUntil) {
      const why = aborted ? "aborted by operator" : "timed out";
      if (aborted) {
        await ctx.record({ restore });
        throw new DrillAborted(
          `${phaseText} and did not end within ${Math.round(drainMs / 1000)} s of the abort: Velero cannot cancel a restore, it may still change the cluster`,
        );
      }
      return {
        ok: false,
        timedOut: true,
        output: { restore },
        error: `restore ${name} ${why}: ${phaseText}, still not terminal ${Math.round(drainMs / 1000)} s after the step's timeout; Velero cannot cancel a restore, it may still change the cluster`,
      };
    }
    const progress = aborted
      ? `abort requested: waiting for restore ${name} to end (Velero cannot cancel a restore); it is ${s.phase ?? "New"}`
      : drainUntil !== null
        ? `the step timed out: waiting for restore ${name} to end (Velero cannot cancel a restore); it is ${s.phase ?? "New"}`
        : phaseText;
    await ctx.record({ restore, progress });
    if (drainUntil === null && ctx.now() + ctx.pollMs > ctx.deadline) drainUntil = ctx.now() + drainMs;
    try {
      await ctx.pause(ctx.pollMs, { ignoreAbort: aborted || drainUntil !== null });
    } catch (error) {
      if (!(error instanceof DrillAborted)) throw error;
      aborted = true;
      drainUntil = ctx.now() + drainMs;
    }
  }
}
