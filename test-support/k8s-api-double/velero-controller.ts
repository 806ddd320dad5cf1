// Simulated Velero, following Velero 1.15/1.16's controllers closely enough for the drills that rely on them:
// - BackupStorageLocations are validated to Available (or Unavailable when told), and each Backup is written to
//   the location's bucket in an object storage that several doubles may share (a second cluster on the same bucket);
// - backup sync: a cluster whose Available location holds backups it has no Backup object for creates them, with a
//   new metadata.creationTimestamp (the sync time) but the status, so status.startTimestamp, of the original;
// - Backups and Restores go New → InProgress → (WaitingForPluginOperations[PartiallyFailed] → Finalizing[PartiallyFailed]
//   when asynchronous phases are switched on) → Completed / PartiallyFailed / Failed, or stay InProgress;
// - validation ends a Restore FailedValidation when its backup is unknown (not yet synced) or its location is not
//   Available, and a Backup when its location is not Available;
// - a Restore skips objects that exist (a warning when the in-cluster version differs) unless
//   existingResourcePolicy is "update"; status.progress.itemsRestored counts every item processed, as Velero's
//   restore progress does: skipped existing objects too, so a count alone proves no object came back;
// - file-system backup (defaultVolumesToFsBackup) and volume snapshots carry PersistentVolumeClaims' volume data;
// - Schedules create a Backup from their template at each cron tick (named <schedule>-<yyyyMMddHHmmss>, labelled
//   velero.io/schedule-name); DeleteBackupRequests delete a Backup and its data in object storage (so backup sync
//   does not bring it back); the garbage collector deletes Backups past status.expiration the same way.
import { cronMatches } from "@/lib/dr/cron";
import type { ClusterState } from "./cluster-state";
import { deepEqual } from "./field-paths";
import type { K8sObject } from "./managed-fields";

export type VeleroOutcome = "Completed" | "PartiallyFailed" | "Failed" | "StuckInProgress";
type VeleroKind = "Backup" | "Restore";
type Obj = Record<string, unknown>;

const snapshotKinds = [
  "ConfigMap",
  "Secret",
  "Service",
  "ServiceAccount",
  "PersistentVolumeClaim",
  "Deployment",
  "StatefulSet",
  "ResourceQuota",
];

interface StoredBackup {
  backup: K8sObject;
  items: K8sObject[];
  /** Volume data per `namespace/claim`, when the backup carried it. */
  volumes: Map<string, Record<string, string>>;
}

/** Object storage (buckets of backups) that several doubles can share, as clusters share an S3 bucket. */
export class VeleroObjectStorage {
  readonly buckets = new Map<string, Map<string, StoredBackup>>();
  bucket(name: string) {
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
    return this.buckets.get(name)!;
  }
}

/** Files in the volumes of PersistentVolumeClaims, by claim uid: a deleted claim loses its data. */
export class VolumeData {
  private byClaimUid = new Map<string, Record<string, string>>();
  constructor(private state: ClusterState) {}
  private claim(namespace: string, name: string) {
    return this.state.get(this.state.findByKind("v1", "PersistentVolumeClaim")!, namespace, name);
  }
  write(namespace: string, claim: string, files: Record<string, string>) {
    const pvc = this.claim(namespace, claim);
    if (!pvc) throw new Error(`PersistentVolumeClaim ${namespace}/${claim} does not exist`);
    this.byClaimUid.set(String(pvc.metadata.uid), {
      ...(this.byClaimUid.get(String(pvc.metadata.uid)) ?? {}),
      ...files,
    });
  }
  /** null when the claim does not exist; {} for an empty volume. */
  read(namespace: string, claim: string): Record<string, string> | null {
    const pvc = this.claim(namespace, claim);
    return pvc ? { ...(this.byClaimUid.get(String(pvc.metadata.uid)) ?? {}) } : null;
  }
}

