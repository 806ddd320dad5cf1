import { metrics } from "@/lib/observability/metrics.server";
import { costMetricsText } from "@/lib/costs/rollups/cost-metrics.server";
import { logger } from "@/lib/observability/logger";
import { readEnv } from "@/lib/env/get-env";
import { errorBody } from "@/lib/http/errors";
import {
  decideMetricsAccess,
  metricsAccessSettings,
  teamMetricsOmittedComment,
  type MetricsAccessSettings,
} from "@/lib/observability/metrics-access";

export const dynamic = "force-dynamic";

// GET /metrics: Prometheus text format: HTTP latency by route, queue depth, process metrics, and the reference
// design's ML metrics computed from ingested usage (ml_gpu_memory_utilization_percent, ...), which are labelled by
// team: with METRICS_TOKEN set, the scrape must present it as a bearer token (lib/observability/metrics-access.ts).
// (The worker serves its job durations and failures on WORKER_METRICS_PORT: no team data there.)
export async function GET(request: Request) {
  const access = decideMetricsAccess(settings(), request.headers.get("authorization"));
  if (!access.allowed) {
    const requestId = request.headers.get("x-request-id")?.slice(0, 64) || undefined;
    return Response.json(
      errorBody(
        "unauthenticated",
        "GET /metrics needs the header Authorization: Bearer <METRICS_TOKEN>.",
        undefined,
        requestId,
      ),
      {
        status: 401,
        headers: { "WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store" },
      },
    );
  }
  const { registry } = metrics();
  let ml = teamMetricsOmittedComment + "\n";
  if (access.teamMetrics) {
    try {
      ml = await costMetricsText(Date.now());
    } catch (error) {
      ml = "";
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        "ML metrics unavailable for this scrape",
      );
    }
  }
  return new Response(`${await registry.metrics()}\n${ml}`, {
    headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
  });
}

function settings(): MetricsAccessSettings {
  const env = readEnv();
  if (env.ok) return metricsAccessSettings(env.env);
  // Start-up refuses an invalid configuration (instrumentation.ts), so this is a safety net: no team data.
  logger.warn({ problems: env.problems }, "configuration invalid: /metrics serves only the portal's own metrics");
  return { token: undefined, production: true, demoSignIn: false };
}
