import "server-only";
import { getPrisma, type Db } from "@/lib/db/prisma.server";
import { customMetricSamples, inferenceScaling, renderPrometheusText, type MetricSample } from "./custom-metrics";
import type { WeeklyScalingRow } from "./weekly-scaling";
import { unitEconomics, type UnitEconomicsRow } from "./unit-economics";
import { loadsForMetrics, scalingLoads, type InferenceLoadRow } from "@/lib/costs/sources/inference-load";
import { loadInferenceLoad } from "./inference-load-store.server";
import { readCostSettings, usageSourceOf } from "@/lib/costs/sources/ingest-usage.server";
import {
  computeInferenceScaling,
  ingestionResult,
  latestUsageHour,
  THROUGHPUT_HISTORY_MS,
} from "./ingestion-results.server";
import { DAY_MS, HOUR_MS, type CostSettings, type UsageRow } from "@/lib/costs/schema";
import { loadUsageRows } from "./usage-store.server";

/**
 * The latest ingested hour's GPU usage and, ending at that same hour, a week of model-server load: the load's
 * latest hour is the usage's, so model-server metrics that stopped (or a model server set back to "none") are not
 * served as current.
 */
async function latestHourData(db: Db, settings: CostSettings, now: number, teams: string[] | null) {
  const source = usageSourceOf(settings);
  const hour = await latestUsageHour(db, source, now);
  if (hour === null) return { hour: null, rows: [] as UsageRow[], load: [] as InferenceLoadRow[] };
  const [rows, load] = await Promise.all([
    loadUsageRows(db, { source, since: hour, until: hour + HOUR_MS, teams }),
    loadInferenceLoad(db, { source, since: hour + HOUR_MS - THROUGHPUT_HISTORY_MS, until: hour + HOUR_MS, teams }),
  ]);
  return { hour, rows, load };
}

/**
 * The reference's replica recommendation per inference workload (GPU utilization and, when ingested, queue depth)
 * for the latest hour, with the busiest hour of the week before it and the week's hourly schedule. Ingestion stores
 * every team's rows (ingestion-results.server.ts); each row is one team's, so a scope is a filter of them.
 */
export async function inferenceScalingRows(
  db: Db,
  now: number,
  teams: string[] | null = null,
): Promise<WeeklyScalingRow[]> {
  const source = usageSourceOf(await readCostSettings(db));
  const rows = await ingestionResult(db, { source, kind: "inference-scaling", now }, (hour) =>
    hour === null ? Promise.resolve([]) : computeInferenceScaling(db, source, hour, null),
  );
  return teams === null ? rows : rows.filter((r) => teams.includes(r.team));
}

/** Cost per 1,000 requests of each of the team's model servers per day, over the last `days` days of ingested data. */
export async function teamUnitEconomics(db: Db, team: string, now: number, days = 14): Promise<UnitEconomicsRow[]> {
  const source = usageSourceOf(await readCostSettings(db));
  const until = Math.floor(now / HOUR_MS) * HOUR_MS;
  const since = Math.floor((until - days * DAY_MS) / DAY_MS) * DAY_MS;
  const [rows, load] = await Promise.all([
    loadUsageRows(db, { source, since, until, teams: [team] }),
    loadInferenceLoad(db, { source, since, until, teams: [team] }),
  ]);
  return unitEconomics(rows, load);
}

/**
 * The reference design's custom metrics for /metrics, from ingested data: GPU memory utilization per team and node
 * pool, throughput, queue depth and wait time per model, and the recommended replicas of each inference workload.
 * Append to the portal's registry output.
 */
export async function costMetricsText(now: number, db: Db = getPrisma()): Promise<string> {
  const settings = await readCostSettings(db);
  const { hour, rows, load } = await latestHourData(db, settings, now, null);
  if (hour === null) return "";
  const samples: MetricSample[] = customMetricSamples(
    rows,
    loadsForMetrics(load.filter((r) => r.hour === hour)),
    settings.cloud,
  );
  for (const s of inferenceScaling(rows, scalingLoads(load, hour))) {
    // The unit is a label: pods when model-server metrics were ingested for that hour, else GPUs (one per replica).
    // A consumer selects one, so a missing hour of model-server data cannot silently turn 3 pods into 24 GPUs.
    samples.push({
      name: "ml_scaling_recommended_replicas",
      help: "Larger of the queue-based and utilization-based replica counts (reference metrics adapter), in the unit of replicas_unit",
      labels: { team: s.team, node_pool: s.nodePool, replicas_unit: s.replicasFrom },
      value: s.recommendedReplicas,
    });
  }
  return renderPrometheusText(samples);
}
