// The reference design's custom metrics and scaling recommendation, computed from ingested data.
import { gpuInstance, gpuSpecs } from "@/lib/pricing/gpu-rates";
import type { CloudProvider } from "@/lib/pricing/lookup-price";
import type { UsageRow } from "@/lib/costs/schema";

/**
 * The larger of the queue-based and the utilization-based replica counts (never below 1), as in the reference's
 * metrics adapter: queue-based = ceil(queue / throughput per replica); utilization-based = ceil(current × avg / target).
 */
export function scalingRecommendation(input: {
  currentReplicas: number;
  /** Average GPU utilization of the deployment, percent. */
  avgUtilization: number;
  /** Target utilization, percent (the reference uses 80). */
  targetUtilization?: number;
  queueDepth: number;
  throughputPerReplica: number;
}): { replicas: number; queueBased: number; utilizationBased: number } {
  const target = input.targetUtilization ?? 80;
  if (target <= 0) throw new Error(`targetUtilization (${target}) must be above 0: use a percentage such as 80`);
  if (input.throughputPerReplica <= 0)
    throw new Error(
      `throughputPerReplica (${input.throughputPerReplica}) must be above 0: measure requests per second one replica sustains`,
    );
  const queueBased = Math.max(1, Math.ceil(input.queueDepth / input.throughputPerReplica));
  const utilizationBased = Math.ceil(input.currentReplicas * (input.avgUtilization / target) - 1e-9);
  return { replicas: Math.max(queueBased, utilizationBased, 1), queueBased, utilizationBased };
}

export interface InferenceLoad {
  model: string;
  version: string;
  requestsPerSecond: number;
  queueDepth: number;
}

