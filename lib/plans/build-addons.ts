// The cluster add-ons a plan's workloads read from, installed by the plan rather than stated as prerequisites:
// the NVIDIA DCGM exporter (GPU utilization for the inference autoscaler, scraped through its ServiceMonitor) and
// Redis for the batch workers' queue. Helm releases with pinned charts, as infrastructure_config.addons.
import { stringify } from "yaml";
import type { PlanContext } from "./plan-context";

export interface AddonRelease {
  name: string;
  chart: string;
  repository: string;
  version: string;
  namespace: string;
  values_yaml: string;
  /** The command that installs it: the same one on a recreated cluster. */
  command: string[];
}

const defaultRedisHost = "redis-master.redis.svc";

function release(r: Omit<AddonRelease, "command" | "values_yaml"> & { values: Record<string, unknown> }): AddonRelease {
  const valuesFile = `${r.name}-values.yaml`;
  return {
    name: r.name,
    chart: r.chart,
    repository: r.repository,
    version: r.version,
    namespace: r.namespace,
    values_yaml: stringify(r.values),
    command: [
      "helm",
      "upgrade",
      "--install",
      r.name,
      r.chart,
      "--repo",
      r.repository,
      "--version",
      r.version,
      "--namespace",
      r.namespace,
      "--create-namespace",
      "--values",
      valuesFile,
      "--wait",
    ],
  };
}

/** Whether the plan installs the DCGM exporter: it builds or scales a cluster with GPU pools. */
export function installsDcgmExporter(ctx: PlanContext): boolean {
  return ["cluster_setup", "auto_scaling"].includes(ctx.input.infrastructure_task) && ctx.gpuPools.length > 0;
}

export function usesDefaultRedis(ctx: PlanContext): boolean {
  return ctx.input.autoscaling.redis_address.split(":")[0] === defaultRedisHost;
}

/** Whether the plan installs Redis: batch workers read a queue at the default in-cluster address. */
export function installsRedis(ctx: PlanContext): boolean {
  const { input } = ctx;
  return (
    ["cluster_setup", "auto_scaling"].includes(input.infrastructure_task) &&
    input.workload_type === "batch" &&
    usesDefaultRedis(ctx)
  );
}

export function addonReleases(ctx: PlanContext): AddonRelease[] {
  const releases: AddonRelease[] = [];
  if (installsDcgmExporter(ctx)) {
    releases.push(
      release({
        name: "dcgm-exporter",
        chart: "dcgm-exporter",
        repository: "https://nvidia.github.io/dcgm-exporter/helm-charts",
        version: "4.1.1",
        namespace: "gpu-monitoring",
        values: {
          // The pod/namespace labels DCGM reports are the GPU's workload, not the exporter's own pod: honorLabels
          // keeps them as pod/namespace (the autoscaler queries accept exported_pod/... as well).
          serviceMonitor: { enabled: true, honorLabels: true, interval: "15s" },
          // Every GPU node, whatever its pool's taints (GPU, AKS/GKE spot, the pools' own).
          tolerations: [{ operator: "Exists" }],
          nodeSelector: {},
          kubernetes: { enablePodLabels: true },
        },
      }),
    );
  }
  if (installsRedis(ctx)) {
    releases.push(
      release({
        name: "redis",
        chart: "redis",
        repository: "https://charts.bitnami.com/bitnami",
        version: "20.6.3",
        namespace: "redis",
        values: {
          architecture: "standalone",
          // The workers' redis-cli and KEDA's redis scaler connect without a password; the chart's NetworkPolicy
          // admits only pods of the batch namespace and KEDA's.
          auth: { enabled: false },
          networkPolicy: {
            enabled: true,
            allowExternal: false,
            ingressNSMatchLabels: { "kubernetes.io/metadata.name": ctx.input.namespaces.batch },
          },
          master: { persistence: { enabled: true, size: "20Gi" } },
        },
      }),
    );
  }
  return releases;
}

/** host:port of the in-cluster services the plan's add-ons provide. */
export function addonServices(ctx: PlanContext): string[] {
  return installsRedis(ctx) ? [ctx.input.autoscaling.redis_address] : [];
}
