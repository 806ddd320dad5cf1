// The order objects go to the API server: what others depend on first (namespaces, CRDs), then identity and
// configuration, then workloads, then what refers to workloads, then custom resources. Deletion is the reverse.
import type { ObjectRef } from "./object-ref";

const rankByKind: Record<string, number> = {
  Namespace: 0,
  CustomResourceDefinition: 0,
  PriorityClass: 1,
  StorageClass: 1,
  ClusterRole: 1,
  ServiceAccount: 2,
  Role: 2,
  RoleBinding: 2,
  ClusterRoleBinding: 2,
  ResourceQuota: 2,
  LimitRange: 2,
  NetworkPolicy: 2,
  ConfigMap: 2,
  Secret: 2,
  PersistentVolumeClaim: 2,
  Service: 2,
  Deployment: 3,
  StatefulSet: 3,
  DaemonSet: 3,
  ReplicaSet: 3,
  Job: 3,
  CronJob: 3,
  Pod: 3,
  HorizontalPodAutoscaler: 4,
  PodDisruptionBudget: 4,
};
const customResourceRank = 5;
// Among custom resources, referenced kinds go before the kinds that reference them.
const customOrder = [
  "ClusterSecretStore",
  "SecretStore",
  "ExternalSecret",
  "EC2NodeClass",
  "NodePool",
  "TriggerAuthentication",
  "ScaledObject",
  "ScaledJob",
  "BackupStorageLocation",
  "Schedule",
];

function rank(kind: string): [number, number] {
  if (kind in rankByKind) return [rankByKind[kind]!, 0];
  const i = customOrder.indexOf(kind);
  return [customResourceRank, i < 0 ? customOrder.length : i];
}

/** Stable: objects of the same rank keep the order they were given in. */
export function sortForApply<T extends { kind: string }>(objects: readonly T[]): T[] {
  return objects
    .map((obj, index) => ({ obj, index, rank: rank(obj.kind) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.index - b.index)
    .map((e) => e.obj);
}

export function sortForDelete<T extends Pick<ObjectRef, "kind">>(refs: readonly T[]): T[] {
  return sortForApply(refs).reverse();
}
