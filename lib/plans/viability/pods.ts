// What the viability rules read from a pod template: where it wants to run and what it asks for.
import type { KubernetesObject } from "@/lib/k8s/types";
import { asArray, asRecord, findPodSpec, listContainers, type PodSpecLocation } from "@/lib/security/pod-specs";
import type { PoolFact, TaintFact } from "./facts";

export interface PodFacts {
  location: PodSpecLocation;
  object: KubernetesObject;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  nodeSelector: Record<string, string>;
  tolerations: Record<string, unknown>[];
  /** nvidia.com/gpu a pod asks for (sum over its containers). */
  gpus: number;
  serviceAccount: string;
}

export function podFacts(object: KubernetesObject): PodFacts | undefined {
  const location = findPodSpec(object);
  if (!location) return undefined;
  const spec = location.spec;
  const gpus = listContainers(location)
    .filter((c) => c.list === "containers")
    .reduce((sum, c) => {
      const resources = asRecord(c.container.resources) ?? {};
      const wanted = asRecord(resources.limits)?.["nvidia.com/gpu"] ?? asRecord(resources.requests)?.["nvidia.com/gpu"];
      return sum + (Number(wanted) || 0);
    }, 0);
  return {
    location,
    object,
    namespace: object.metadata.namespace ?? "",
    labels: (asRecord(location.metadata.labels) ?? {}) as Record<string, string>,
    annotations: (asRecord(location.metadata.annotations) ?? {}) as Record<string, string>,
    nodeSelector: (asRecord(spec.nodeSelector) ?? {}) as Record<string, string>,
    tolerations: asArray(spec.tolerations).map((t) => asRecord(t) ?? {}),
    gpus,
    serviceAccount: typeof spec.serviceAccountName === "string" ? spec.serviceAccountName : "default",
  };
}

export function listPods(objects: readonly KubernetesObject[]): PodFacts[] {
  return objects.map(podFacts).filter((p): p is PodFacts => p !== undefined);
}

/** Pools whose labels satisfy the pod's nodeSelector and, for a GPU pod, that have GPUs (when known). */
export function candidatePools(pod: PodFacts, pools: readonly PoolFact[]): PoolFact[] {
  return pools.filter(
    (pool) =>
      Object.entries(pod.nodeSelector).every(([k, v]) => pool.labels[k] === v) &&
      (pod.gpus === 0 || pool.gpusPerNode === undefined || pool.gpusPerNode > 0),
  );
}

export function tolerates(tolerations: readonly Record<string, unknown>[], taint: TaintFact): boolean {
  return tolerations.some((t) => {
    const effectOk = !t.effect || t.effect === taint.effect;
    if (!effectOk) return false;
    if (t.operator === "Exists") return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
  });
}

/** Taints that keep the pod off the pool (PreferNoSchedule only discourages). */
export function untoleratedTaints(pod: PodFacts, pool: PoolFact): TaintFact[] {
  return pool.taints.filter((t) => t.effect !== "PreferNoSchedule" && !tolerates(pod.tolerations, t));
}

export function describeTaint(t: TaintFact): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

export function refName(o: KubernetesObject): string {
  return [o.kind, o.metadata.namespace, o.metadata.name].filter(Boolean).join("/");
}
