// A small, fully hardened manifest set: the checker must report nothing on it. Bad-manifest tests start from a
// copy of it and break exactly one thing, so each finding can be traced to the one change that caused it.
import type { KubernetesObject } from "@/lib/k8s/types";

export const digest = "sha256:2f1b5ad4b1a58bd3e5a6c4d0a4f9e3a5b6c7d8e9f0a1b2c3d4e5f60718293a4b";

export function hardenedPodSpec(): Record<string, unknown> {
  return {
    serviceAccountName: "api",
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      {
        name: "api",
        image: `registry.example.com/team/api:1.4.2@${digest}`,
        ports: [{ containerPort: 8080 }],
        env: [
          { name: "LOG_LEVEL", value: "info" },
          { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
        ],
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      },
    ],
    volumes: [{ name: "tmp", emptyDir: {} }],
  };
}

export function cleanDeployment(): KubernetesObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "api", namespace: "apps" },
    spec: { selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api" } }, spec: hardenedPodSpec() } },
  };
}

export function cleanSupportingObjects(): KubernetesObject[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny", namespace: "apps" },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "api", namespace: "apps" }, automountServiceAccountToken: false },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "api", namespace: "apps" },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "api", namespace: "apps" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "api" },
      subjects: [{ kind: "ServiceAccount", name: "api", namespace: "apps" }],
    },
  ];
}

export function cleanManifests(): KubernetesObject[] {
  return [...cleanSupportingObjects(), cleanDeployment()];
}
