// Pure readings of Kubernetes objects the drill steps wait on: Velero phases and counts, rollout completion as
// `kubectl rollout status` judges it, pod readiness, conditions, and the ReplicaSet `rollout undo` goes back to.
type Obj = Record<string, unknown>;
type Meta = {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string | Date;
  generation?: number;
  ownerReferences?: Array<{ uid?: string }>;
  uid?: string;
};

export const revisionAnnotation = "deployment.kubernetes.io/revision";
const metaOf = (o: unknown) => ((o as { metadata?: Meta })?.metadata ?? {}) as Meta;
const toIso = (t: string | Date | undefined | null) => (t ? new Date(t).toISOString() : null);

export interface VeleroStatus {
  name: string;
  namespace: string;
  phase: string | null;
  labels: Record<string, string>;
  /** metadata.creationTimestamp: on a cluster that synced the backup from object storage, the sync time. */
  createdAt: string | null;
  /** status.startTimestamp: when Velero started the backup; kept by backup sync, so the recovery point. */
  startedAt: string | null;
  completedAt: string | null;
  errors: number;
  warnings: number;
  failureReason: string | null;
  backupName: string | null;
  /** status.progress: items Velero backed up or restored. */
  itemsDone: number | null;
  totalItems: number | null;
  volumeSnapshotsAttempted: number;
  volumeSnapshotsCompleted: number;
  itemOperationsFailed: number;
  storageLocation: string | null;
}

export function readVeleroStatus(obj: unknown): VeleroStatus {
  const meta = metaOf(obj);
  const status = ((obj as Obj)?.status ?? {}) as Obj;
  const spec = ((obj as Obj)?.spec ?? {}) as Obj;
  const progress = (status.progress ?? {}) as { itemsRestored?: number; itemsBackedUp?: number; totalItems?: number };
  return {
    name: String(meta.name ?? ""),
    namespace: String(meta.namespace ?? ""),
    phase: typeof status.phase === "string" ? status.phase : null,
    labels: { ...(meta.labels ?? {}) },
    createdAt: toIso(meta.creationTimestamp),
    startedAt: toIso(status.startTimestamp as string | undefined),
    completedAt: toIso(status.completionTimestamp as string | undefined),
    errors: Number(status.errors ?? 0),
    warnings: Number(status.warnings ?? 0),
    failureReason: typeof status.failureReason === "string" ? status.failureReason : null,
    backupName: typeof spec.backupName === "string" ? spec.backupName : null,
    itemsDone: progress.itemsRestored ?? progress.itemsBackedUp ?? null,
    totalItems: progress.totalItems ?? null,
    volumeSnapshotsAttempted: Number(status.volumeSnapshotsAttempted ?? 0),
    volumeSnapshotsCompleted: Number(status.volumeSnapshotsCompleted ?? 0),
    itemOperationsFailed: Number(status.backupItemOperationsFailed ?? status.restoreItemOperationsFailed ?? 0),
    storageLocation:
      typeof spec.storageLocation === "string"
        ? spec.storageLocation
        : (meta.labels?.["velero.io/storage-location"] ?? null),
  };
}

export type RecoveryPointSource = "status.startTimestamp" | "metadata.creationTimestamp";

/**
 * When the data of a backup was taken: status.startTimestamp, as Velero itself orders backups. A Backup that
 * backup sync re-created on another cluster has a creationTimestamp of the sync, so that field is only a fallback
 * for a backup without a start time, and the evidence says so.
 */
export function recoveryPointOf(
  b: Pick<VeleroStatus, "startedAt" | "createdAt">,
): { at: string; source: RecoveryPointSource } | null {
  if (b.startedAt) return { at: b.startedAt, source: "status.startTimestamp" };
  if (b.createdAt) return { at: b.createdAt, source: "metadata.creationTimestamp" };
  return null;
}

/** Label the portal puts on every Velero object a drill creates. */
export const drillRunLabel = "portal.dr/drill-run";

/**
 * The newest Completed backup by recovery point: the one a restore would use. Backups a drill made (labelled with
 * its run) and backups started at or after `before` (the drill's start) are no recovery point of the incident.
 */
export function newestCompletedBackup(backups: VeleroStatus[], exclude: { before?: number } = {}): VeleroStatus | null {
  const done = backups.filter((b) => {
    const point = recoveryPointOf(b);
    if (b.phase !== "Completed" || !point || b.labels[drillRunLabel]) return false;
    return exclude.before === undefined || Date.parse(point.at) < exclude.before;
  });
  done.sort((a, b) => Date.parse(recoveryPointOf(b)!.at) - Date.parse(recoveryPointOf(a)!.at));
  return done[0] ?? null;
}

/**
 * Whether a backup certainly started after the canary was written, so it carries the canary. Velero stores
 * status.startTimestamp at one-second resolution (the second's floor of the real start), while the canary's data
 * holds its write time to the millisecond: a start in the same second as the write may be before it, so only a
 * start second at or after the exact write time proves the order (the drill then waits for the next backup).
 */
