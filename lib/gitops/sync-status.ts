// Whether Argo CD or Flux has synced a commit, from the status of its Application or Kustomization.
import { gitSyncRefPattern } from "./schema";

export interface SyncRef {
  tool: "argocd" | "flux";
  namespace: string;
  name: string;
  apiVersion: string;
  kind: string;
}

export function parseSyncRef(ref: string): SyncRef | null {
  const m = gitSyncRefPattern.exec(ref);
  if (!m || !m[2] || !m[4]) return null;
  const tool = m[1] === "argocd" ? "argocd" : "flux";
  return tool === "argocd"
    ? { tool, namespace: m[2], name: m[4], apiVersion: "argoproj.io/v1alpha1", kind: "Application" }
    : { tool, namespace: m[2], name: m[4], apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization" };
}

export interface SyncStatus {
  /** synced: the reconciler's revision contains the commit and it reports in sync / ready. */
  state: "synced" | "pending" | "out_of_sync" | "failed" | "unknown";
  revision: string | null;
  health: string | null;
  message: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** Argo CD revisions are bare shas; Flux's read "main@sha1:<sha>": either names the commit itself. */
const namesCommit = (revision: string | null, sha: string) => !!revision && sha.length >= 7 && revision.includes(sha);

/** The commit a reconciler's revision names (Argo CD: the sha; Flux: "main@sha1:<sha>" or "main/<sha>"), or null. */
export function revisionCommit(revision: string | null): string | null {
  const m = revision ? /(?:^|[@:/])([0-9a-f]{40}|[0-9a-f]{64})$/.exec(revision) : null;
  return m?.[1] ?? null;
}

/** The revision the Application / Kustomization last synced, and whether it reports in sync / ready there. */
export function syncedRevisionOf(ref: SyncRef, object: unknown): { revision: string | null; inSync: boolean } {
  const status = ((object as { status?: unknown } | null)?.status ?? {}) as Record<string, unknown>;
  if (ref.tool === "argocd") {
    const sync = (status.sync ?? {}) as { status?: string; revision?: string };
    return { revision: sync.revision ?? null, inSync: sync.status === "Synced" };
  }
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
  return {
    revision: typeof status.lastAppliedRevision === "string" ? status.lastAppliedRevision : null,
    inSync: conditions.find((c) => c.type === "Ready")?.status === "True",
  };
}

/**
 * `contained`: whether the synced revision holds the commit in its history (the caller asked GitHub or git). A busy
 * repository moves past the delivered commit before the reconciler reads it, so an exact match alone would rarely be
 * seen; without the answer, only the revision naming the commit itself counts.
 */
export function syncStatusOf(ref: SyncRef, object: unknown, commitSha: string, contained?: boolean): SyncStatus {
  const status = ((object as { status?: unknown } | null)?.status ?? {}) as Record<string, unknown>;
  const what = `${ref.kind} ${ref.namespace}/${ref.name}`;
  const containsCommit = (revision: string | null, sha: string) => namesCommit(revision, sha) || contained === true;
  const at = (revision: string | null) =>
    namesCommit(revision, commitSha)
      ? commitSha.slice(0, 12)
      : `${revisionCommit(revision)?.slice(0, 12) ?? revision}, which contains ${commitSha.slice(0, 12)}`;
  if (ref.tool === "argocd") {
    const sync = (status.sync ?? {}) as { status?: string; revision?: string };
    const health = ((status.health ?? {}) as { status?: string }).status ?? null;
    const revision = sync.revision ?? null;
    if (containsCommit(revision, commitSha) && sync.status === "Synced")
      return { state: "synced", revision, health, message: `synced at ${at(revision)} (${what})` };
    // The last sync operation failed (a manifest the API server refused, a hook that failed): it will not get there
    // without someone acting. OutOfSync alone is only a sync not done yet.
    const operation = (status.operationState ?? {}) as { phase?: string; message?: string };
    if (operation.phase === "Failed" || operation.phase === "Error")
      return {
        state: "failed",
        revision,
        health,
        message: `${what}'s last sync ${operation.phase === "Error" ? "erred" : "failed"}: ${operation.message ?? "no message"}`,
      };
    return {
      state: sync.status === "OutOfSync" ? "out_of_sync" : "pending",
      revision,
      health,
      message: `${what} is ${sync.status ?? "not reporting"} at ${revision?.slice(0, 12) ?? "no revision"}`,
    };
  }
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
  const ready = conditions.find((c) => c.type === "Ready");
  const revision = typeof status.lastAppliedRevision === "string" ? status.lastAppliedRevision : null;
  const health = ready ? (ready.status === "True" ? "Ready" : `Not ready: ${ready.message ?? ""}`.trim()) : null;
  if (containsCommit(revision, commitSha) && ready?.status === "True")
    return { state: "synced", revision, health, message: `synced at ${at(revision)} (${what})` };
  // Flux names a reconciliation that failed with a reason ending in Failed (ReconciliationFailed, BuildFailed,
  // HealthCheckFailed); Progressing and DependencyNotReady are on the way.
  if (ready?.status === "False" && /Failed$/.test(ready.reason ?? ""))
    return {
      state: "failed",
      revision,
      health,
      message: `${what} failed (${ready.reason}): ${ready.message ?? ""}`.trim(),
    };
  return {
    state: "pending",
    revision,
    health,
    message: `${what} last applied ${revision ?? "nothing yet"}${ready ? `, Ready=${ready.status}` : ""}`,
  };
}
