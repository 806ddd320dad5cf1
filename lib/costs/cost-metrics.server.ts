import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import { customMetricSamples, inferenceScaling, renderPrometheusText, type InferenceScalingRow, type MetricSample } from "./custom-metrics";
import { loadsForMetrics, scalingLoads, type InferenceLoadRow } from "./inference-load";
import { loadInferenceLoad } from "./inference-load-store.server";
import { readCostSettings, usageSourceOf } from "./ingest-usage.server";
import { DAY_MS, HOUR_MS, type UsageRow } from "./schema";
import { loadUsageRows } from "./usage-store.server";

/** How far back the measured per-replica throughput looks: a week holds every weekday's peak. */
const THROUGHPUT_HISTORY_MS = 7 * DAY_MS;

/** The latest complete ingested hour of the dashboards' usage source. */
export async function latestUsageRows(db: Db, now: number, teams: string[] | null = null): Promise<UsageRow[]> {
  const settings = await readCostSettings(db);
  const source = usageSourceOf(settings);
  const last = await db.gpuUsageHourly.findFirst({ where: { source, hour: { lt: new Date(now) } }, orderBy: { hour: "desc" }, select: { hour: true } });
  if (!last) return [];
  return loadUsageRows(db, { source, since: last.hour.getTime(), until: last.hour.getTime() + HOUR_MS, teams });
}

/** A week of model-server load up to the latest ingested hour (the latest hour is the last one in the list). */
async function recentInferenceLoad(db: Db, now: number, teams: string[] | null): Promise<InferenceLoadRow[]> {
  const source = usageSourceOf(await readCostSettings(db));
  const last = await db.inferenceLoadHourly.findFirst({ where: { source, hour: { lt: new Date(now) } }, orderBy: { hour: "desc" }, select: { hour: true } });
  if (!last) return [];
  const until = last.hour.getTime() + HOUR_MS;
  return loadInferenceLoad(db, { source, since: until - THROUGHPUT_HISTORY_MS, until, teams });
}

/** The reference's replica recommendation per inference workload: GPU utilization and, when ingested, queue depth. */
export async function inferenceScalingRows(db: Db, now: number, teams: string[] | null = null): Promise<InferenceScalingRow[]> {
  const [latest, load] = await Promise.all([latestUsageRows(db, now, teams), recentInferenceLoad(db, now, teams)]);
  return inferenceScaling(latest, scalingLoads(load));
}

/**
 * The reference design's custom metrics for /metrics, from ingested data: GPU memory utilization per team and node
 * pool, throughput, queue depth and wait time per model, and the recommended replicas of each inference workload.
 * Append to the portal's registry output.
 */
export async function costMetricsText(db: Db, now: number): Promise<string> {
  const [rows, load, { cloud }] = await Promise.all([latestUsageRows(db, now), recentInferenceLoad(db, now, null), readCostSettings(db)]);
  const latestHour = load.at(-1)?.hour;
  const samples: MetricSample[] = customMetricSamples(rows, loadsForMetrics(load.filter((r) => r.hour === latestHour)), cloud);
  for (const s of inferenceScaling(rows, scalingLoads(load))) {
    samples.push({ name: "ml_scaling_recommended_replicas", help: "Larger of the queue-based and utilization-based replica counts (reference metrics adapter)", labels: { team: s.team, node_pool: s.nodePool }, value: s.recommendedReplicas });
  }
  return renderPrometheusText(samples);
}
