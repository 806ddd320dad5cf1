// Server-side apply field ownership, modelled on the API server's structured-merge-diff at leaf granularity.
import {
  type Leaves,
  deepEqual,
  displayPath,
  fieldsV1ToLeaves,
  flattenLeaves,
  keyToPath,
  leavesToFieldsV1,
  unflattenLeaves,
  isPlainObject,
} from "./field-paths";

export type K8sObject = Record<string, unknown> & { metadata: Record<string, unknown> };

interface ManagerEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  fields: Set<string>;
  subresource?: string;
}

export interface FieldConflict {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  field: string;
}

const systemMetadata = [
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "deletionTimestamp",
  "selfLink",
];

/** The part of an object that managers own: no apiVersion/kind/status, no server-set metadata. */
export function ownedPart(obj: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!obj) return {};
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = obj;
  const meta = isPlainObject(metadata) ? { ...metadata } : {};
  for (const key of systemMetadata) delete meta[key];
  return Object.keys(meta).length > 0 ? { metadata: meta, ...rest } : rest;
}

function readEntries(obj: K8sObject | undefined): ManagerEntry[] {
  const raw = obj?.metadata.managedFields;
  if (!Array.isArray(raw)) return [];
  return raw.map((e) => ({
    manager: String(e.manager),
    operation: e.operation === "Apply" ? "Apply" : "Update",
    apiVersion: String(e.apiVersion),
    time: String(e.time),
    fields: fieldsV1ToLeaves(e.fieldsV1),
    ...(e.subresource ? { subresource: String(e.subresource) } : {}),
  }));
}

function writeEntries(entries: ManagerEntry[]): Record<string, unknown>[] {
  return entries
    .filter((e) => e.fields.size > 0)
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      time: e.time,
      fieldsType: "FieldsV1",
      fieldsV1: leavesToFieldsV1([...e.fields].sort()),
      ...(e.subresource ? { subresource: e.subresource } : {}),
    }));
}

/** Builds the object from owned leaves plus the live object's server-owned parts. */
function rebuild(live: K8sObject | undefined, applied: K8sObject, leaves: Leaves): K8sObject {
  const owned = unflattenLeaves(leaves.values());
  const liveMeta = live?.metadata ?? {};
  const meta: Record<string, unknown> = {};
  for (const key of systemMetadata) if (liveMeta[key] !== undefined) meta[key] = liveMeta[key];
  meta.name = applied.metadata.name;
  if (applied.metadata.namespace !== undefined) meta.namespace = applied.metadata.namespace;
  const obj: K8sObject = {
    apiVersion: applied.apiVersion,
    kind: applied.kind,
    ...owned,
    metadata: { ...meta, ...((owned.metadata as Record<string, unknown>) ?? {}) },
  };
  if (live?.status !== undefined) obj.status = live.status;
  return obj;
}

function setLeaf(leaves: Leaves, key: string, entry: { path: string[]; value: unknown }) {
  // A leaf replaces anything above or below it (a map becoming an atomic value, or the reverse).
  for (const existing of [...leaves.keys()]) {
    if (existing.startsWith(key + "\u0000") || key.startsWith(existing + "\u0000")) leaves.delete(existing);
  }
  leaves.set(key, entry);
}

export type ApplyOutcome = { ok: true; object: K8sObject } | { ok: false; conflicts: FieldConflict[] };

