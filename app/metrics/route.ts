import { metrics } from "@/lib/observability/metrics.server";
import { costMetricsText } from "@/lib/costs/cost-metrics.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { logger } from "@/lib/observability/logger";

export const dynamic = "force-dynamic";

// GET /metrics: Prometheus text format: HTTP latency by route, queue depth, process metrics, and the reference
// design's ML metrics computed from ingested usage (ml_gpu_memory_utilization_percent, ...).
// (The worker serves its job durations and failures on WORKER_METRICS_PORT.)
export async function GET() {
  const { registry } = metrics();
  let ml = "";
  try {
    ml = await costMetricsText(getPrisma(), Date.now());
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, "ML metrics unavailable for this scrape");
  }
  return new Response(`${await registry.metrics()}\n${ml}`, { headers: { "Content-Type": registry.contentType } });
}
