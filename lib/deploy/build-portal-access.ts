// Namespace, configuration, secrets and RBAC of the portal.
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { ACCEPT_ANNOTATION_PREFIX } from "@/lib/security/check-manifests";
import type { IClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import type { IClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import type { PortalManifestOptions } from "./schema";
import { portalLabels, portalMeta, portalNames } from "./portal-labels";
import { portalPermissions } from "./portal-permissions";
import { metricsTokenKey, webPort } from "./build-portal-workloads";

export function buildNamespace(options: PortalManifestOptions): INamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: options.namespace,
      labels: {
        ...portalLabels(options, "config"),
        // Admission refuses any pod of this namespace that breaks the restricted profile, not just these.
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      },
    },
  };
}

/** Non-secret settings; names and meanings as in lib/config/env.ts and the README table. */
export function buildConfigMap(options: PortalManifestOptions): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: portalMeta(options, portalNames(options).config, "config"),
    data: {
      NODE_ENV: "production",
      PORT: String(webPort),
      NEXTAUTH_URL: options.publicUrl,
      LOG_LEVEL: options.logLevel,
      DATABASE_POOL_SIZE: String(options.databasePoolSize),
      WORKER_CONCURRENCY: String(options.worker.concurrency),
      PORTAL_FIELD_MANAGER: options.name,
    },
  };
}

export function buildExternalSecret(options: PortalManifestOptions): IExternalSecret | undefined {
  const source = options.secrets;
  if (source.source !== "external-secret") return undefined;
  const remote = (key: string) => `${source.remoteKeyPrefix}/${key}`;
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: portalMeta(options, options.secretName, "secrets"),
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: source.storeKind, name: source.storeName },
      target: { name: options.secretName, creationPolicy: "Owner" },
      data: [
        { secretKey: "DATABASE_URL", remoteRef: { key: remote("database-url") } },
        { secretKey: "NEXTAUTH_SECRET", remoteRef: { key: remote("nextauth-secret") } },
        { secretKey: metricsTokenKey, remoteRef: { key: remote("metrics-token") } },
      ],
    },
  };
}

export function buildServiceAccount(options: PortalManifestOptions): IServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: portalMeta(options, portalNames(options).serviceAccount, "rbac"),
    // Pods opt in one by one (only the worker does).
    automountServiceAccountToken: false,
  };
}

export function buildClusterRole(options: PortalManifestOptions): IClusterRole {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: {
      name: portalNames(options).clusterRole,
      labels: portalLabels(options, "rbac"),
      // Applying approved plans means creating workloads in any team namespace: that is the portal's job, so the
      // security report keeps the finding, as accepted, instead of counting it against the portal's own manifests.
      annotations: { [`${ACCEPT_ANNOTATION_PREFIX}rbac.workload-creation`]: "the portal applies approved plans, whose Deployments and Jobs run in team namespaces; only approved requests reach this role" },
    },
    rules: portalPermissions.map((p) => ({
      apiGroups: [p.apiGroup],
      resources: [...p.resources],
      verbs: [...p.verbs],
      ...(p.resourceNames ? { resourceNames: [...p.resourceNames] } : {}),
    })),
  };
}

export function buildClusterRoleBinding(options: PortalManifestOptions): IClusterRoleBinding {
  const names = portalNames(options);
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: names.clusterRole, labels: portalLabels(options, "rbac") },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: names.clusterRole },
    subjects: [{ kind: "ServiceAccount", name: names.serviceAccount, namespace: options.namespace }],
  };
}
