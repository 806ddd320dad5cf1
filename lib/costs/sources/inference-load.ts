// Model-server load (requests per second, queue depth, serving replicas) per team, node pool and model: the inputs
// of the reference's ml_model_throughput / ml_batch_queue_depth / ml_estimated_wait_time metrics and of its
// queue-based replica count. Pure: the PromQL, the join of Prometheus series, the demo generator and the
// aggregations are tested without a server; inference-load.server.ts does the I/O.
import type { InferenceLoad } from "@/lib/costs/rollups/custom-metrics";
import type { FleetWorkload } from "./demo-fleet";
import { levelAt } from "./demo-fleet";
import { modelServerPresets, type ModelServer } from "./model-servers";
import { labelMapping, readLabel, type LabelMapping } from "./label-mapping";
import { indexByHour, nodePoolOf, type MatrixSeries } from "./prometheus-join";
import { DAY_MS, HOUR_MS } from "@/lib/costs/schema";

export interface InferenceLoadRow {
  /** Start of the hour, epoch ms. */
  hour: number;
  source: string;
  team: string;
  nodePool: string;
  model: string;
  modelVersion: string;
  requestsPerSecond: number;
  queueDepthAvg: number;
  /** Sum over pods of each pod's own peak: an upper bound of the pool's peak (pods peak at different minutes). */
  queueDepthMax: number;
  /**
   * Serving pods, averaged over the hour (a pod present for 15 minutes counts a quarter); a pod serving k models
   * counts 1/k to each model's row, so a pool's rows add up to its pods.
   */
  replicas: number;
  /** Output tokens generated per second, averaged over the hour and summed over pods; null when the server counts none. */
  generatedTokensPerSecond?: number | null;
}

/** PromQL per pod and model, evaluated at each hour's end over [t-1h, t) like the GPU usage queries. */
export function inferenceQueries(server: ModelServer) {
  const p = modelServerPresets[server];
  const by = ["namespace", "pod", p.modelLabel, ...(p.versionLabel ? [p.versionLabel] : [])].join(", ");
  return {
    requests: `sum by (${by}) (increase(${selector(p.requestsCounter)}[1h] offset 1ms)) / 3600`,
    queueAvg: `sum by (${by}) (avg_over_time(${selector(p.queueGauge)}[1h] offset 1ms))`,
    queueMax: `sum by (${by}) (max_over_time(${selector(p.queueGauge)}[1h] offset 1ms))`,
    // Samples of each pod in the hour: a pod that lived 5 minutes of it (a rolling update) is a twelfth of a replica.
    presence: `sum by (${by}) (count_over_time(${selector(p.queueGauge)}[1h] offset 1ms))`,
    podInfo: "max by (namespace, pod, node) (max_over_time(kube_pod_info[1h] offset 1ms))",
    // Read like the request counter: increase() handles a restarted server's reset. A server without the counter
    // (Triton) asks for a series that cannot exist, so the answer is empty rather than a different query shape.
    tokens: `sum by (${by}) (increase(${selector(p.tokensCounter ?? "portal_no_token_counter")}[1h] offset 1ms)) / 3600`,
  };
}
export type InferenceQuery = keyof ReturnType<typeof inferenceQueries>;

/** vLLM's names contain colons, which PromQL allows in metric names but not bare in every position: quote them. */
function selector(metric: string): string {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(metric) ? metric : `{__name__="${metric}"}`;
}

export interface InferenceJoinOptions {
  server: ModelServer;
  source: string;
  mapping?: LabelMapping;
  /** kube_pod_labels and kube_node_labels series (from the GPU usage queries), to place each pod. */
  podLabels: readonly MatrixSeries[];
  nodeLabels: readonly MatrixSeries[];
}

/** Joins per-pod model-server series with pod and node labels into hourly rows per team, node pool and model. */
/** The token counter's answer may be absent: a server that counts no tokens, or series read before it was queried. */
type InferenceResults = Record<Exclude<InferenceQuery, "tokens">, readonly MatrixSeries[]> & {
  tokens?: readonly MatrixSeries[];
};

