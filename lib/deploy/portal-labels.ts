// Labels and names shared by every object of the portal's deployment.
import type { PortalManifestOptions } from "./schema";

export type PortalComponent = "web" | "worker" | "migrate" | "config" | "rbac" | "network-policy" | "secrets";

export function portalLabels(options: PortalManifestOptions, component: PortalComponent): Record<string, string> {
  return {
    "app.kubernetes.io/name": options.name,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": options.name,
    "app.kubernetes.io/version": options.version,
  };
}

/** Selector labels never include the version: a Deployment's selector is immutable. */
export function portalSelector(options: PortalManifestOptions, component: PortalComponent): Record<string, string> {
  return { "app.kubernetes.io/name": options.name, "app.kubernetes.io/component": component };
}

export function portalMeta(options: PortalManifestOptions, name: string, component: PortalComponent) {
  return { name, namespace: options.namespace, labels: portalLabels(options, component) };
}

export const portalNames = (options: PortalManifestOptions) => ({
  web: `${options.name}-web`,
  worker: `${options.name}-worker`,
  workerMetrics: `${options.name}-worker-metrics`,
  migrate: `${options.name}-migrate-${options.version.replace(/\./g, "-")}`,
  config: `${options.name}-config`,
  serviceAccount: options.name,
  clusterRole: `${options.name}-applier`,
});
