import "server-only";
// A deployment's request-rate history from the cluster's Prometheus, as traffic for the simulator. The rate
// comes from the request-duration histogram the plan's model server exports (the latency trigger reads the
// same histogram), so any deployment the portal generated has it.
import { checkPrometheusUrl, queryRange } from "@/lib/costs/prometheus-client.server";
import { maxTraceRows } from "./parse-trace";
import { trafficFromRateSeries, type RatePoint, type Traffic } from "./traffic";

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const maxWindowMs = 7 * 24 * 3600 * 1000;

export interface RequestRateHistoryOptions {
  prometheusUrl: string;
  // Hosts or addresses the admin allows besides public ones (see lib/costs/url-allow-list.ts).
  allow: readonly string[];
  namespace: string;
  service: string;
  // Epoch milliseconds.
  start: number;
  end: number;
  stepSeconds?: number;
  signal?: AbortSignal;
}

export function requestRateQuery(namespace: string, service: string): string {
  return `sum(rate(inference_request_duration_seconds_count{namespace="${namespace}", service="${service}"}[1m]))`;
}

export async function fetchRequestRateTraffic(o: RequestRateHistoryOptions): Promise<Traffic> {
  // Names go into PromQL: only DNS labels, which cannot break out of the quoted matcher.
  if (!dnsLabel.test(o.namespace)) throw new Error(`namespace "${o.namespace}" is not a Kubernetes namespace name: use lowercase letters, digits and '-'`);
  if (!dnsLabel.test(o.service)) throw new Error(`service "${o.service}" is not a Kubernetes service name: use lowercase letters, digits and '-'`);
  if (!(o.end > o.start)) throw new Error("end must be after start: pick a window of at least one step");
  if (o.end - o.start > maxWindowMs) throw new Error("the window is longer than 7 days: shorten it");
  const stepSeconds = o.stepSeconds ?? 60;
  const target = await checkPrometheusUrl(o.prometheusUrl, o.allow);
  const series = await queryRange(target, requestRateQuery(o.namespace, o.service), { start: o.start, end: o.end, stepSeconds, signal: o.signal });
  const byTime = new Map<number, number>();
  for (const s of series) {
    for (const [t, raw] of s.values) {
      const v = Number(raw);
      byTime.set(t, (byTime.get(t) ?? 0) + (Number.isFinite(v) && v > 0 ? v : 0));
    }
  }
  if (byTime.size === 0) {
    throw new Error(
      `no request-rate history for service ${o.service} in namespace ${o.namespace}: check the names and that the model server exports inference_request_duration_seconds`,
    );
  }
  const points: RatePoint[] = [...byTime].sort((a, b) => a[0] - b[0]).map(([timestamp, requestsPerSecond]) => ({ timestamp, requestsPerSecond }));
  const expected = points.reduce((sum, p) => sum + p.requestsPerSecond * stepSeconds, 0);
  if (expected > maxTraceRows) {
    throw new Error(`the window holds about ${Math.round(expected)} requests, more than ${maxTraceRows}: shorten the window`);
  }
  return trafficFromRateSeries(points);
}
