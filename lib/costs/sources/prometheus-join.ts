// Joins DCGM exporter and kube-state-metrics series (Prometheus matrix results) into per-GPU hourly samples.
// Pure, so the join is tested without a server; prometheus-usage.server.ts does the queries.
import type { MatrixSeries } from "@/lib/prometheus/matrix";
import { UNALLOCATED_TEAM, type GpuSample, type SampleProvenance } from "@/lib/costs/schema";
import { percentile } from "@/lib/costs/rollups/allocation";
import { labelMapping, readLabel, readNode, type LabelMapping } from "./label-mapping";

export type { MatrixSeries };

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
  // Each pod's node: the GPU's node when DCGM's Hostname is not one (dcgm-exporter without NODE_NAME).
  podInfo:
    "max by (namespace, pod, exported_namespace, exported_pod, node) (max_over_time(kube_pod_info[1h] offset 1ms))",
} as const;
export type UsageQuery = keyof typeof usageQueries;

export interface JoinOptions {
  /** Which labels say team, workload, pool, capacity and instance type (default: every preset, `team`, `workload-type`). */
  mapping?: LabelMapping;
}

const key = (...parts: (string | undefined)[]) => parts.map((p) => p ?? "").join("|");

/** Map from "<series key>@<unix seconds>" to the series' labels and value, for lookups by hour. */
export function indexByHour(
  series: readonly MatrixSeries[],
  keyOf: (m: Record<string, string>) => string,
): Map<string, { metric: Record<string, string>; value: number }> {
  const out = new Map<string, { metric: Record<string, string>; value: number }>();
  for (const s of series) {
    const k = keyOf(s.metric);
    for (const [t, v] of s.values) out.set(`${k}@${t}`, { metric: s.metric, value: Number(v) });
  }
  return out;
}

/** A node's pool from its kube_node_labels under the mapping, "unknown" when no pool label is present. */
export function nodePoolOf(node: Record<string, string>, mapping: LabelMapping = labelMapping()): string {
  return readNode(node, mapping).nodePool ?? "unknown";
}

/**
 * The namespace and pod a DCGM series is about. Scraped by a ServiceMonitor without `honorLabels`, the exporter's
 * own `pod`/`namespace` target labels win and DCGM's arrive as `exported_pod`/`exported_namespace`.
 */
export function workloadOf(m: Record<string, string>): { namespace?: string; pod?: string; exported: boolean } {
  if (m.exported_pod !== undefined)
    return { namespace: m.exported_namespace ?? m.namespace, pod: m.exported_pod, exported: true };
  return { namespace: m.namespace, pod: m.pod, exported: m.exported_namespace !== undefined };
}

export function joinUsageSeries(
  results: Record<UsageQuery, readonly MatrixSeries[]>,
  options: JoinOptions = {},
): GpuSample[] {
  const mapping = options.mapping ?? labelMapping();
  const gpuKey = (m: Record<string, string>) => key(m.Hostname, m.gpu, m.UUID);
  // One GPU has a series per pod that held it: engine activity and memory belong to the same series (same labels).
  const engine = indexByHour(results.engineActive, seriesKey);
  const memory = indexByHour(results.memoryUsed, seriesKey);
  // kube-state-metrics scraped without honorLabels carries the pods' names as exported_pod/exported_namespace too.
  const ksmKey = (m: Record<string, string>) => {
    const w = workloadOf(m);
    return key(w.namespace, w.pod);
  };
  const requests = indexByHour(results.gpuRequests, ksmKey);
  const pods = indexByHour(results.podLabels, ksmKey);
  const podInfo = indexByHour(results.podInfo, ksmKey);
  // dcgm-exporter without NODE_NAME reports its own pod's name as Hostname: that pod's node is the GPU's node.
  const podInfoByName = indexByHour(results.podInfo, (m) => key(workloadOf(m).pod));
  const nodes = indexByHour(results.nodeLabels, (m) => key(m.node));
  const hoursOf = hourShares(results.utilization, results.presence, gpuKey);
  const out: GpuSample[] = [];
  for (const s of results.utilization) {
    const m = s.metric;
    const gk = gpuKey(m);
    const sk = seriesKey(m);
    const workload = workloadOf(m);
    const podKey = key(workload.namespace, workload.pod);
    for (const [t, v] of s.values) {
      const request = workload.pod ? requests.get(`${podKey}@${t}`) : undefined;
      const requested = (request?.value ?? 0) > 0;
      const { node, nodeFrom } = resolveNode(m, {
        isNode: (name) => nodes.has(`${key(name)}@${t}`),
        workloadNode: requested ? (request?.metric.node ?? podInfo.get(`${podKey}@${t}`)?.metric.node) : undefined,
        exporterNode:
          podInfoByName.get(`${key(m.Hostname)}@${t}`)?.metric.node ??
          (workload.exported ? podInfo.get(`${key(m.namespace, m.pod)}@${t}`)?.metric.node : undefined),
      });
      const facts = readNode(nodes.get(`${key(node)}@${t}`)?.metric ?? {}, mapping);
      const pod = requested ? (pods.get(`${podKey}@${t}`)?.metric ?? {}) : {};
      const ksmSeries = request?.metric ?? podInfo.get(`${podKey}@${t}`)?.metric;
      const team = requested ? readLabel(pod, mapping.team)?.value : undefined;
      const engineActive = engine.get(`${sk}@${t}`);
      out.push({
        ts: (t - 3600) * 1000,
        hours: hoursOf(m, t),
        gpuId: gk,
        node: node ?? "unknown",
        team: requested ? team || workload.namespace || "unknown" : UNALLOCATED_TEAM,
        workloadType: requested ? readLabel(pod, mapping.workloadType)?.value || "unknown" : "none",
        nodePool: facts.nodePool ?? "unknown",
        instanceType: facts.instanceType ?? "unknown",
        capacityType: facts.capacityType ?? "unknown",
        // A GPU with no requesting pod is still on a paid node: charged to "unallocated".
        requestedGpus: 1,
        utilization: engineActive ? engineActive.value * 100 : Number(v),
        memoryUsedMiB: memory.get(`${sk}@${t}`)?.value ?? 0,
        gpuModel: m.modelName,
        provenance: {
          teamFrom: !requested ? "unallocated" : team ? "label" : "namespace",
          nodeFrom,
          exportedLabels: workload.exported,
          ksmExportedLabels: ksmSeries !== undefined && workloadOf(ksmSeries).exported,
          capacityKnown: facts.capacityType !== null,
        },
      });
    }
  }
  return out;
}