export interface MetricSample {
  name: string;
  help: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * ml_gpu_memory_utilization_percent per team/node pool from the latest rollup hour (framebuffer used over the GPU's
 * memory); throughput, queue depth and Little's-law wait time per model from the ingested inference load.
 */
export function customMetricSamples(
  latestRows: readonly UsageRow[],
  loads: readonly InferenceLoad[],
  cloud: CloudProvider,
): MetricSample[] {
  const out: MetricSample[] = [];
  for (const r of latestRows) {
    const inst = gpuInstance(cloud, r.instanceType);
    const spec = inst?.gpuType ? gpuSpecs[inst.gpuType] : undefined;
    if (!spec) continue;
    out.push({
      name: "ml_gpu_memory_utilization_percent",
      help: "GPU memory utilization percentage",
      // Instance and capacity type keep each series unique: the rollup splits a pool by both.
      labels: {
        team: r.team,
        node_pool: r.nodePool,
        workload_type: r.workloadType,
        instance_type: r.instanceType,
        capacity_type: r.capacityType,
      },
      value: Math.round((r.memoryUsedMiBAvg / (spec.memoryGiB * 1024)) * 10_000) / 100,
    });
  }
  const perModel = new Map<string, { rps: number; queue: number }>();
  for (const l of loads) {
    out.push({
      name: "ml_model_throughput_requests_per_second",
      help: "Model inference throughput",
      labels: { model_name: l.model, model_version: l.version },
      value: round(l.requestsPerSecond),
    });
    const acc = perModel.get(l.model) ?? { rps: 0, queue: 0 };
    acc.rps += l.requestsPerSecond;
    acc.queue += l.queueDepth;
    perModel.set(l.model, acc);
  }
  // Queue and wait are labelled by model only (as in the reference): versions of one model share them.
  for (const [model, { rps, queue }] of perModel) {
    out.push({
      name: "ml_batch_queue_depth",
      help: "Requests waiting in the model servers' queues (hourly average of ingested data)",
      labels: { model_name: model },
      value: round(queue),
    });
    // Little's law: time in queue = items waiting / service rate.
    out.push({
      name: "ml_estimated_wait_time_seconds",
      help: "Estimated wait time for new requests",
      labels: { model_name: model },
      value: rps > 0 ? round(queue / rps) : 0,
    });
  }
  return out;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

/** Prometheus text exposition format 0.0.4. */
export function renderPrometheusText(samples: readonly MetricSample[]): string {
  const byName = new Map<string, MetricSample[]>();
  for (const s of samples) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const lines: string[] = [];
  for (const [name, list] of byName) {
    lines.push(`# HELP ${name} ${list[0]?.help ?? name}`, `# TYPE ${name} gauge`);
    for (const s of list) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
        .join(",");
      lines.push(`${name}${labels ? `{${labels}}` : ""} ${s.value}`);
    }
  }
  return lines.join("\n") + "\n";
}

export interface InferenceScalingRow {
  team: string;
  nodePool: string;
  instanceType: string;
  /** GPUs allocated in the latest hour. */
  gpus: number;
  /**
   * Serving pods in the latest hour when model-server metrics are ingested; otherwise the GPU count (one GPU per
   * replica assumed). Both recommended counts are in these units.
   */
  currentReplicas: number;
  /** Whether currentReplicas counts pods (measured) or GPUs (assumed one per replica). */
  replicasFrom: "pods" | "gpus";
  avgUtilization: number;
  /** Requests waiting (hourly average) and served per second; null without model-server metrics. */
  queueDepth: number | null;
  requestsPerSecond: number | null;
  /** Highest measured requests per second per replica over the history read; null when unknown. */
  throughputPerReplica: number | null;
  recommendedReplicas: number;
  queueBased: number;
  utilizationBased: number;
}

/**
 * The reference's scaling recommendation for each inference workload of the latest ingested hour. Without a
 * queue signal (no model-server metrics ingested, or no request ever served) the queue-based count is its floor of 1.
 */
export function inferenceScaling(
  latestRows: readonly UsageRow[],
  loads: ReadonlyMap<
    string,
    { queueDepth: number; throughputPerReplica: number; requestsPerSecond?: number; replicas?: number }
  > = new Map(),
): InferenceScalingRow[] {
  const byPool = new Map<string, UsageRow & { gpuHoursAllocated: number }>();
  // One row per (team, pool): the rollup splits a pool by instance and capacity type, a deployment is the pool.
  for (const r of latestRows) {
    if (r.workloadType !== "inference" || r.gpuHoursAllocated <= 0) continue;
    const k = `${r.team}|${r.nodePool}`;
    const prev = byPool.get(k);
    if (!prev) byPool.set(k, { ...r });
    else {
      const total = prev.gpuHoursAllocated + r.gpuHoursAllocated;
      prev.utilizationAvg =
        (prev.utilizationAvg * prev.gpuHoursAllocated + r.utilizationAvg * r.gpuHoursAllocated) / total;
      prev.gpuHoursAllocated = total;
      if (prev.instanceType !== r.instanceType) prev.instanceType = `${prev.instanceType}, ${r.instanceType}`;
    }
  }
  return [...byPool.entries()]
    .map(([k, r]) => {
      const load = loads.get(k);
      const measured = load && load.throughputPerReplica > 0 ? load : undefined;
      const gpus = Math.round(r.gpuHoursAllocated);
      // Utilization is per GPU, so ceil(replicas × util / target) holds in pods as in GPUs; the queue-based count
      // divides by per-pod throughput, so it is in pods: compare like with like.
      const pods = load?.replicas && load.replicas > 0 ? Math.round(load.replicas * 100) / 100 : null;
      const currentReplicas = pods ?? gpus;
      const rec = scalingRecommendation({
        currentReplicas,
        avgUtilization: r.utilizationAvg,
        queueDepth: measured?.queueDepth ?? 0,
        throughputPerReplica: measured?.throughputPerReplica ?? 1,
      });
      return {
        team: r.team,
        nodePool: r.nodePool,
        instanceType: r.instanceType,
        gpus,
        currentReplicas,
        replicasFrom: pods === null ? ("gpus" as const) : ("pods" as const),
        avgUtilization: Math.round(r.utilizationAvg * 10) / 10,
        queueDepth: load ? Math.round(load.queueDepth * 10) / 10 : null,
        requestsPerSecond: load?.requestsPerSecond === undefined ? null : Math.round(load.requestsPerSecond * 10) / 10,
        throughputPerReplica: measured ? Math.round(measured.throughputPerReplica * 10) / 10 : null,
        recommendedReplicas: rec.replicas,
        queueBased: rec.queueBased,
        utilizationBased: rec.utilizationBased,
      };
    })
    .sort((a, b) => a.team.localeCompare(b.team) || a.nodePool.localeCompare(b.nodePool));
}
