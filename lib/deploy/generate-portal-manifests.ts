// The portal's own deployment (deploy/): a Kustomize base plus an optional ServiceMonitor component, built as
// typed objects (kubernetes-models interfaces) by pure functions. render-portal-manifests.ts turns them into the
// committed YAML; deploy-manifests.test.ts fails when the committed files drift from this output.
import type { KubernetesObject } from "@/lib/k8s/types";
import { portalManifestOptionsSchema, type PortalManifestOptions, type PortalManifestOptionsInput } from "./schema";
import { portalMeta, portalNames, portalSelector } from "./portal-labels";
import { buildDisruptionBudget, buildMigrationJob, buildWebAutoscaler, buildWebDeployment, buildWorkerDeployment, metricsTokenKey } from "./build-portal-workloads";
import { buildNetworkPolicies, buildWebService, buildWorkerMetricsService } from "./build-portal-network";
import { buildClusterRole, buildClusterRoleBinding, buildConfigMap, buildExternalSecret, buildNamespace, buildServiceAccount } from "./build-portal-access";

export interface ManifestFile {
  /** Path relative to the deploy/ folder, e.g. "base/web-deployment.yaml". */
  path: string;
  objects: KubernetesObject[];
}

export interface PortalManifests {
  options: PortalManifestOptions;
  /** Files of deploy/base, in kustomization.yaml's resource order. */
  base: ManifestFile[];
  /** Files of deploy/components/service-monitor (needs the Prometheus Operator CRDs). */
  serviceMonitor: ManifestFile[];
}

interface TypedObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

function toKubernetesObject(object: TypedObject): KubernetesObject {
  if (!object.apiVersion || !object.kind || !object.metadata?.name) {
    throw new Error(`generated ${object.kind ?? "object"} lacks apiVersion, kind or metadata.name: fix its builder in lib/deploy`);
  }
  return object as KubernetesObject;
}

function file(path: string, ...objects: (TypedObject | undefined)[]): ManifestFile {
  return { path, objects: objects.filter((o): o is TypedObject => o !== undefined).map(toKubernetesObject) };
}

function buildServiceMonitors(options: PortalManifestOptions): KubernetesObject[] {
  const names = portalNames(options);
  const monitor = (name: string, component: "web" | "worker", port: string, endpoint: Record<string, unknown> = {}): KubernetesObject => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: portalMeta(options, name, component),
    spec: {
      selector: { matchLabels: portalSelector(options, component) },
      endpoints: [{ port, path: "/metrics", interval: "30s", scrapeTimeout: "10s", ...endpoint }],
    },
  });
  // The web's /metrics carries team data (ml_*) and answers only to METRICS_TOKEN; the worker's carries none.
  const webToken = { authorization: { type: "Bearer", credentials: { name: options.secretName, key: metricsTokenKey } } };
  return [monitor(names.web, "web", "http", webToken), monitor(names.worker, "worker", "metrics")];
}

export function generatePortalManifests(input: PortalManifestOptionsInput = {}): PortalManifests {
  const options = portalManifestOptionsSchema.parse(input);
  const base = [
    file("base/namespace.yaml", buildNamespace(options)),
    file("base/service-account.yaml", buildServiceAccount(options)),
    file("base/rbac.yaml", buildClusterRole(options), buildClusterRoleBinding(options)),
    file("base/config-map.yaml", buildConfigMap(options)),
    file("base/external-secret.yaml", buildExternalSecret(options)),
    file("base/network-policies.yaml", ...buildNetworkPolicies(options)),
    file("base/migration-job.yaml", buildMigrationJob(options)),
    file("base/web-deployment.yaml", buildWebDeployment(options)),
    file("base/web-service.yaml", buildWebService(options)),
    file("base/web-autoscaler.yaml", buildWebAutoscaler(options)),
    file("base/worker-deployment.yaml", buildWorkerDeployment(options)),
    file("base/worker-metrics-service.yaml", buildWorkerMetricsService(options)),
    file("base/pod-disruption-budgets.yaml", buildDisruptionBudget(options, "web"), buildDisruptionBudget(options, "worker")),
  ].filter((f) => f.objects.length > 0);
  return { options, base, serviceMonitor: [{ path: "components/service-monitor/service-monitors.yaml", objects: buildServiceMonitors(options) }] };
}

/** Every object of the base (what `kubectl apply -k deploy/base` creates). */
export function portalBaseObjects(manifests: PortalManifests): KubernetesObject[] {
  return manifests.base.flatMap((f) => f.objects);
}