export function joinInferenceSeries(results: InferenceResults, o: InferenceJoinOptions): InferenceLoadRow[] {
  const p = modelServerPresets[o.server];
  const mapping = o.mapping ?? labelMapping();
  const podKey = (m: Record<string, string>) => `${m.namespace ?? ""}|${m.pod ?? ""}`;
  const pods = indexByHour(o.podLabels, podKey);
  const podNodes = indexByHour(results.podInfo, podKey);
  const nodes = indexByHour(o.nodeLabels, (m) => m.node ?? "");
  const seriesKey = (m: Record<string, string>) =>
    `${podKey(m)}|${m[p.modelLabel] ?? ""}|${p.versionLabel ? (m[p.versionLabel] ?? "") : ""}`;
  const queueAvg = indexByHour(results.queueAvg, seriesKey);
  const queueMax = indexByHour(results.queueMax, seriesKey);
  const presence = indexByHour(results.presence, seriesKey);
  const tokens = indexByHour(results.tokens ?? [], seriesKey);
  const countsTokens = p.tokensCounter !== null;
  // Share of the hour each pod was scraped: its sample count over the most any pod had in that hour (a pod present
  // all hour has the most, as model servers share one scrape interval). No count (no queue gauge): a whole hour.
  const mostSamples = new Map<number, number>();
  for (const s of results.presence)
    for (const [t, v] of s.values) mostSamples.set(t, Math.max(mostSamples.get(t) ?? 0, Number(v)));
  const presentShare = (k: string, t: number) => {
    const n = presence.get(k)?.value;
    const most = mostSamples.get(t);
    return n === undefined || !most ? 1 : Math.min(1, Math.max(0, n / most));
  };
  const rows = new Map<string, InferenceLoadRow>();
  // A pod counts from either signal: a server with an empty queue still serves, a stuck one still queues.
  const perPod = new Map<string, { metric: Record<string, string>; t: number; rps: number }>();
  for (const s of results.requests)
    for (const [t, v] of s.values) perPod.set(`${seriesKey(s.metric)}@${t}`, { metric: s.metric, t, rps: finite(v) });
  for (const s of results.queueAvg)
    for (const [t] of s.values)
      if (!perPod.has(`${seriesKey(s.metric)}@${t}`))
        perPod.set(`${seriesKey(s.metric)}@${t}`, { metric: s.metric, t, rps: 0 });
  // Models per pod and hour: Triton serves several models from one pod, which is still one replica.
  const modelsOfPod = new Map<string, number>();
  for (const { metric: m, t } of perPod.values())
    modelsOfPod.set(`${podKey(m)}@${t}`, (modelsOfPod.get(`${podKey(m)}@${t}`) ?? 0) + 1);
  for (const [k, { metric: m, t, rps }] of perPod) {
    const node = podNodes.get(`${podKey(m)}@${t}`)?.metric.node;
    const nodeLabels = node ? (nodes.get(`${node}@${t}`)?.metric ?? {}) : {};
    const row = {
      hour: (t - 3600) * 1000,
      source: o.source,
      team: readLabel(pods.get(`${podKey(m)}@${t}`)?.metric ?? {}, mapping.team)?.value || m.namespace || "unknown",
      nodePool: nodePoolOf(nodeLabels, mapping),
      model: m[p.modelLabel] || "unknown",
      modelVersion: (p.versionLabel && m[p.versionLabel]) || "unknown",
    };
    const id = [row.hour, row.team, row.nodePool, row.model, row.modelVersion].join("|");
    const acc = rows.get(id) ?? {
      ...row,
      requestsPerSecond: 0,
      queueDepthAvg: 0,
      queueDepthMax: 0,
      replicas: 0,
      generatedTokensPerSecond: countsTokens ? 0 : null,
    };
    const share = presentShare(k, t);
    acc.requestsPerSecond += rps; // increase() over the pod's samples ÷ 3600 is already an average over the hour
    acc.queueDepthAvg += finite(String(queueAvg.get(k)?.value ?? 0)) * share; // its average while present, over the hour
    acc.queueDepthMax += finite(String(queueMax.get(k)?.value ?? 0));
    acc.replicas += share / modelsOfPod.get(`${podKey(m)}@${t}`)!;
    if (countsTokens)
      acc.generatedTokensPerSecond = (acc.generatedTokensPerSecond ?? 0) + finite(String(tokens.get(k)?.value ?? 0));
    rows.set(id, acc);
  }
  return [...rows.values()].sort(
    (a, b) =>
      a.hour - b.hour ||
      a.team.localeCompare(b.team) ||
      a.nodePool.localeCompare(b.nodePool) ||
      a.model.localeCompare(b.model) ||
      a.modelVersion.localeCompare(b.modelVersion),
  );
}

