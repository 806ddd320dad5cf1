// The kinds the double serves, as the API server's discovery documents describe them.
// Group "" is the core group (served under /api/v1); everything else is under /apis/<group>/<version>.
export interface ResourceDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  subresources?: string[];
  shortNames?: string[];
  /** True for kinds that come from a CustomResourceDefinition (they can be toggled absent). */
  custom?: boolean;
}

const core = (kind: string, plural: string, namespaced = true, subresources?: string[]): ResourceDefinition => ({
  group: "",
  version: "v1",
  kind,
  plural,
  namespaced,
  subresources,
});
const grouped = (
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced = true,
  subresources?: string[],
  custom = false,
): ResourceDefinition => ({ group, version, kind, plural, namespaced, subresources, custom });

export const builtInResources: ResourceDefinition[] = [
  core("Namespace", "namespaces", false, ["status", "finalize"]),
  core("ConfigMap", "configmaps"),
  core("Secret", "secrets"),
  core("Service", "services", true, ["status"]),
  core("ServiceAccount", "serviceaccounts", true, ["token"]),
  core("Node", "nodes", false, ["status"]),
  core("Pod", "pods", true, ["status", "log", "eviction"]),
  core("Event", "events"),
  core("ResourceQuota", "resourcequotas", true, ["status"]),
  core("PersistentVolumeClaim", "persistentvolumeclaims", true, ["status"]),
  core("LimitRange", "limitranges"),
  grouped("apps", "v1", "Deployment", "deployments", true, ["status", "scale"]),
  grouped("apps", "v1", "DaemonSet", "daemonsets", true, ["status"]),
  grouped("apps", "v1", "StatefulSet", "statefulsets", true, ["status", "scale"]),
  grouped("apps", "v1", "ReplicaSet", "replicasets", true, ["status", "scale"]),
  grouped("batch", "v1", "Job", "jobs", true, ["status"]),
  grouped("batch", "v1", "CronJob", "cronjobs", true, ["status"]),
  grouped("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies"),
  grouped("rbac.authorization.k8s.io", "v1", "Role", "roles"),
  grouped("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
  grouped("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
  grouped("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false),
  grouped("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, ["status"]),
  grouped("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, ["status"]),
  grouped("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, ["status"]),
  grouped("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false),
  grouped("storage.k8s.io", "v1", "StorageClass", "storageclasses", false),
];

/** Kinds installed by CRDs on a typical GPU platform cluster; each can be switched off to test "CRD not installed". */
export const customResources: ResourceDefinition[] = [
  grouped("keda.sh", "v1alpha1", "ScaledObject", "scaledobjects", true, ["status"], true),
  grouped("keda.sh", "v1alpha1", "ScaledJob", "scaledjobs", true, ["status"], true),
  grouped("keda.sh", "v1alpha1", "TriggerAuthentication", "triggerauthentications", true, undefined, true),
  grouped("karpenter.sh", "v1", "NodePool", "nodepools", false, ["status"], true),
  grouped("karpenter.k8s.aws", "v1", "EC2NodeClass", "ec2nodeclasses", false, ["status"], true),
  grouped("velero.io", "v1", "Backup", "backups", true, undefined, true),
  grouped("velero.io", "v1", "Restore", "restores", true, undefined, true),
  grouped("velero.io", "v1", "Schedule", "schedules", true, undefined, true),
  grouped("velero.io", "v1", "DeleteBackupRequest", "deletebackuprequests", true, undefined, true),
  grouped("velero.io", "v1", "BackupStorageLocation", "backupstoragelocations", true, undefined, true),
  grouped("external-secrets.io", "v1", "ExternalSecret", "externalsecrets", true, ["status"], true),
  grouped("external-secrets.io", "v1", "ClusterSecretStore", "clustersecretstores", false, ["status"], true),
  grouped("monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors", true, undefined, true),
  grouped("monitoring.coreos.com", "v1", "PodMonitor", "podmonitors", true, undefined, true),
  // GitOps reconcilers whose status the portal reads for git-mode deliveries.
  grouped("argoproj.io", "v1alpha1", "Application", "applications", true, undefined, true),
  grouped("kustomize.toolkit.fluxcd.io", "v1", "Kustomization", "kustomizations", true, ["status"], true),
];

export function groupVersionOf(def: Pick<ResourceDefinition, "group" | "version">): string {
  return def.group === "" ? def.version : `${def.group}/${def.version}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/** APIResourceList for one group/version: main resources first, then subresources (as the real server orders them). */
export function apiResourceList(groupVersion: string, defs: ResourceDefinition[]): Record<string, unknown> {
  const main = defs.map((d) => ({
    name: d.plural,
    singularName: d.kind.toLowerCase(),
    namespaced: d.namespaced,
    kind: d.kind,
    verbs,
    ...(d.shortNames ? { shortNames: d.shortNames } : {}),
    storageVersionHash: Buffer.from(`${groupVersion}/${d.kind}`).toString("base64").slice(0, 12),
  }));
  const sub = defs.flatMap((d) =>
    (d.subresources ?? []).map((s) => ({
      name: `${d.plural}/${s}`,
      singularName: "",
      namespaced: d.namespaced,
      kind: s === "scale" ? "Scale" : d.kind,
      ...(s === "scale" ? { group: "autoscaling", version: "v1" } : {}),
      verbs: s === "log" ? ["get"] : ["get", "patch", "update"],
    })),
  );
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources: [...main, ...sub] };
}
