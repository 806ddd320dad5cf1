import "server-only";
import { checkPrometheusUrl, queryRange } from "./prometheus-client.server";
import { joinUsageSeries, usageQueries, type MatrixSeries, type UsageQuery } from "./prometheus-join";
import { DAY_MS, HOUR_MS, type GpuSample } from "./schema";

export interface PrometheusSource {
  url: string;
  allow: readonly string[];
  teamLabel?: string;
  workloadLabel?: string;
}

/**
 * Hourly GPU samples for [start, end) (hour-aligned), queried in 7-day chunks so no response exceeds
 * Prometheus' 11,000 points per series.
 */
export async function fetchPrometheusSamples(source: PrometheusSource, start: number, end: number, signal?: AbortSignal): Promise<GpuSample[]> {
  const target = await checkPrometheusUrl(source.url, source.allow);
  const out: GpuSample[] = [];
  const from = Math.floor(start / HOUR_MS) * HOUR_MS;
  for (let chunk = from; chunk < end; chunk += 7 * DAY_MS) {
    const chunkEnd = Math.min(end, chunk + 7 * DAY_MS);
    // Evaluate at each hour's end: the window (t-1h, t] is the hour that starts at t-1h.
    const evalStart = chunk + HOUR_MS;
    const evalEnd = chunkEnd;
    if (evalEnd < evalStart) break;
    const entries = await Promise.all(
      (Object.keys(usageQueries) as UsageQuery[]).map(async (q) => [q, await queryRange(target, usageQueries[q], { start: evalStart, end: evalEnd, stepSeconds: 3600, signal })] as const),
    );
    out.push(...joinUsageSeries(Object.fromEntries(entries) as Record<UsageQuery, MatrixSeries[]>, { teamLabel: source.teamLabel, workloadLabel: source.workloadLabel }));
  }
  return out;
}