export function startedAfterCanary(backupStartedAt: string | null, canaryWrittenAt: string): boolean {
  if (!backupStartedAt) return false;
  return Date.parse(backupStartedAt) >= Date.parse(canaryWrittenAt);
}

/** Label Velero puts on every Backup a Schedule makes. */
export const scheduleNameLabel = "velero.io/schedule-name";

/**
 * The Completed backup of the same schedule that started last before `backup`: the recovery point an incident just
 * before `backup` started would have had. Null when `backup` has no schedule or the schedule has no earlier one.
 */
export function previousScheduledBackup(backups: VeleroStatus[], backup: VeleroStatus): VeleroStatus | null {
  const schedule = backup.labels[scheduleNameLabel];
  const point = recoveryPointOf(backup);
  if (!schedule || !point) return null;
  const earlier = backups.filter((b) => b.labels[scheduleNameLabel] === schedule && b.name !== backup.name);
  return newestCompletedBackup(earlier, { before: Date.parse(point.at) });
}

/** `failed`: the rollout will not finish by waiting (progress deadline exceeded, paused): the step fails at once. */
export type RolloutReading = { done: true } | { done: false; message: string; failed?: boolean };

export function readRolloutStatus(deployment: unknown): RolloutReading {
  const meta = metaOf(deployment);
  const spec = ((deployment as Obj)?.spec ?? {}) as { replicas?: number; paused?: boolean };
  const status = ((deployment as Obj)?.status ?? {}) as {
    observedGeneration?: number;
    updatedReplicas?: number;
    replicas?: number;
    availableReplicas?: number;
  };
  const desired = spec.replicas ?? 1;
  if (!deployment) return { done: false, message: "the Deployment does not exist", failed: true };
  if (spec.paused)
    return {
      done: false,
      message: `Deployment ${meta.name} is paused (spec.paused): its rollout will not progress until it is resumed`,
      failed: true,
    };
  const progressing = readCondition(deployment, "Progressing");
  if (progressing.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    return {
      done: false,
      message: `Deployment ${meta.name} exceeded its progress deadline (Progressing=False, ProgressDeadlineExceeded)${progressing.message ? `: ${progressing.message}` : ""}`,
      failed: true,
    };
  }
  if ((status.observedGeneration ?? 0) < (meta.generation ?? 0))
    return { done: false, message: "waiting for the rollout to be observed" };
  if ((status.updatedReplicas ?? 0) < desired)
    return { done: false, message: `${status.updatedReplicas ?? 0} of ${desired} updated replicas` };
  if ((status.replicas ?? 0) > (status.updatedReplicas ?? 0))
    return {
      done: false,
      message: `${(status.replicas ?? 0) - (status.updatedReplicas ?? 0)} old replicas pending termination`,
    };
  if ((status.availableReplicas ?? 0) < desired)
    return { done: false, message: `${status.availableReplicas ?? 0} of ${desired} updated replicas available` };
  return { done: true };
}

/** Container waiting reasons that say a pod will not become Ready by waiting: its image or its process is broken. */
const brokenWaitingReasons = new Set([
  "ImagePullBackOff",
  "ErrImagePull",
  "InvalidImageName",
  "ErrImageNeverPull",
  "CrashLoopBackOff",
]);

/**
 * The first pod running `image` that shows it cannot serve (a container of that image waiting in ImagePullBackOff,
 * ErrImagePull, CrashLoopBackOff…): proof that a rollout to it failed, before its progress deadline says so.
 */
export function brokenPodOf(pods: unknown[], image: string): { pod: string; reason: string; message?: string } | null {
  for (const p of pods) {
    const spec = ((p as Obj)?.spec ?? {}) as { containers?: Array<{ name?: string; image?: string }> };
    const names = new Set((spec.containers ?? []).filter((c) => c.image === image).map((c) => c.name));
    if (names.size === 0) continue;
    const statuses =
      (
        ((p as Obj)?.status ?? {}) as {
          containerStatuses?: Array<{ name?: string; state?: { waiting?: { reason?: string; message?: string } } }>;
        }
      ).containerStatuses ?? [];
    for (const c of statuses) {
      const waiting = c.state?.waiting;
      if (names.has(c.name) && waiting?.reason && brokenWaitingReasons.has(waiting.reason))
        return {
          pod: String(metaOf(p).name),
          reason: waiting.reason,
          ...(waiting.message ? { message: waiting.message } : {}),
        };
    }
  }
  return null;
}

/** Pods none of whose containers runs `image`. */
export function podsWithoutImage(pods: unknown[], image: string): unknown[] {
  return pods.filter((p) => {
    const containers = (((p as Obj)?.spec ?? {}) as { containers?: Array<{ image?: string }> }).containers ?? [];
    return !containers.some((c) => c.image === image);
  });
}

