// Joins DCGM exporter and kube-state-metrics series (Prometheus matrix results) into per-GPU hourly samples.
// Pure, so the join is tested without a server; prometheus-usage.server.ts does the queries.
import { UNALLOCATED_TEAM, type CapacityType, type GpuSample } from "./schema";
import { percentile } from "./allocation";

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
  // Scrapes of each DCGM series in the hour. DCGM starts a new series when a GPU's pod changes (and a node may live
  // minutes): a series counts for the share of the hour it was scraped, not for a whole hour.
  presence: hourly("count_over_time", "DCGM_FI_DEV_GPU_UTIL"),
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
  // One GPU has a series per pod that held it: engine activity and memory belong to the same series (same labels).
  const engine = indexByHour(results.engineActive, seriesKey);
  const memory = indexByHour(results.memoryUsed, seriesKey);
  const requests = indexByHour(results.gpuRequests, (m) => key(m.namespace, m.pod));
  const pods = indexByHour(results.podLabels, (m) => key(m.namespace, m.pod));
  const nodes = indexByHour(results.nodeLabels, (m) => key(m.node));
  const hoursOf = hourShares(results.utilization, results.presence, gpuKey);
  const out: GpuSample[] = [];
  for (const s of results.utilization) {
    const m = s.metric;
    const gk = gpuKey(m);
    const sk = seriesKey(m);
    for (const [t, v] of s.values) {
      const node = nodes.get(`${key(m.Hostname)}@${t}`)?.metric ?? {};
      const requested = m.pod ? (requests.get(`${key(m.namespace, m.pod)}@${t}`)?.value ?? 0) > 0 : false;
      const pod = requested ? (pods.get(`${key(m.namespace, m.pod)}@${t}`)?.metric ?? {}) : {};
      const engineActive = engine.get(`${sk}@${t}`);
      out.push({
        ts: (t - 3600) * 1000,
        hours: hoursOf(m, t),
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
        memoryUsedMiB: memory.get(`${sk}@${t}`)?.value ?? 0,
      });
    }
  }
  return out;
}

/** A series' identity: all its labels (range functions drop the metric name, so it is the same across DCGM fields). */
const seriesKeys = new WeakMap<Record<string, string>, string>();
function seriesKey(m: Record<string, string>): string {
  let k = seriesKeys.get(m);
  if (k === undefined) {
    k = Object.keys(m).sort().map((name) => `${name}=${m[name]}`).join(",");
    seriesKeys.set(m, k);
  }
  return k;
}

/**
 * GPU-hours of each DCGM series in each hour: its scrapes over a whole hour's scrapes (the median over the hours of
 * the most any series had: DCGM reports every GPU, idle or not, at one scrape interval), so a pod that held the GPU for
 * 20 minutes gets a third of an hour and a node that lived 10 minutes a sixth. A GPU's series in one hour share at
 * most one hour: if they add up to more (two scrape jobs, an exporter restarting with overlapping series) they are
 * scaled down to one. A series without a count (none returned) counts as the whole hour, before that cap.
 */
function hourShares(utilization: readonly MatrixSeries[], presence: readonly MatrixSeries[], gpuKey: (m: Record<string, string>) => string): (m: Record<string, string>, t: number) => number {
  const counts = indexByHour(presence, seriesKey);
  const mostSamples = new Map<number, number>();
  for (const s of presence) for (const [t, v] of s.values) mostSamples.set(t, Math.max(mostSamples.get(t) ?? 0, Number(v)));
  // A whole hour's scrapes: the (nearest-rank) median over the hours of each hour's most. One hour's most alone would bill a
  // GPU that was the only one in its hour, however briefly, for the whole hour, and a scrape of jitter (61
  // instead of 60) would bill every steady GPU 60/61 of an hour.
  const fullHour = percentile([...mostSamples.values()].filter((v) => Number.isFinite(v) && v > 0), 50);
  const rawShare = (m: Record<string, string>, t: number) => {
    const n = counts.get(`${seriesKey(m)}@${t}`)?.value;
    return n === undefined || !fullHour || !Number.isFinite(n) ? 1 : Math.min(1, Math.max(0, n / fullHour));
  };
  const perGpu = new Map<string, number>();
  for (const s of utilization) {
    const gk = gpuKey(s.metric);
    for (const [t] of s.values) perGpu.set(`${gk}@${t}`, (perGpu.get(`${gk}@${t}`) ?? 0) + rawShare(s.metric, t));
  }
  return (m, t) => rawShare(m, t) / Math.max(1, perGpu.get(`${gpuKey(m)}@${t}`) ?? 0);
}

function capacityOf(node: Record<string, string>): CapacityType {
  const v = (node.label_karpenter_sh_capacity_type || node.label_eks_amazonaws_com_capacity_type || "").toLowerCase();
  return v === "spot" ? "spot" : "on_demand";
}