/** Prometheus answers "NaN" for a rate over a counter reset with one sample: count it as nothing, not as NaN. */
function finite(v: string): number {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * Demo model-server load for the demo fleet's inference workloads, consistent with their GPU utilization: each
 * replica serves `capacityRps` at 100% busy, so throughput = replicas × capacity × busy share, and the waiting
 * requests follow an M/M/1 queue per replica (Lq = ρ² / (1 − ρ)), so the queue grows sharply near saturation.
 */
export function demoInferenceLoad(o: {
  now: number;
  days: number;
  fleet: readonly FleetWorkload[];
  source: string;
  from?: number;
}): InferenceLoadRow[] {
  const end = Math.floor(o.now / HOUR_MS) * HOUR_MS;
  const start = Math.max(
    end - o.days * DAY_MS,
    o.from === undefined ? -Infinity : Math.floor(o.from / HOUR_MS) * HOUR_MS,
  );
  const out: InferenceLoadRow[] = [];
  for (let hour = start; hour < end; hour += HOUR_MS) {
    for (const w of o.fleet) {
      if (!w.model) continue;
      const rho = Math.min(0.97, Math.max(0, levelAt(w, hour, end) / 100));
      const peakRho = Math.min(0.97, Math.max(0, levelAt(w, hour + HOUR_MS, end) / 100, rho));
      const lq = (r: number) => (r * r) / (1 - r);
      out.push({
        hour,
        source: o.source,
        team: w.team,
        nodePool: w.nodePool,
        model: w.model.name,
        modelVersion: w.model.version,
        requestsPerSecond: round(w.gpus * w.model.capacityRps * rho, 3),
        queueDepthAvg: round(w.gpus * lq(rho), 2),
        queueDepthMax: round(w.gpus * lq(peakRho) * 1.5, 2),
        replicas: w.gpus,
        generatedTokensPerSecond:
          w.model.tokensPerRequest === undefined
            ? null
            : round(w.gpus * w.model.capacityRps * rho * w.model.tokensPerRequest, 1),
      });
    }
  }
  return out;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The latest hour's load per model and version, for /metrics (several teams may serve the same model). */
export function loadsForMetrics(latest: readonly InferenceLoadRow[]): InferenceLoad[] {
  const by = new Map<string, InferenceLoad>();
  for (const r of latest) {
    const k = `${r.model}|${r.modelVersion}`;
    const acc = by.get(k) ?? { model: r.model, version: r.modelVersion, requestsPerSecond: 0, queueDepth: 0 };
    acc.requestsPerSecond += r.requestsPerSecond;
    acc.queueDepth += r.queueDepthAvg;
    by.set(k, acc);
  }
  return [...by.values()].sort((a, b) => a.model.localeCompare(b.model) || a.version.localeCompare(b.version));
}

export interface ScalingLoad {
  /** Requests waiting in the latest hour (average over the hour). */
  queueDepth: number;
  /** Serving pods in the latest hour: the replicas the queue-based count is compared with. */
  replicas: number;
  /**
   * Requests per second one replica has sustained: the highest hourly per-replica throughput in the history given.
   * The reference assumes 100; measured is better, and the busiest hour is the closest to a replica's capacity.
   */
  throughputPerReplica: number;
  requestsPerSecond: number;
}

/**
 * Per "team|nodePool": the queue and pods of `latestHour` and the measured per-replica throughput over `history`.
 * Pools with no row in `latestHour` get nothing: an old hour's queue is not today's.
 */
export function scalingLoads(history: readonly InferenceLoadRow[], latestHour: number): Map<string, ScalingLoad> {
  return scalingLoadsAt(
    history.filter((r) => r.hour === latestHour),
    peakThroughputPerReplica(history),
  );
}

/** Per "team|nodePool": the highest hourly requests per second per replica in `history`, summed over its models. */
export function peakThroughputPerReplica(history: readonly InferenceLoadRow[]): Map<string, number> {
  const peak = new Map<string, number>();
  const perHour = new Map<string, { rps: number; replicas: number }>();
  for (const r of history) {
    const k = `${r.team}|${r.nodePool}@${r.hour}`;
    const acc = perHour.get(k) ?? { rps: 0, replicas: 0 };
    acc.rps += r.requestsPerSecond;
    acc.replicas += r.replicas;
    perHour.set(k, acc);
  }
  for (const [k, v] of perHour) {
    const pool = k.slice(0, k.lastIndexOf("@"));
    if (v.replicas > 0) peak.set(pool, Math.max(peak.get(pool) ?? 0, v.rps / v.replicas));
  }
  return peak;
}

/** Per "team|nodePool": the queue and pods of one hour's rows, with the measured per-replica throughput given. */
export function scalingLoadsAt(
  hourRows: readonly InferenceLoadRow[],
  peak: ReadonlyMap<string, number>,
): Map<string, ScalingLoad> {
  const out = new Map<string, ScalingLoad>();
  for (const r of hourRows) {
    const k = `${r.team}|${r.nodePool}`;
    const acc = out.get(k) ?? { queueDepth: 0, replicas: 0, throughputPerReplica: 0, requestsPerSecond: 0 };
    acc.queueDepth += r.queueDepthAvg;
    acc.replicas += r.replicas;
    acc.requestsPerSecond += r.requestsPerSecond;
    out.set(k, acc);
  }
  for (const [k, v] of out) v.throughputPerReplica = peak.get(k) ?? 0;
  return out;
}