export function applyOwnership(params: {
  live: K8sObject | undefined;
  applied: K8sObject;
  manager: string;
  force: boolean;
  time: string;
}): ApplyOutcome {
  const { live, applied, manager, force, time } = params;
  const entries = readEntries(live);
  const appliedLeaves = flattenLeaves(ownedPart(applied));
  const liveLeaves = flattenLeaves(ownedPart(live));
  const isMine = (e: ManagerEntry) => e.manager === manager && e.operation === "Apply" && !e.subresource;

  const conflicts: FieldConflict[] = [];
  for (const [key, { value }] of appliedLeaves) {
    const liveValue = liveLeaves.get(key);
    if (liveValue && deepEqual(liveValue.value, value)) continue;
    for (const e of entries) {
      if (!isMine(e) && e.fields.has(key)) {
        conflicts.push({
          manager: e.manager,
          operation: e.operation,
          apiVersion: e.apiVersion,
          time: e.time,
          field: displayPath(keyToPath(key)),
        });
      }
    }
  }
  if (conflicts.length > 0 && !force) return { ok: false, conflicts };

  const mine = entries.find(isMine);
  const others = entries.filter((e) => !isMine(e));
  if (force) {
    for (const e of others)
      for (const key of appliedLeaves.keys()) {
        const liveValue = liveLeaves.get(key);
        if (!liveValue || !deepEqual(liveValue.value, appliedLeaves.get(key)!.value)) e.fields.delete(key);
      }
  }
  const next: Leaves = new Map(liveLeaves);
  for (const key of mine?.fields ?? []) {
    if (!appliedLeaves.has(key) && !others.some((e) => e.fields.has(key))) next.delete(key);
  }
  for (const [key, entry] of appliedLeaves) setLeaf(next, key, entry);

  const object = rebuild(live, applied, next);
  const myEntry: ManagerEntry = {
    manager,
    operation: "Apply",
    apiVersion: String(applied.apiVersion),
    time,
    fields: new Set(appliedLeaves.keys()),
  };
  const updated = mine ? entries.map((e) => (e === mine ? myEntry : e)) : [...entries, myEntry];
  object.metadata.managedFields = writeEntries(updated);
  return { ok: true, object };
}

/** Ownership after a non-apply write (create, merge/JSON patch, update): the writer owns what it changed. */
export function updateOwnership(params: {
  live: K8sObject | undefined;
  next: K8sObject;
  manager: string;
  time: string;
}): K8sObject {
  const { live, next, manager, time } = params;
  const entries = readEntries(live);
  const before = flattenLeaves(ownedPart(live));
  const after = flattenLeaves(ownedPart(next));
  const changed = [...after]
    .filter(([k, v]) => !before.has(k) || !deepEqual(before.get(k)!.value, v.value))
    .map(([k]) => k);
  const removed = [...before.keys()].filter((k) => !after.has(k));
  for (const e of entries) for (const k of [...changed, ...removed]) e.fields.delete(k);
  let mine = entries.find((e) => e.manager === manager && e.operation === "Update" && !e.subresource);
  if (!mine && changed.length > 0) {
    mine = { manager, operation: "Update", apiVersion: String(next.apiVersion), time, fields: new Set() };
    entries.push(mine);
  }
  if (mine && changed.length > 0) {
    for (const k of changed) mine.fields.add(k);
    mine.time = time;
  }
  return { ...next, metadata: { ...next.metadata, managedFields: writeEntries(entries) } };
}

/** The API server's conflict text: one conflict inline, several grouped per manager. */
export function conflictMessage(conflicts: FieldConflict[]): string {
  const who = (c: FieldConflict) =>
    c.operation === "Update" ? `"${c.manager}" using ${c.apiVersion} at ${c.time}` : `"${c.manager}"`;
  if (conflicts.length === 1)
    return `Apply failed with 1 conflict: conflict with ${who(conflicts[0]!)}: ${conflicts[0]!.field}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(who(c), [...(byManager.get(who(c)) ?? []), c.field]);
  const groups = [...byManager].map(([m, fields]) => `conflicts with ${m}:\n${fields.map((f) => `- ${f}`).join("\n")}`);
  return `Apply failed with ${conflicts.length} conflicts: ${groups.join("\n")}`;
}

export function conflictCauses(conflicts: FieldConflict[]) {
  return conflicts.map((c) => ({
    type: "FieldManagerConflict",
    message:
      c.operation === "Update"
        ? `conflict with "${c.manager}" using ${c.apiVersion} at ${c.time}`
        : `conflict with "${c.manager}"`,
    field: c.field,
  }));
}
