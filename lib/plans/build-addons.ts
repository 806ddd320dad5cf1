// The cluster add-ons a plan's workloads read from, installed by the plan rather than stated as prerequisites:
// the NVIDIA DCGM exporter (GPU utilization for the inference autoscaler, scraped through its ServiceMonitor), as a
// Helm release with a pinned chart in infrastructure_config.addons. The batch queue's Redis is manifests
// (build-redis.ts).
import { stringify } from "yaml";
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { poolTaints, type PlanContext } from "./plan-context";
import { helmUpgradeInstall } from "./recovery-commands";

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

function release(r: Omit<AddonRelease, "command" | "values_yaml"> & { values: Record<string, unknown> }): AddonRelease {
  const valuesFile = `${r.name}-values.yaml`;
  return {
    name: r.name,
    chart: r.chart,
    repository: r.repository,
    version: r.version,
    namespace: r.namespace,
    values_yaml: stringify(r.values),
    command: helmUpgradeInstall({
      release: r.name,
      chart: r.chart,
      repo: r.repository,
      version: r.version,
      namespace: r.namespace,
      values: valuesFile,
    }),
  };
}

/**
 * Whether the plan installs the DCGM exporter: it builds or scales a cloud cluster with GPU pools. On premises the
 * required GPU Operator runs its own exporter on every GPU node; a second one would export every series twice.
 */
export function installsDcgmExporter(ctx: PlanContext): boolean {
  return (
    ["cluster_setup", "auto_scaling"].includes(ctx.input.infrastructure_task) &&
    ctx.gpuPools.length > 0 &&
    ctx.input.cloud_provider !== "on_premise"
  );
}

// Taints the exporter tolerates: a GPU node's and a spot node's. Any other taint marks nodes that are not its.
const gpuOrSpotTaintKeys = ["nvidia.com/gpu", "kubernetes.azure.com/scalesetpriority", "cloud.google.com/gke-spot"];

/**
 * Node terms (ORed) that select GPU nodes only: GKE labels every GPU node with its accelerator; elsewhere the
 * pools' own labels (with every accelerator their fallback types label nodes with) or GPU feature discovery's label.
 */
export function dcgmNodeTerms(ctx: PlanContext): { matchExpressions: Record<string, unknown>[] }[] {
  const { input } = ctx;
  if (input.cloud_provider === "gcp")
    return [{ matchExpressions: [{ key: "cloud.google.com/gke-accelerator", operator: "Exists" }] }];
  const poolTerms = ctx.gpuPools.map((pool) => {
    const { accelerator, ...rest } = pool.labels;
    const accelerators = new Set(
      accelerator === undefined
        ? []
        : [
            accelerator,
            ...pool.fallback_instance_types.map((t) => lookupPrice(input.cloud_provider, t)?.gpuType ?? accelerator),
          ],
    );
    return {
      matchExpressions: [
        ...Object.entries(rest).map(([key, value]) => ({ key, operator: "In", values: [value] })),
        ...(accelerators.size > 0 ? [{ key: "accelerator", operator: "In", values: [...accelerators] }] : []),
      ],
    };
  });
  return [
    ...poolTerms.filter((t) => t.matchExpressions.length > 0),
    { matchExpressions: [{ key: "nvidia.com/gpu.present", operator: "In", values: ["true"] }] },
  ];
}

export function dcgmTolerations(ctx: PlanContext): Record<string, string>[] {
  const byKey = new Map<string, Record<string, string>>([
    ["nvidia.com/gpu:NoSchedule", { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
  ]);
  for (const pool of ctx.gpuPools) {
    for (const t of poolTaints(ctx.input, pool)) {
      if (gpuOrSpotTaintKeys.includes(t.key))
        byKey.set(`${t.key}:${t.effect}`, { key: t.key, operator: "Exists", effect: t.effect });
    }
  }
  return [...byKey.values()];
}

// GKE installs the NVIDIA driver under /home/kubernetes/bin/nvidia rather than on the host's library path: the
// exporter finds it there as in Google's DCGM manifest
// (https://cloud.google.com/kubernetes-engine/docs/how-to/dcgm-metrics, manual deployment). GKE's managed DCGM
// metrics would land in Cloud Monitoring, which the in-cluster Prometheus that KEDA queries never sees.
// extraVolumeMounts replaces the chart's list, whose one entry mounts the chart's counters ConfigMap over the file
// the exporter's `-f` argument reads: it is kept here.
const gkeDriverValues = {
  extraHostVolumes: [{ name: "nvidia-install-dir-host", hostPath: "/home/kubernetes/bin/nvidia" }],
  extraVolumeMounts: [
    {
      name: "exporter-metrics-volume",
      mountPath: "/etc/dcgm-exporter/default-counters.csv",
      subPath: "default-counters.csv",
    },
    { name: "nvidia-install-dir-host", mountPath: "/usr/local/nvidia", readOnly: true },
  ],
  extraEnv: [
    { name: "LD_LIBRARY_PATH", value: "/usr/local/nvidia/lib64" },
    { name: "PATH", value: "/usr/local/nvidia/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
  ],
};

/**
 * The chart's newest release in its repository's index (gh-pages helm-charts/index.yaml, 4.8.2 = exporter 4.8.2 on
 * DCGM 4.5.3). Every key the values below set is one of that chart's values.yaml: serviceMonitor.{enabled,
 * honorLabels,interval}, affinity, tolerations, kubernetes.enablePodLabels, extraHostVolumes, extraVolumeMounts,
 * extraEnv.
 */
export const dcgmExporterChartVersion = "4.8.2";

export function addonReleases(ctx: PlanContext): AddonRelease[] {
  const releases: AddonRelease[] = [];
  if (installsDcgmExporter(ctx)) {
    releases.push(
      release({
        name: "dcgm-exporter",
        chart: "dcgm-exporter",
        repository: "https://nvidia.github.io/dcgm-exporter/helm-charts",
        version: dcgmExporterChartVersion,
        namespace: "gpu-monitoring",
        values: {
          // The pod/namespace labels DCGM reports are the GPU's workload, not the exporter's own pod: honorLabels
          // keeps them as pod/namespace (the autoscaler queries accept exported_pod/... as well).
          serviceMonitor: { enabled: true, honorLabels: true, interval: "15s" },
          // GPU nodes only: on a CPU node the exporter finds no GPU and crash-loops.
          affinity: {
            nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: dcgmNodeTerms(ctx) } },
          },
          tolerations: dcgmTolerations(ctx),
          kubernetes: { enablePodLabels: true },
          ...(ctx.input.cloud_provider === "gcp" ? gkeDriverValues : {}),
        },
      }),
    );
  }
  return releases;
}
