// What the portal's service account may do in its cluster, and why. Two reasons for a permission:
//  - "applies": the portal server-side-applies this kind (get + create + patch; list/watch to show status;
//    delete to remove what a plan no longer contains);
//  - "grants": a Role or ClusterRole the portal applies grants it. The API server refuses to create a role that
//    grants more than its creator holds unless the creator has `escalate`/`bind`, which this portal never gets
//    (either one is a path to cluster-admin). deploy-manifests.test.ts checks this table against the plan engine.
// No wildcards anywhere: new kinds must be added here, on purpose.

export interface PortalPermission {
  apiGroup: string;
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
  reason: string;
}

const apply = ["get", "list", "watch", "create", "patch", "delete"];
const read = ["get", "list", "watch"];
// The plan's ml-platform-admin ClusterRole grants update as well, so the portal must hold it to create that role.
const manage = ["get", "list", "watch", "create", "update", "patch", "delete"];

export const portalPermissions: PortalPermission[] = [
  { apiGroup: "", resources: ["namespaces"], verbs: apply, reason: "applies team namespaces with Pod Security labels" },
  { apiGroup: "", resources: ["configmaps", "serviceaccounts", "services", "persistentvolumeclaims", "pods", "pods/log", "events"], verbs: manage, reason: "applies config maps, service accounts, services, PVCs; the ml-platform-admin role it applies grants all of these" },
  { apiGroup: "", resources: ["resourcequotas", "limitranges"], verbs: apply, reason: "applies cost guardrails and reads quota for the quota_available pre-condition" },
  { apiGroup: "", resources: ["secrets"], verbs: ["get"], resourceNames: ["training-config", "model-credentials"], reason: "the ml-engineer role it applies grants get on these two named secrets" },
  { apiGroup: "", resources: ["configmaps"], verbs: ["get", "watch"], resourceNames: ["model-server-config"], reason: "the model server role it applies grants this" },
  { apiGroup: "apps", resources: ["deployments", "daemonsets", "statefulsets", "replicasets"], verbs: manage, reason: "applies model servers, workers and the device plugin; the ml-platform-admin role grants these" },
  { apiGroup: "batch", resources: ["jobs", "cronjobs"], verbs: manage, reason: "applies training and batch jobs; the ml-platform-admin role grants these" },
  { apiGroup: "networking.k8s.io", resources: ["networkpolicies", "ingresses"], verbs: manage, reason: "applies network policies; the ml-platform-admin role grants these" },
  { apiGroup: "rbac.authorization.k8s.io", resources: ["roles", "rolebindings", "clusterroles"], verbs: apply, reason: "applies the personas' roles and their namespace bindings (never ClusterRoleBindings)" },
  { apiGroup: "keda.sh", resources: ["scaledobjects", "scaledjobs", "triggerauthentications"], verbs: manage, reason: "applies KEDA autoscaling; the ml-platform-admin role grants these" },
  { apiGroup: "karpenter.sh", resources: ["nodepools"], verbs: apply, reason: "applies Karpenter node pools" },
  { apiGroup: "karpenter.k8s.aws", resources: ["ec2nodeclasses"], verbs: apply, reason: "applies Karpenter EC2 node classes" },
  { apiGroup: "velero.io", resources: ["backups", "restores", "schedules", "backupstoragelocations"], verbs: apply, reason: "applies backup schedules and runs DR drills (backup, restore)" },
  { apiGroup: "monitoring.coreos.com", resources: ["podmonitors"], verbs: apply, reason: "applies the PodMonitor that has Prometheus scrape the model server, whose series the autoscaler reads" },
  { apiGroup: "external-secrets.io", resources: ["externalsecrets"], verbs: manage, reason: "applies ExternalSecrets; the ml-platform-admin role grants these" },
  { apiGroup: "external-secrets.io", resources: ["clustersecretstores"], verbs: apply, reason: "applies the cloud secret manager store" },
  { apiGroup: "kubeflow.org", resources: ["pytorchjobs"], verbs: ["get", "list", "watch", "create", "delete"], reason: "the ml-engineer role it applies grants these" },
  { apiGroup: "", resources: ["nodes"], verbs: read, reason: "shows GPU capacity and checks the kubernetes_cluster_accessible pre-condition" },
];

/** True when the permissions cover (apiGroup, resource, verb), optionally for a named object. */
export function permits(permissions: readonly PortalPermission[], apiGroup: string, resource: string, verb: string, resourceName?: string): boolean {
  return permissions.some(
    (p) =>
      p.apiGroup === apiGroup &&
      p.resources.includes(resource) &&
      p.verbs.includes(verb) &&
      (p.resourceNames === undefined || (resourceName !== undefined && p.resourceNames.includes(resourceName))),
  );
}
