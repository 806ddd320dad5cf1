// Simulated Velero: Backups and Restores advance New → InProgress → an outcome chosen per scenario.
// A completed Backup snapshots its namespaces; a completed Restore re-creates them (honouring namespaceMapping,
// skipping objects that already exist, as Velero does by default).
import type { ClusterState } from "./cluster-state";
import type { K8sObject } from "./managed-fields";

export type VeleroOutcome = "Completed" | "PartiallyFailed" | "Failed" | "StuckInProgress";
type VeleroKind = "Backup" | "Restore";
type Obj = Record<string, unknown>;

const snapshotKinds = ["ConfigMap", "Secret", "Service", "ServiceAccount", "PersistentVolumeClaim", "Deployment", "StatefulSet", "ResourceQuota"];

export class VeleroController {
  private outcomes: Record<VeleroKind, { default: VeleroOutcome; byName: Map<string, VeleroOutcome> }> = {
    Backup: { default: "Completed", byName: new Map() },
    Restore: { default: "Completed", byName: new Map() },
  };
  private snapshots = new Map<string, K8sObject[]>();
  private startedAt = new Map<string, number>();

  constructor(private state: ClusterState, private timing: { phaseStepMs: number }) {}

  /** Chooses how Backups or Restores end: for one name, or for all that have no name-specific outcome. */
  setOutcome(kind: VeleroKind, outcome: VeleroOutcome, name?: string) {
    if (name) this.outcomes[kind].byName.set(name, outcome);
    else this.outcomes[kind].default = outcome;
  }

  /** Stores a Backup that completed in the past (demo and test seeds), with its snapshot taken now. */
  seedCompletedBackup(backup: K8sObject, startedMs: number, completedMs: number) {
    const items = this.snapshot(backup, (backup.spec as Obj) ?? {});
    this.state.putSystemObject({
      ...backup,
      metadata: { ...backup.metadata, creationTimestamp: this.state.timestamp(startedMs) },
      status: {
        phase: "Completed",
        startTimestamp: this.state.timestamp(startedMs),
        completionTimestamp: this.state.timestamp(completedMs),
        expiration: this.state.timestamp(completedMs + 30 * 24 * 3600_000),
        progress: { totalItems: items, itemsBackedUp: items },
        formatVersion: "1.1.0",
      },
    });
  }

  reconcile(now: number) {
    for (const kind of ["Backup", "Restore"] as const) {
      const def = this.state.findByKind("velero.io/v1", kind);
      if (!def) continue;
      for (const obj of this.state.list(def)) this.advance(kind, obj, now);
    }
  }

  private advance(kind: VeleroKind, obj: K8sObject, now: number) {
    const status = (obj.status as Obj | undefined) ?? {};
    const phase = status.phase as string | undefined;
    if (phase && !["New", "InProgress"].includes(phase)) return;
    const uid = String(obj.metadata.uid);
    if (!this.startedAt.has(uid)) this.startedAt.set(uid, now);
    const elapsed = now - this.startedAt.get(uid)!;
    const step = this.timing.phaseStepMs;
    const outcome = this.outcomes[kind].byName.get(String(obj.metadata.name)) ?? this.outcomes[kind].default;
    const backupName = String((obj.spec as Obj | undefined)?.backupName ?? "");
    if (kind === "Restore" && elapsed >= step && !this.state.get(this.state.findByKind("velero.io/v1", "Backup")!, String(obj.metadata.namespace), backupName)) {
      // Velero validates a Restore before running it: an unknown backup ends it at once.
      this.state.putSystemObject({ ...obj, status: { phase: "FailedValidation", validationErrors: [`backup ${backupName} not found`] } });
      return;
    }
    let next: Obj;
    if (elapsed < step) next = { phase: "New" };
    else if (elapsed < 2 * step || outcome === "StuckInProgress") {
      next = { phase: "InProgress", startTimestamp: status.startTimestamp ?? this.state.timestamp(now) };
    } else {
      next = this.finish(kind, obj, outcome, status, now);
    }
    this.state.putSystemObject({ ...obj, status: next });
  }

  private finish(kind: VeleroKind, obj: K8sObject, outcome: VeleroOutcome, status: Obj, now: number): Obj {
    const spec = (obj.spec as Obj) ?? {};
    const base: Obj = {
      phase: outcome,
      startTimestamp: status.startTimestamp ?? this.state.timestamp(now),
      completionTimestamp: this.state.timestamp(now),
    };
    if (outcome === "Failed") return { ...base, failureReason: `${kind.toLowerCase()} failed: simulated storage error`, errors: 1 };
    const counts = outcome === "PartiallyFailed" ? { warnings: 2, errors: 1 } : {};
    if (kind === "Backup") {
      const items = this.snapshot(obj, spec);
      return {
        ...base,
        ...counts,
        expiration: this.state.timestamp(now + 30 * 24 * 3600_000),
        progress: { totalItems: items, itemsBackedUp: items },
        formatVersion: "1.1.0",
      };
    }
    const restored = this.restore(obj, spec);
    return { ...base, ...counts, progress: { totalItems: restored, itemsRestored: restored } };
  }

  private snapshot(backup: K8sObject, spec: Obj): number {
    const namespaces = (spec.includedNamespaces as string[] | undefined) ?? ["*"];
    const items: K8sObject[] = [];
    for (const kind of ["Namespace", ...snapshotKinds]) {
      const def = this.state.resources().find((d) => d.kind === kind);
      if (!def) continue;
      for (const obj of this.state.list(def)) {
        const ns = kind === "Namespace" ? String(obj.metadata.name) : String(obj.metadata.namespace);
        if (namespaces.includes("*") || namespaces.includes(ns)) items.push(obj);
      }
    }
    this.snapshots.set(`${backup.metadata.namespace}/${backup.metadata.name}`, items);
    return items.length;
  }

  private restore(restore: K8sObject, spec: Obj): number {
    const items = this.snapshots.get(`${restore.metadata.namespace}/${spec.backupName}`) ?? [];
    const mapping = (spec.namespaceMapping as Record<string, string> | undefined) ?? {};
    const included = spec.includedNamespaces as string[] | undefined;
    let restored = 0;
    for (const item of items) {
      const sourceNs = item.kind === "Namespace" ? String(item.metadata.name) : String(item.metadata.namespace);
      if (included && !included.includes("*") && !included.includes(sourceNs)) continue;
      const targetNs = mapping[sourceNs] ?? sourceNs;
      const def = this.state.findByKind(String(item.apiVersion), String(item.kind))!;
      const name = item.kind === "Namespace" ? targetNs : String(item.metadata.name);
      if (this.state.get(def, item.kind === "Namespace" ? undefined : targetNs, name)) continue;
      const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields: _m, ownerReferences: _o, generation: _g, ...meta } = item.metadata;
      const labels = { ...(meta.labels as Record<string, string> | undefined), "velero.io/restore-name": String(restore.metadata.name) };
      const copy = { ...structuredClone(item), metadata: { ...meta, name, labels, ...(item.kind === "Namespace" ? {} : { namespace: targetNs }) } } as K8sObject;
      if (item.kind === "Namespace") copy.metadata.labels = { ...labels, "kubernetes.io/metadata.name": targetNs };
      delete copy.status;
      if (item.kind === "Namespace") copy.status = { phase: "Active" };
      this.state.putSystemObject(copy);
      restored++;
    }
    return restored;
  }
}
