// Joins DCGM exporter and kube-state-metrics series (Prometheus matrix results) into per-GPU hourly samples.
// Pure, so the join is tested without a server; prometheus-usage.server.ts does the queries.
import { UNALLOCATED_TEAM, type CapacityType, type GpuSample } from "./schema";

export interface MatrixSeries {
  metric: Record<string, string>;
  /** [unix seconds, value as text] */
  values: [number, string][];
}

/**
 * PromQL evaluated at each hour's end over the hour before it (step 1h): the sample belongs to that hour.
 * `offset 1ms` makes the window [t-1h, t) under both Prometheus 2 (closed range) and 3 (left-open range),
 * so a scrape exactly on the hour counts once, in the hour it starts.
 */
const hourly = (fn: string, selector: string) => `${fn}(${selector}[1h] offset 1ms)`;
export const usageQueries = {
  utilization: hourly("avg_over_time", "DCGM_FI_DEV_GPU_UTIL"),
  engineActive: hourly("avg_over_time", "DCGM_FI_PROF_GR_ENGINE_ACTIVE"),
  memoryUsed: hourly("max_over_time", "DCGM_FI_DEV_FB_USED"),
  gpuRequests: hourly("max_over_time", 'kube_pod_container_resource_requests{resource="nvidia_com_gpu"}'),
  podLabels: hourly("max_over_time", "kube_pod_labels"),
  nodeLabels: hourly("max_over_time", "kube_node_labels"),
} as const;
export type UsageQuery = keyof typeof usageQueries;

export interface JoinOptions {
  teamLabel?: string;
  workloadLabel?: string;
}

const key = (...parts: (string | undefined)[]) => parts.map((p) => p ?? "").join("|");

/** Map from "<series key>@<unix seconds>" to the series' labels and value, for lookups by hour. */
export function indexByHour(series: readonly MatrixSeries[], keyOf: (m: Record<string, string>) => string): Map<string, { metric: Record<string, string>; value: number }> {
  const out = new Map<string, { metric: Record<string, string>; value: number }>();
  for (const s of series) {
    const k = keyOf(s.metric);
    for (const [t, v] of s.values) out.set(`${k}@${t}`, { metric: s.metric, value: Number(v) });
  }
  return out;
}

/** The label column kube-state-metrics gives a Kubernetes label: `team` → `label_team`, `workload-type` → `label_workload_type`. */
export function kubeLabelColumn(name: string): string {
  return `label_${name.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

/** A node's pool from its kube_node_labels: Karpenter's NodePool, else the EKS node group. */
export function nodePoolOf(node: Record<string, string>): string {
  return node.label_karpenter_sh_nodepool || node.label_eks_amazonaws_com_nodegroup || "unknown";
}

export function joinUsageSeries(results: Record<UsageQuery, readonly MatrixSeries[]>, options: JoinOptions = {}): GpuSample[] {
  const teamLabel = kubeLabelColumn(options.teamLabel ?? "team");
  const workloadLabel = kubeLabelColumn(options.workloadLabel ?? "workload-type");
  const gpuKey = (m: Record<string, string>) => key(m.Hostname, m.gpu, m.UUID);
  const engine = indexByHour(results.engineActive, gpuKey);
  const memory = indexByHour(results.memoryUsed, gpuKey);
  const requests = indexByHour(results.gpuRequests, (m) => key(m.namespace, m.pod));
  const pods = indexByHour(results.podLabels, (m) => key(m.namespace, m.pod));
  const nodes = indexByHour(results.nodeLabels, (m) => key(m.node));
  const out: GpuSample[] = [];
  for (const s of results.utilization) {
    const m = s.metric;
    const gk = gpuKey(m);
    for (const [t, v] of s.values) {
      const node = nodes.get(`${key(m.Hostname)}@${t}`)?.metric ?? {};
      const requested = m.pod ? (requests.get(`${key(m.namespace, m.pod)}@${t}`)?.value ?? 0) > 0 : false;
      const pod = requested ? (pods.get(`${key(m.namespace, m.pod)}@${t}`)?.metric ?? {}) : {};
      const engineActive = engine.get(`${gk}@${t}`);
      out.push({
        ts: (t - 3600) * 1000,
        hours: 1,
        gpuId: gk,
        node: m.Hostname ?? "unknown",
        team: requested ? (pod[teamLabel] || m.namespace || "unknown") : UNALLOCATED_TEAM,
        workloadType: requested ? (pod[workloadLabel] || "unknown") : "none",
        nodePool: nodePoolOf(node),
        instanceType: node.label_node_kubernetes_io_instance_type || "unknown",
        capacityType: capacityOf(node),
        // A GPU with no requesting pod is still on a paid node: charged to "unallocated".
        requestedGpus: 1,
        utilization: engineActive ? engineActive.value * 100 : Number(v),
        memoryUsedMiB: memory.get(`${gk}@${t}`)?.value ?? 0,
      });
    }
  }
  return out;
}

function capacityOf(node: Record<string, string>): CapacityType {
  const v = (node.label_karpenter_sh_capacity_type || node.label_eks_amazonaws_com_capacity_type || "").toLowerCase();
  return v === "spot" ? "spot" : "on_demand";
}
