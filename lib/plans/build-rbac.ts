// RBAC for the three personas and the inference service account. Unlike the reference, nothing uses
// wildcards: its ml-platform-admin ClusterRole (* on *) is cluster-admin by another name, and its read-only role
// could read every Secret. Cluster roles are bound per namespace with RoleBindings, never cluster-wide.
import type { KubernetesObject } from "@/lib/k8s/types";
import { labelsFor, type PlanContext } from "./plan-context";

const rbacApi = "rbac.authorization.k8s.io/v1";
export const groups = { engineers: "ml-engineers", admins: "ml-platform-admins", readers: "ml-readers" };

const readVerbs = ["get", "list", "watch"];
const writeVerbs = ["get", "list", "watch", "create", "update", "patch", "delete"];

// Explicit resources: secrets are deliberately absent from the cluster roles.
const workloadResources = [
  {
    apiGroups: [""],
    resources: ["pods", "pods/log", "services", "configmaps", "persistentvolumeclaims", "serviceaccounts", "events"],
  },
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets"] },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"] },
  { apiGroups: ["keda.sh"], resources: ["scaledobjects", "scaledjobs", "triggerauthentications"] },
  { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies", "ingresses"] },
  { apiGroups: ["external-secrets.io"], resources: ["externalsecrets"] },
];

export function buildRbac(ctx: PlanContext): KubernetesObject[] {
  const { input } = ctx;
  const ns = input.namespaces;
  const mlNamespaces = [...new Set([ns.training, ns.inference, ns.batch, ns.streaming])];
  const meta = (name: string, namespace?: string) => ({
    name,
    ...(namespace ? { namespace } : {}),
    labels: labelsFor(ctx, "rbac"),
  });
  const objects: KubernetesObject[] = [
    {
      apiVersion: rbacApi,
      kind: "ClusterRole",
      metadata: meta("ml-platform-admin"),
      rules: [
        ...workloadResources.map((r) => ({ ...r, verbs: writeVerbs })),
        { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: readVerbs },
      ],
    },
    {
      apiVersion: rbacApi,
      kind: "ClusterRole",
      metadata: meta("ml-readonly"),
      rules: workloadResources.map((r) => ({ ...r, verbs: readVerbs })),
    },
  ];
  for (const namespace of mlNamespaces) {
    objects.push({
      apiVersion: rbacApi,
      kind: "Role",
      metadata: meta("ml-engineer", namespace),
      rules: [
        { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "delete", "get", "list", "watch"] },
        { apiGroups: [""], resources: ["pods", "pods/log", "services", "persistentvolumeclaims"], verbs: readVerbs },
        // Named objects only: an engineer reads the training config and model credentials, not every secret.
        {
          apiGroups: [""],
          resources: ["configmaps", "secrets"],
          verbs: ["get"],
          resourceNames: ["training-config", "model-credentials"],
        },
        {
          apiGroups: ["kubeflow.org"],
          resources: ["pytorchjobs"],
          verbs: ["create", "delete", "get", "list", "watch"],
        },
      ],
    });
    const bind = (name: string, roleKind: "Role" | "ClusterRole", role: string, group: string): KubernetesObject => ({
      apiVersion: rbacApi,
      kind: "RoleBinding",
      metadata: meta(name, namespace),
      subjects: [{ kind: "Group", name: group, apiGroup: "rbac.authorization.k8s.io" }],
      roleRef: { kind: roleKind, name: role, apiGroup: "rbac.authorization.k8s.io" },
    });
    objects.push(
      bind("ml-engineer", "Role", "ml-engineer", groups.engineers),
      bind("ml-platform-admin", "ClusterRole", "ml-platform-admin", groups.admins),
      bind("ml-readonly", "ClusterRole", "ml-readonly", groups.readers),
    );
  }
  const sa = `${input.model_server.name}-sa`;
  objects.push(
    {
      apiVersion: rbacApi,
      kind: "Role",
      metadata: meta(`${input.model_server.name}-role`, ns.inference),
      rules: [
        {
          apiGroups: [""],
          resources: ["configmaps"],
          verbs: ["get", "watch"],
          resourceNames: [`${input.model_server.name}-config`],
        },
      ],
    },
    {
      apiVersion: rbacApi,
      kind: "RoleBinding",
      metadata: meta(`${input.model_server.name}-binding`, ns.inference),
      subjects: [{ kind: "ServiceAccount", name: sa, namespace: ns.inference }],
      roleRef: { kind: "Role", name: `${input.model_server.name}-role`, apiGroup: "rbac.authorization.k8s.io" },
    },
  );
  return objects;
}