/** Velero's spec.ttl ("720h0m0s"); 30 days when absent, as Velero's default. */
function ttlMs(ttl: unknown): number {
  const m = typeof ttl === "string" ? /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(ttl) : null;
  if (!m || !ttl) return 30 * 24 * 3600_000;
  return (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
}

export class VeleroController {
  private outcomes: Record<VeleroKind, { default: VeleroOutcome; byName: Map<string, VeleroOutcome> }> = {
    Backup: { default: "Completed", byName: new Map() },
    Restore: { default: "Completed", byName: new Map() },
  };
  private asyncPhases: Record<VeleroKind, boolean> = { Backup: false, Restore: false };
  private unavailable = new Set<string>();
  private availableSince = new Map<string, number>();
  private startedAt = new Map<string, number>();

  constructor(
    private state: ClusterState,
    private timing: { phaseStepMs: number },
    readonly storage: VeleroObjectStorage,
    readonly volumes: VolumeData,
  ) {}

  /** Chooses how Backups or Restores end: for one name, or for all that have no name-specific outcome. */
  setOutcome(kind: VeleroKind, outcome: VeleroOutcome, name?: string) {
    if (name) this.outcomes[kind].byName.set(name, outcome);
    else this.outcomes[kind].default = outcome;
  }
  /** Makes Backups or Restores pass through WaitingForPluginOperations and Finalizing before their outcome. */
  setAsyncPhases(kind: VeleroKind, on: boolean) {
    this.asyncPhases[kind] = on;
  }
  /** Makes a BackupStorageLocation fail validation (Unavailable), or pass again. */
  setLocationAvailable(name: string, available: boolean) {
    if (available) this.unavailable.delete(name);
    else this.unavailable.add(name);
  }

  /** Stores a Backup that completed in the past (demo and test seeds), with its snapshot taken now. */
  seedCompletedBackup(backup: K8sObject, startedMs: number, completedMs: number) {
    const spec = (backup.spec as Obj) ?? {};
    const stored = this.snapshot(spec);
    const object: K8sObject = {
      ...backup,
      metadata: { ...backup.metadata, creationTimestamp: this.state.timestamp(startedMs) },
      status: {
        phase: "Completed",
        startTimestamp: this.state.timestamp(startedMs),
        completionTimestamp: this.state.timestamp(completedMs),
        expiration: this.state.timestamp(completedMs + 30 * 24 * 3600_000),
        progress: { totalItems: stored.items.length, itemsBackedUp: stored.items.length },
        formatVersion: "1.1.0",
      },
    };
    this.state.putSystemObject(object);
    this.persist(object, stored);
  }

  reconcile(now: number) {
    this.reconcileLocations(now);
    this.reconcileSchedules(now);
    this.reconcileDeletions(now);
    for (const kind of ["Backup", "Restore"] as const) {
      const def = this.state.findByKind("velero.io/v1", kind);
      if (!def) continue;
      for (const obj of this.state.list(def)) this.advance(kind, obj, now);
    }
  }

  /** Runs a Schedule now, as if its cron had fired (tests do not wait for the next minute). */
  runSchedule(namespace: string, name: string, now: number) {
    const schedule = this.state.get(this.state.findByKind("velero.io/v1", "Schedule")!, namespace, name);
    if (!schedule) throw new Error(`Schedule ${namespace}/${name} does not exist`);
    this.createScheduledBackup(schedule, now);
  }

  private createScheduledBackup(schedule: K8sObject, at: number) {
    const name = String(schedule.metadata.name);
    const stamp = new Date(at).toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const template = ((schedule.spec as Obj | undefined)?.template as Obj | undefined) ?? {};
    this.state.putSystemObject({
      apiVersion: "velero.io/v1",
      kind: "Backup",
      metadata: {
        name: `${name}-${stamp}`,
        namespace: schedule.metadata.namespace,
        labels: {
          "velero.io/schedule-name": name,
          "velero.io/storage-location": String(template.storageLocation ?? "default"),
        },
      },
      spec: structuredClone(template),
    });
    this.state.putSystemObject({ ...schedule, status: { phase: "Enabled", lastBackup: this.state.timestamp(at) } });
  }

  private reconcileSchedules(now: number) {
    const def = this.state.findByKind("velero.io/v1", "Schedule");
    if (!def) return;
    const minute = 60_000;
    for (const schedule of this.state.list(def)) {
      const spec = (schedule.spec as Obj | undefined) ?? {};
      const cron = String(spec.schedule ?? "");
      if (spec.paused === true || !cron) continue;
      const status = (schedule.status as Obj | undefined) ?? {};
      const since = Date.parse(
        String(status.lastBackup ?? schedule.metadata.creationTimestamp ?? new Date(now).toISOString()),
      );
      // Each minute boundary after the last run (at most a day back) that the cron matches; the newest one runs.
      let due: number | null = null;
      for (
        let t = Math.max(Math.floor(since / minute) + 1, Math.floor(now / minute) - 1440) * minute;
        t <= now;
        t += minute
      ) {
        if (cronMatches(cron, new Date(t))) due = t;
      }
      if (due !== null) this.createScheduledBackup(schedule, due);
      else if (status.phase !== "Enabled")
        this.state.putSystemObject({ ...schedule, status: { ...status, phase: "Enabled" } });
    }
  }

  private deleteBackup(namespace: string, name: string) {
    const backupDef = this.state.findByKind("velero.io/v1", "Backup")!;
    const backup = this.state.get(backupDef, namespace, name);
    if (!backup) return false;
    const location = this.locationOf(
      namespace,
      ((backup.spec as Obj | undefined)?.storageLocation as string | undefined) ??
        (backup.metadata.labels as Record<string, string> | undefined)?.["velero.io/storage-location"],
    );
    this.storage
      .bucket(this.bucketOf(location, String((backup.spec as Obj | undefined)?.storageLocation ?? "default")))
      .delete(name);
    this.state.delete(backupDef, namespace, name);
    return true;
  }

  private reconcileDeletions(now: number) {
    const requestDef = this.state.findByKind("velero.io/v1", "DeleteBackupRequest");
    if (requestDef) {
      for (const request of this.state.list(requestDef)) {
        if ((request.status as Obj | undefined)?.phase === "Processed") continue;
        const backupName = String((request.spec as Obj | undefined)?.backupName ?? "");
        const deleted = this.deleteBackup(String(request.metadata.namespace), backupName);
        this.state.putSystemObject({
          ...request,
          status: { phase: "Processed", ...(deleted ? {} : { errors: [`backup ${backupName} not found`] }) },
        });
      }
    }
    const backupDef = this.state.findByKind("velero.io/v1", "Backup");
    if (!backupDef) return;
    for (const backup of this.state.list(backupDef)) {
      const expiration = (backup.status as Obj | undefined)?.expiration;
      if (typeof expiration === "string" && Date.parse(expiration) <= now)
        this.deleteBackup(String(backup.metadata.namespace), String(backup.metadata.name));
    }
  }

  private locationOf(namespace: string, name: string | undefined): K8sObject | undefined {
    const def = this.state.findByKind("velero.io/v1", "BackupStorageLocation");
    if (!def) return undefined;
    const all = this.state.list(def, namespace);
    return name
      ? all.find((l) => l.metadata.name === name)
      : (all.find((l) => (l.spec as Obj | undefined)?.default === true) ?? all[0]);
  }
  private bucketOf(location: K8sObject | undefined, fallback: string) {
    return String(((location?.spec as Obj | undefined)?.objectStorage as Obj | undefined)?.bucket ?? fallback);
  }
  private isAvailable(location: K8sObject | undefined) {
    return !!location && (location.status as Obj | undefined)?.phase === "Available";
  }

  private reconcileLocations(now: number) {
    const def = this.state.findByKind("velero.io/v1", "BackupStorageLocation");
    if (!def) return;
    const backupDef = this.state.findByKind("velero.io/v1", "Backup")!;
    for (const location of this.state.list(def)) {
      const name = String(location.metadata.name);
      const key = `${location.metadata.namespace}/${name}`;
      const available = !this.unavailable.has(name);
      const phase = available ? "Available" : "Unavailable";
      if ((location.status as Obj | undefined)?.phase !== phase) {
        this.state.putSystemObject({
          ...location,
          status: {
            phase,
            lastValidationTime: this.state.timestamp(now),
            ...(available
              ? {}
              : { message: `BackupStorageLocation "${name}" is unavailable: rpc error: bucket not reachable` }),
          },
        });
      }
      if (!available) {
        this.availableSince.delete(key);
        continue;
      }
      if (!this.availableSince.has(key)) this.availableSince.set(key, now);
      // Backup sync runs periodically (every minute by default), after validation, which is immediate: two phase
      // steps after the location became Available, so a Restore created at once fails validation as on a real cluster.
      if (now - this.availableSince.get(key)! < 2 * this.timing.phaseStepMs) continue;
      for (const [backupName, stored] of this.storage.bucket(this.bucketOf(location, name))) {
        if (this.state.get(backupDef, String(location.metadata.namespace), backupName)) continue;
        const {
          uid: _u,
          resourceVersion: _r,
          creationTimestamp: _c,
          managedFields: _m,
          generation: _g,
          ...meta
        } = stored.backup.metadata;
        this.state.putSystemObject({
          ...structuredClone(stored.backup),
          metadata: {
            ...meta,
            namespace: location.metadata.namespace,
            creationTimestamp: this.state.timestamp(now),
            labels: { ...(meta.labels as Record<string, string> | undefined), "velero.io/storage-location": name },
          },
        });
      }
    }
  }

  private advance(kind: VeleroKind, obj: K8sObject, now: number) {
    const status = (obj.status as Obj | undefined) ?? {};
    const phase = status.phase as string | undefined;
    const running = [
      "New",
      "InProgress",
      "WaitingForPluginOperations",
      "WaitingForPluginOperationsPartiallyFailed",
      "Finalizing",
      "FinalizingPartiallyFailed",
    ];
    if (phase && !running.includes(phase)) return;
    const uid = String(obj.metadata.uid);
    if (!this.startedAt.has(uid)) this.startedAt.set(uid, now);
    const elapsed = now - this.startedAt.get(uid)!;
    const step = this.timing.phaseStepMs;
    const outcome = this.outcomes[kind].byName.get(String(obj.metadata.name)) ?? this.outcomes[kind].default;
    const spec = (obj.spec as Obj | undefined) ?? {};
    if (elapsed >= step && (!phase || phase === "New")) {
      const errors = this.validate(kind, obj, spec);
      if (errors.length > 0) {
        this.state.putSystemObject({ ...obj, status: { phase: "FailedValidation", validationErrors: errors } });
        return;
      }
    }
    const extra = this.asyncPhases[kind] && outcome !== "Failed" && outcome !== "StuckInProgress" ? 2 : 0;
    let next: Obj;
    if (elapsed < step) next = { phase: "New" };
    else if (elapsed < 2 * step || outcome === "StuckInProgress") {
      next = { phase: "InProgress", startTimestamp: status.startTimestamp ?? this.state.timestamp(now) };
    } else if (elapsed < (2 + extra) * step) {
      const partially = outcome === "PartiallyFailed" ? "PartiallyFailed" : "";
      const name = elapsed < 3 * step ? `WaitingForPluginOperations${partially}` : `Finalizing${partially}`;
      next = { ...status, phase: name, startTimestamp: status.startTimestamp ?? this.state.timestamp(now) };
    } else {
      next = this.finish(kind, obj, outcome, status, now);
    }
    this.state.putSystemObject({ ...obj, status: next });
  }

  private validate(kind: VeleroKind, obj: K8sObject, spec: Obj): string[] {
    const namespace = String(obj.metadata.namespace);
    if (kind === "Backup") {
      const location = this.locationOf(namespace, spec.storageLocation as string | undefined);
      if (!location) return [`backup storage location ${String(spec.storageLocation ?? "default")} does not exist`];
      return this.isAvailable(location)
        ? []
        : [
            `backup can't be created because backup storage location ${location.metadata.name} is currently in Unavailable state`,
          ];
    }
    const backupName = String(spec.backupName ?? "");
    const backup = this.state.get(this.state.findByKind("velero.io/v1", "Backup")!, namespace, backupName);
    // Velero validates a Restore before running it: an unknown (not yet synced) backup ends it at once.
    if (!backup) return [`backup ${backupName} not found`];
    const location = this.locationOf(
      namespace,
      ((backup.spec as Obj | undefined)?.storageLocation as string | undefined) ??
        (backup.metadata.labels as Record<string, string> | undefined)?.["velero.io/storage-location"],
    );
    if (location && !this.isAvailable(location))
      return [`backup storage location ${location.metadata.name} is unavailable`];
    return [];
  }

  private finish(kind: VeleroKind, obj: K8sObject, outcome: VeleroOutcome, status: Obj, now: number): Obj {
    const spec = (obj.spec as Obj) ?? {};
    const base: Obj = {
      phase: outcome,
      startTimestamp: status.startTimestamp ?? this.state.timestamp(now),
      completionTimestamp: this.state.timestamp(now),
    };
    if (outcome === "Failed")
      return { ...base, failureReason: `${kind.toLowerCase()} failed: simulated storage error`, errors: 1 };
    const counts = outcome === "PartiallyFailed" ? { warnings: 2, errors: 1 } : {};
    if (kind === "Backup") {
      const stored = this.snapshot(spec);
      const volumeCount = stored.volumes.size;
      const result: Obj = {
        ...base,
        ...counts,
        expiration: this.state.timestamp(now + ttlMs(spec.ttl)),
        progress: { totalItems: stored.items.length, itemsBackedUp: stored.items.length },
        ...(spec.snapshotVolumes === true
          ? { volumeSnapshotsAttempted: volumeCount, volumeSnapshotsCompleted: volumeCount }
          : {}),
        formatVersion: "1.1.0",
      };
      this.persist({ ...obj, status: result }, stored);
      return result;
    }
    const restored = this.restore(obj, spec);
    const warnings = restored.warnings.length + Number((counts as { warnings?: number }).warnings ?? 0);
    return {
      ...base,
      ...counts,
      ...(warnings > 0 ? { warnings } : {}),
      progress: { totalItems: restored.total, itemsRestored: restored.count },
    };
  }

  private persist(backup: K8sObject, stored: Omit<StoredBackup, "backup">) {
    const spec = (backup.spec as Obj) ?? {};
    const location = this.locationOf(String(backup.metadata.namespace), spec.storageLocation as string | undefined);
    this.storage
      .bucket(this.bucketOf(location, String(spec.storageLocation ?? "default")))
      .set(String(backup.metadata.name), { ...stored, backup: structuredClone(backup) });
  }

  private snapshot(spec: Obj): Omit<StoredBackup, "backup"> {
    const namespaces = (spec.includedNamespaces as string[] | undefined) ?? ["*"];
    const items: K8sObject[] = [];
    const volumes = new Map<string, Record<string, string>>();
    const carriesVolumes = spec.defaultVolumesToFsBackup === true || spec.snapshotVolumes === true;
    for (const kind of ["Namespace", ...snapshotKinds]) {
      const def = this.state.resources().find((d) => d.kind === kind);
      if (!def) continue;
      for (const obj of this.state.list(def)) {
        const ns = kind === "Namespace" ? String(obj.metadata.name) : String(obj.metadata.namespace);
        if (!namespaces.includes("*") && !namespaces.includes(ns)) continue;
        items.push(obj);
        if (kind === "PersistentVolumeClaim" && carriesVolumes)
          volumes.set(`${ns}/${obj.metadata.name}`, this.volumes.read(ns, String(obj.metadata.name)) ?? {});
      }
    }
    return { items, volumes };
  }

  private restore(restore: K8sObject, spec: Obj): { count: number; total: number; warnings: string[] } {
    const backupDef = this.state.findByKind("velero.io/v1", "Backup")!;
    const backup = this.state.get(backupDef, String(restore.metadata.namespace), String(spec.backupName));
    const location =
      backup &&
      this.locationOf(
        String(restore.metadata.namespace),
        ((backup.spec as Obj | undefined)?.storageLocation as string | undefined) ??
          (backup.metadata.labels as Record<string, string> | undefined)?.["velero.io/storage-location"],
      );
    const stored = this.storage
      .bucket(this.bucketOf(location, String((backup?.spec as Obj | undefined)?.storageLocation ?? "default")))
      .get(String(spec.backupName));
    const items = stored?.items ?? [];
    const mapping = (spec.namespaceMapping as Record<string, string> | undefined) ?? {};
    const included = spec.includedNamespaces as string[] | undefined;
    const update = spec.existingResourcePolicy === "update";
    let count = 0;
    let total = 0;
    const warnings: string[] = [];
    for (const item of items) {
      const sourceNs = item.kind === "Namespace" ? String(item.metadata.name) : String(item.metadata.namespace);
      if (included && !included.includes("*") && !included.includes(sourceNs)) continue;
      total++;
      const targetNs = mapping[sourceNs] ?? sourceNs;
      const def = this.state.findByKind(String(item.apiVersion), String(item.kind))!;
      const name = item.kind === "Namespace" ? targetNs : String(item.metadata.name);
      const {
        uid: _u,
        resourceVersion: _r,
        creationTimestamp: _c,
        managedFields: _m,
        ownerReferences: _o,
        generation: _g,
        ...meta
      } = item.metadata;
      const labels = {
        ...(meta.labels as Record<string, string> | undefined),
        "velero.io/restore-name": String(restore.metadata.name),
        "velero.io/backup-name": String(spec.backupName),
      };
      const copy = {
        ...structuredClone(item),
        metadata: { ...meta, name, labels, ...(item.kind === "Namespace" ? {} : { namespace: targetNs }) },
      } as K8sObject;
      if (item.kind === "Namespace") copy.metadata.labels = { ...labels, "kubernetes.io/metadata.name": targetNs };
      delete copy.status;
      if (item.kind === "Namespace") copy.status = { phase: "Active" };
      const live = this.state.get(def, item.kind === "Namespace" ? undefined : targetNs, name);
      if (live) {
        // Velero's progress counts an item once processed, whether it was created, updated or skipped.
        count++;
        if (item.kind === "Namespace") continue;
        const { metadata: _lm, status: _ls, ...liveRest } = live;
        const { metadata: _cm, status: _cs, ...copyRest } = copy;
        if (!update) {
          // Velero skips an existing object; it warns when the in-cluster version differs from the backed-up one.
          if (!deepEqual(liveRest, copyRest))
            warnings.push(
              `could not restore, ${item.kind} "${name}" already exists. Warning: the in-cluster version is different than the backed-up version`,
            );
          continue;
        }
        if (deepEqual(liveRest, copyRest)) continue;
        const generation = Number(live.metadata.generation ?? 1) + 1;
        this.state.putSystemObject({
          ...live,
          ...copyRest,
          metadata: {
            ...live.metadata,
            generation,
            labels: { ...(live.metadata.labels as Record<string, string> | undefined), ...labels },
          },
          ...(live.status ? { status: live.status } : {}),
        } as K8sObject);
        continue;
      }
      this.state.putSystemObject(copy);
      if (item.kind === "PersistentVolumeClaim") {
        const data = stored?.volumes.get(`${sourceNs}/${item.metadata.name}`);
        if (data) this.volumes.write(targetNs, name, data);
      }
      count++;
    }
    return { count, total, warnings };
  }
}