/** Each node's `topology.kubernetes.io/region` from kube_node_labels, where kube-state-metrics exports it. */
export function nodeRegions(nodeLabels: readonly MatrixSeries[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of nodeLabels) {
    const region = s.metric.label_topology_kubernetes_io_region;
    if (s.metric.node && region) out.set(s.metric.node, region);
  }
  return out;
}

/** The region most of the GPU-hours ran in, by their nodes' region label; undefined when no node has one. */
export function mainRegion(samples: readonly GpuSample[], regions: ReadonlyMap<string, string>): string | undefined {
  const hours = new Map<string, number>();
  for (const s of samples) {
    const region = regions.get(s.node);
    if (region) hours.set(region, (hours.get(region) ?? 0) + s.hours);
  }
  return [...hours].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/**
 * The node a DCGM series' GPU is on: its `Hostname` when that is a node kube-state-metrics knows; else the node of
 * the pod holding the GPU (kube_pod_container_resource_requests / kube_pod_info); else the exporter pod's node.
 */
function resolveNode(
  m: Record<string, string>,
  o: { isNode: (name: string) => boolean; workloadNode?: string; exporterNode?: string },
): { node: string | undefined; nodeFrom: SampleProvenance["nodeFrom"] } {
  if (m.Hostname && o.isNode(m.Hostname)) return { node: m.Hostname, nodeFrom: "hostname" };
  if (o.workloadNode) return { node: o.workloadNode, nodeFrom: "pod" };
  if (o.exporterNode) return { node: o.exporterNode, nodeFrom: "exporter" };
  return { node: m.Hostname, nodeFrom: "unknown" };
}

/** A series' identity: all its labels (range functions drop the metric name, so it is the same across DCGM fields). */
const seriesKeys = new WeakMap<Record<string, string>, string>();
function seriesKey(m: Record<string, string>): string {
  let k = seriesKeys.get(m);
  if (k === undefined) {
    k = Object.keys(m)
      .sort()
      .map((name) => `${name}=${m[name]}`)
      .join(",");
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
function hourShares(
  utilization: readonly MatrixSeries[],
  presence: readonly MatrixSeries[],
  gpuKey: (m: Record<string, string>) => string,
): (m: Record<string, string>, t: number) => number {
  const counts = indexByHour(presence, seriesKey);
  const mostSamples = new Map<number, number>();
  for (const s of presence)
    for (const [t, v] of s.values) mostSamples.set(t, Math.max(mostSamples.get(t) ?? 0, Number(v)));
  // A whole hour's scrapes: the (nearest-rank) median over the hours of each hour's most. One hour's most alone would bill a
  // GPU that was the only one in its hour, however briefly, for the whole hour, and a scrape of jitter (61
  // instead of 60) would bill every steady GPU 60/61 of an hour.
  const fullHour = percentile(
    [...mostSamples.values()].filter((v) => Number.isFinite(v) && v > 0),
    50,
  );
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
