// What `kubectl rollout undo` computes client-side: the ReplicaSet of the revision to go back to, and the JSON
// patch that puts its pod template (and its annotations) back on the Deployment.
export const revisionAnnotation = "deployment.kubernetes.io/revision";
// Annotations that describe the Deployment itself, not a revision: kept from the Deployment (as kubectl does).
const annotationsToSkip = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  revisionAnnotation,
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
]);

export interface ReplicaSetLike {
  metadata: { name: string; uid?: string; annotations?: Record<string, string>; ownerReferences?: Array<{ uid?: string; controller?: boolean }> };
  spec: { template: { metadata?: { labels?: Record<string, string>; [k: string]: unknown }; [k: string]: unknown } };
}

export const revisionOf = (rs: { metadata: { annotations?: Record<string, string> } }) => Number(rs.metadata.annotations?.[revisionAnnotation] ?? 0);

export type RevisionChoice =
  | { ok: true; replicaSet: ReplicaSetLike; fromRevision: number; toRevision: number }
  | { ok: false; reason: "no_previous_revision" | "revision_not_found"; message: string };

export function chooseRollbackTarget(deploymentName: string, replicaSets: readonly ReplicaSetLike[], toRevision = 0): RevisionChoice {
  const sorted = [...replicaSets].sort((a, b) => revisionOf(b) - revisionOf(a));
  const current = sorted[0] ? revisionOf(sorted[0]) : 0;
  if (toRevision > 0) {
    const match = sorted.find((rs) => revisionOf(rs) === toRevision);
    return match
      ? { ok: true, replicaSet: match, fromRevision: current, toRevision }
      : { ok: false, reason: "revision_not_found", message: `deployment ${deploymentName} has no revision ${toRevision} (known: ${sorted.map(revisionOf).join(", ") || "none"})` };
  }
  if (sorted.length < 2) {
    return { ok: false, reason: "no_previous_revision", message: `deployment ${deploymentName} has no previous revision to roll back to (rollout history holds ${sorted.length})` };
  }
  return { ok: true, replicaSet: sorted[1], fromRevision: current, toRevision: revisionOf(sorted[1]) };
}

export function templateWithoutHash<T extends ReplicaSetLike["spec"]["template"]>(template: T): T {
  const copy = structuredClone(template);
  if (copy.metadata?.labels) delete copy.metadata.labels["pod-template-hash"];
  return copy;
}

export function rollbackPatch(deploymentAnnotations: Record<string, string>, replicaSet: ReplicaSetLike, wireTemplate: unknown) {
  const annotations: Record<string, string> = {};
  for (const key of annotationsToSkip) if (deploymentAnnotations[key] !== undefined) annotations[key] = deploymentAnnotations[key];
  for (const [key, value] of Object.entries(replicaSet.metadata.annotations ?? {})) if (!annotationsToSkip.has(key)) annotations[key] = value;
  return [
    { op: "replace", path: "/spec/template", value: wireTemplate },
    { op: "replace", path: "/metadata/annotations", value: annotations },
  ];
}
