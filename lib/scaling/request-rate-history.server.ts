import "server-only";
// A deployment's request-rate history from the cluster's Prometheus, as traffic for the simulator. The rate
// comes from the model server's own success counter (vLLM or Triton, metric-definitions.ts), which the plan's
// PodMonitor has Prometheus scrape. The Prometheus is the one an admin configured for cost data (Settings),
// fetched under the URL policy (lib/net/url-policy.ts).
import { z } from "zod";
import { getPrisma, type Db } from "@/lib/db/prisma.server";
import { readCostSettings } from "@/lib/costs/sources/ingest-usage.server";
import { prometheusTarget, queryRange } from "@/lib/prometheus/client.server";
import { UrlRefusedError } from "@/lib/net/policy-fetch.server";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { DomainError } from "@/lib/errors/domain-error";
import { requestRateQuery as requestRateQueryFor } from "./metric-definitions";
import { maxTraceRows } from "./parse-trace";
import { trafficFromRateSeries, type RatePoint, type Traffic } from "./traffic";
import { isDns1123Label } from "@/lib/k8s/names";

const maxWindowMs = 7 * 24 * 3600 * 1000;
const MINUTE_MS = 60_000;

export interface RequestRateHistoryOptions {
  prometheusUrl: string;
  // The URL allow-list (lib/net/url-policy.ts): Settings' in the portal, --allow in the CLI.
  allow: readonly string[];
  /** How to get a refused host onto `allow` when it is not Settings' list. */
  fix?: string;
  namespace: string;
  service: string;
  // Epoch milliseconds.
  start: number;
  end: number;
  stepSeconds?: number;
  signal?: AbortSignal;
}

export function requestRateQuery(namespace: string, service: string): string {
  return requestRateQueryFor({ namespace, deployment: service });
}

/** The summed request rate at each step of the window; empty when Prometheus has no such series. */
export async function fetchRequestRatePoints(o: RequestRateHistoryOptions): Promise<RatePoint[]> {
  // Names go into PromQL: only DNS labels, which cannot break out of the quoted matcher.
  if (!isDns1123Label(o.namespace))
    throw new Error(
      `namespace "${o.namespace}" is not a Kubernetes namespace name: use lowercase letters, digits and '-'`,
    );
  if (!isDns1123Label(o.service))
    throw new Error(`service "${o.service}" is not a Kubernetes service name: use lowercase letters, digits and '-'`);
  if (!(o.end > o.start)) throw new Error("end must be after start: pick a window of at least one step");
  if (o.end - o.start > maxWindowMs) throw new Error("the window is longer than 7 days: shorten it");
  const stepSeconds = o.stepSeconds ?? 60;
  const target = prometheusTarget(o.prometheusUrl, { allow: o.allow, fix: o.fix });
  const series = await queryRange(target, requestRateQuery(o.namespace, o.service), {
    start: o.start,
    end: o.end,
    stepSeconds,
    signal: o.signal,
  });
  const byTime = new Map<number, number>();
  for (const s of series) {
    for (const [t, raw] of s.values) {
      const v = Number(raw);
      byTime.set(t, (byTime.get(t) ?? 0) + (Number.isFinite(v) && v > 0 ? v : 0));
    }
  }
  return [...byTime]
    .sort((a, b) => a[0] - b[0])
    .map(([timestamp, requestsPerSecond]) => ({ timestamp, requestsPerSecond }));
}

function noHistory(o: { namespace: string; service: string }): string {
  return `no request-rate history for service ${o.service} in namespace ${o.namespace}: check the names and that Prometheus scrapes the model server (vllm:request_success_total or nv_inference_request_success; the plan's PodMonitor does)`;
}

/** About how many requests the window holds: the simulator replays each one. */
function expectedRequests(points: readonly RatePoint[], stepSeconds: number): number {
  return points.reduce((sum, p) => sum + p.requestsPerSecond * stepSeconds, 0);
}

