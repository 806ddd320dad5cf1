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
  state: "synced" | "pending" | "out_of_sync" | "unknown";
  revision: string | null;
  health: string | null;
  message: string;
}

interface Condition {
  type?: string;
  status?: string;
  message?: string;
}

/** Argo CD revisions are bare shas; Flux's read "main@sha1:<sha>": either contains the commit. */
const containsCommit = (revision: string | null, sha: string) =>
  !!revision && sha.length >= 7 && revision.includes(sha);

export function syncStatusOf(ref: SyncRef, object: unknown, commitSha: string): SyncStatus {
  const status = ((object as { status?: unknown } | null)?.status ?? {}) as Record<string, unknown>;
  const what = `${ref.kind} ${ref.namespace}/${ref.name}`;
  if (ref.tool === "argocd") {
    const sync = (status.sync ?? {}) as { status?: string; revision?: string };
    const health = ((status.health ?? {}) as { status?: string }).status ?? null;
    const revision = sync.revision ?? null;
    if (containsCommit(revision, commitSha) && sync.status === "Synced")
      return { state: "synced", revision, health, message: `synced at ${commitSha.slice(0, 12)} (${what})` };
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
    return { state: "synced", revision, health, message: `synced at ${commitSha.slice(0, 12)} (${what})` };
  return {
    state: "pending",
    revision,
    health,
    message: `${what} last applied ${revision ?? "nothing yet"}${ready ? `, Ready=${ready.status}` : ""}`,
  };
}
