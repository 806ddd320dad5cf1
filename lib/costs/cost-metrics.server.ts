import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import { customMetricSamples, inferenceScaling, renderPrometheusText, type MetricSample } from "./custom-metrics";
import { readCostSettings, usageSourceOf } from "./ingest-usage.server";
import { HOUR_MS, type UsageRow } from "./schema";
import { loadUsageRows } from "./usage-store.server";

/** The latest complete ingested hour of the dashboards' usage source. */
export async function latestUsageRows(db: Db, now: number, teams: string[] | null = null): Promise<UsageRow[]> {
  const settings = await readCostSettings(db);
  const source = usageSourceOf(settings);
  const last = await db.gpuUsageHourly.findFirst({ where: { source, hour: { lt: new Date(now) } }, orderBy: { hour: "desc" }, select: { hour: true } });
  if (!last) return [];
  return loadUsageRows(db, { source, since: last.hour.getTime(), until: last.hour.getTime() + HOUR_MS, teams });
}

/**
 * The reference design's custom metrics for /metrics, from ingested data: GPU memory utilization per team and node
 * pool, and the recommended replicas of each inference workload. Append to the portal's registry output.
 */
export async function costMetricsText(db: Db, now: number): Promise<string> {
  const rows = await latestUsageRows(db, now);
  const { cloud } = await readCostSettings(db);
  const samples: MetricSample[] = customMetricSamples(rows, [], cloud);
  for (const s of inferenceScaling(rows)) {
    samples.push({ name: "ml_scaling_recommended_replicas", help: "Larger of the queue-based and utilization-based replica counts (reference metrics adapter)", labels: { team: s.team, node_pool: s.nodePool }, value: s.recommendedReplicas });
  }
  return renderPrometheusText(samples);
}