export async function fetchRequestRateTraffic(o: RequestRateHistoryOptions): Promise<Traffic> {
  const points = await fetchRequestRatePoints(o);
  if (points.length === 0) throw new Error(noHistory(o));
  const expected = expectedRequests(points, o.stepSeconds ?? 60);
  if (expected > maxTraceRows)
    throw new Error(
      `the window holds about ${Math.round(expected)} requests, more than ${maxTraceRows}: shorten the window`,
    );
  return trafficFromRateSeries(points);
}

export const requestRateHistoryQuerySchema = z.object({
  namespace: z.string().refine(isDns1123Label, {
    message: "namespace must be a Kubernetes namespace name (lowercase letters, digits and '-'), e.g. ml-inference",
  }),
  service: z.string().refine(isDns1123Label, {
    message: "service must be the model server's Service name (lowercase letters, digits and '-'), e.g. model-server",
  }),
  hours: z.coerce
    .number()
    .int({ message: "hours must be a whole number" })
    .min(1, { message: "hours must be at least 1" })
    .max(168, { message: "hours must be at most 168 (7 days)" })
    .default(1),
});
export type RequestRateHistoryQuery = z.output<typeof requestRateHistoryQuerySchema>;

export interface RequestRateHistory {
  namespace: string;
  service: string;
  /** Epoch milliseconds of the window the points cover. */
  start: number;
  end: number;
  stepSeconds: number;
  points: RatePoint[];
  expectedRequests: number;
}

/**
 * GET /api/v1/scaling/request-rate-history: the last `hours` of a deployment's request rate from the Prometheus
 * configured in Settings. 409 when none is configured or the URL allow-list refuses it, 404 when it has no such series, 422 when the window holds
 * more requests than the simulator replays, 502 when Prometheus cannot be asked (the message says why).
 */
export async function loadRequestRateHistory(
  query: RequestRateHistoryQuery,
  now: number,
  signal?: AbortSignal,
  db: Db = getPrisma(),
): Promise<RequestRateHistory> {
  const settings = await readCostSettings(db);
  if (!settings.prometheusUrl) {
    throw new DomainError(
      "prometheus_not_configured",
      "No Prometheus is configured: a platform admin sets its URL under Settings → Cost data sources. Until then, upload a CSV trace or use the demo hour.",
    );
  }
  const stepSeconds = 60;
  const end = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  const start = end - query.hours * 3600_000;
  let points: RatePoint[];
  try {
    points = await fetchRequestRatePoints({
      prometheusUrl: settings.prometheusUrl,
      allow: await readUrlAllowList(db),
      namespace: query.namespace,
      service: query.service,
      start,
      end,
      stepSeconds,
      signal,
    });
  } catch (error) {
    // A refusal is the portal's own setting, not Prometheus failing: 409 with the entry to add.
    if (error instanceof UrlRefusedError)
      throw new DomainError("url_refused", `The configured Prometheus is not on the URL allow-list: ${error.message}`);
    const message = error instanceof Error ? error.message : String(error);
    throw new DomainError("prometheus_failed", `The configured Prometheus could not answer: ${message}`);
  }
  if (points.length === 0) throw new DomainError("no_history", noHistory(query));
  const expected = expectedRequests(points, stepSeconds);
  if (expected > maxTraceRows) {
    throw new DomainError(
      "validation_failed",
      `The last ${query.hours} h hold about ${Math.round(expected).toLocaleString("en-US")} requests, more than the simulator replays (${maxTraceRows.toLocaleString("en-US")}): pick fewer hours`,
      [
        {
          path: "hours",
          message: `pick fewer hours: about ${Math.round(expected).toLocaleString("en-US")} requests is over ${maxTraceRows.toLocaleString("en-US")}`,
        },
      ],
    );
  }
  return {
    namespace: query.namespace,
    service: query.service,
    start,
    end,
    stepSeconds,
    points,
    expectedRequests: Math.round(expected),
  };
}
