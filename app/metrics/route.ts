import { metrics } from "@/lib/observability/metrics.server";

export const dynamic = "force-dynamic";

// GET /metrics: Prometheus text format: HTTP latency by route, queue depth, process metrics.
// (The worker serves its job durations and failures on WORKER_METRICS_PORT.)
export async function GET() {
  const { registry } = metrics();
  return new Response(await registry.metrics(), { headers: { "Content-Type": registry.contentType } });
}