/** Pods created at or after `since` (ms): after an injected failure, only those prove a recovery. */
export function podsCreatedSince(pods: unknown[], since: number | undefined): unknown[] {
  if (since === undefined) return pods;
  // creationTimestamp has second resolution.
  const floor = Math.floor(since / 1000) * 1000;
  return pods.filter((p) => {
    const created = metaOf(p).creationTimestamp;
    return created !== undefined && new Date(created).getTime() >= floor;
  });
}

/** The replicas the Deployments whose pod template labels the selector matches ask for (wait_pods_ready's default). */
export function expectedReplicas(deployments: unknown[], selector: string): { expected: number; from: string[] } {
  const terms = selector
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(t);
      return m ? { key: m[1]!, op: m[2]!, value: m[3]!.trim() } : null;
    });
  const matches = (labels: Record<string, string>) =>
    terms.every((t) => t && (t.op === "!=" ? labels[t.key] !== t.value : labels[t.key] === t.value));
  let expected = 0;
  const from: string[] = [];
  for (const d of deployments) {
    const spec = ((d as Obj)?.spec ?? {}) as {
      replicas?: number;
      template?: { metadata?: { labels?: Record<string, string> } };
    };
    if (!matches(spec.template?.metadata?.labels ?? {})) continue;
    expected += spec.replicas ?? 1;
    from.push(`${metaOf(d).name} (${spec.replicas ?? 1})`);
  }
  return { expected, from };
}

export function countReadyPods(pods: unknown[]): { ready: number; total: number; names: string[] } {
  const isReady = (p: unknown) => {
    const status = ((p as Obj)?.status ?? {}) as {
      phase?: string;
      conditions?: Array<{ type: string; status: string }>;
    };
    return (
      status.phase === "Running" && (status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True")
    );
  };
  const ready = pods.filter(isReady);
  return { ready: ready.length, total: pods.length, names: ready.map((p) => String(metaOf(p).name)) };
}

export function readCondition(
  obj: unknown,
  type: string,
): { status: string | null; reason?: string; message?: string } {
  const conditions =
    (
      ((obj as Obj)?.status ?? {}) as {
        conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
      }
    ).conditions ?? [];
  const c = conditions.find((x) => x.type === type);
  return c ? { status: c.status, reason: c.reason, message: c.message } : { status: null };
}

export interface RollbackTarget {
  replicaSetName: string;
  fromRevision: number;
  toRevision: number;
  createdAt: string | null;
  /** The pod template to put back, without the controller-added pod-template-hash label (as kubectl does). */
  template: Obj;
}

/** Which ReplicaSet `kubectl rollout undo` would restore: the highest revision below the current one, or toRevision. */
export function chooseRollbackTarget(
  deployment: unknown,
  replicaSets: unknown[],
  toRevision?: number,
): { ok: true; target: RollbackTarget } | { ok: false; reason: string } {
  const dMeta = metaOf(deployment);
  const current = Number(dMeta.annotations?.[revisionAnnotation] ?? 0);
  const owned = replicaSets.filter((rs) =>
    (metaOf(rs).ownerReferences ?? []).some((r) => r.uid && r.uid === dMeta.uid),
  );
  const withRevision = owned
    .map((rs) => ({ rs, revision: Number(metaOf(rs).annotations?.[revisionAnnotation] ?? 0) }))
    .filter((x) => x.revision > 0);
  const candidates =
    toRevision !== undefined
      ? withRevision.filter((x) => x.revision === toRevision)
      : withRevision.filter((x) => x.revision < current).sort((a, b) => b.revision - a.revision);
  const chosen = candidates[0];
  if (!chosen) {
    return {
      ok: false,
      reason:
        toRevision !== undefined
          ? `deployment ${dMeta.name} has no revision ${toRevision}: pick one of ${withRevision.map((x) => x.revision).join(", ") || "none"}`
          : `deployment ${dMeta.name} has no previous revision to roll back to (current revision ${current})`,
    };
  }
  if (chosen.revision === current)
    return { ok: false, reason: `deployment ${dMeta.name} already runs revision ${current}` };
  const template = structuredClone(((chosen.rs as Obj).spec as Obj).template as Obj);
  const labels = ((template.metadata ?? {}) as Meta).labels;
  if (labels) delete labels["pod-template-hash"];
  return {
    ok: true,
    target: {
      replicaSetName: String(metaOf(chosen.rs).name),
      fromRevision: current,
      toRevision: chosen.revision,
      createdAt: toIso(metaOf(chosen.rs).creationTimestamp),
      template,
    },
  };
}

/** True when the deployment already runs the target template (a resumed rollout_undo must not undo twice). */
export function runsTemplate(deployment: unknown, template: Obj): boolean {
  const live = structuredClone((((deployment as Obj)?.spec ?? {}) as Obj).template ?? {}) as Obj;
  return stableJson(live) === stableJson(template);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .filter((k) => (value as Obj)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Obj)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
