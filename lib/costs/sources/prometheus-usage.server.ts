import "server-only";
import { prometheusTarget, queryRange } from "@/lib/prometheus/client.server";
import { inferenceQueries, joinInferenceSeries, type InferenceLoadRow, type InferenceQuery } from "./inference-load";
import type { LabelMapping } from "./label-mapping";
import type { ModelServer } from "./model-servers";
import {
  joinUsageSeries,
  mainRegion,
  nodeRegions,
  usageQueries,
  type MatrixSeries,
  type UsageQuery,
} from "./prometheus-join";
import { DAY_MS, HOUR_MS, type GpuSample } from "@/lib/costs/schema";

export interface PrometheusSource {
  url: string;
  /** The URL allow-list (Settings → URL allow-list). */
  allow: readonly string[];
  /** Which labels give team, workload, pool, capacity and instance type (lib/costs/sources/label-mapping.ts); default: every preset. */
  mapping?: LabelMapping;
  /** Also read this model server's request and queue metrics ("none" or absent: GPU usage only). */
  modelServer?: ModelServer | "none";
}

/**
 * Hourly GPU samples for [start, end) (hour-aligned), and the model servers' hourly load when configured, queried in
 * 7-day chunks so no response exceeds Prometheus' 11,000 points per series.
 */
export async function fetchPrometheusSamples(
  source: PrometheusSource,
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<{
  samples: GpuSample[];
  inference: InferenceLoadRow[];
  /** The region most GPU-hours ran in, from the nodes' `topology.kubernetes.io/region` label. */
  region?: string;
}> {
  const target = prometheusTarget(source.url, { allow: source.allow });
  const out: GpuSample[] = [];
  const inference: InferenceLoadRow[] = [];
  const regions = new Map<string, string>();
  const server = source.modelServer && source.modelServer !== "none" ? source.modelServer : null;
  const from = Math.floor(start / HOUR_MS) * HOUR_MS;
  for (let chunk = from; chunk < end; chunk += 7 * DAY_MS) {
    const chunkEnd = Math.min(end, chunk + 7 * DAY_MS);
    // Evaluate at each hour's end: the window (t-1h, t] is the hour that starts at t-1h.
    const evalStart = chunk + HOUR_MS;
    const evalEnd = chunkEnd;
    if (evalEnd < evalStart) break;
    const entries = await Promise.all(
      (Object.keys(usageQueries) as UsageQuery[]).map(
        async (q) =>
          [
            q,
            await queryRange(target, usageQueries[q], { start: evalStart, end: evalEnd, stepSeconds: 3600, signal }),
          ] as const,
      ),
    );
    const usage = Object.fromEntries(entries) as Record<UsageQuery, MatrixSeries[]>;
    out.push(...joinUsageSeries(usage, { mapping: source.mapping }));
    for (const [node, region] of nodeRegions(usage.nodeLabels)) regions.set(node, region);
    if (server) {
      const queries = inferenceQueries(server);
      const results = await Promise.all(
        (Object.keys(queries) as InferenceQuery[]).map(
          async (q) =>
            [
              q,
              await queryRange(target, queries[q], { start: evalStart, end: evalEnd, stepSeconds: 3600, signal }),
            ] as const,
        ),
      );
      inference.push(
        ...joinInferenceSeries(Object.fromEntries(results) as Record<InferenceQuery, MatrixSeries[]>, {
          server,
          source: "prometheus",
          mapping: source.mapping,
          podLabels: usage.podLabels,
          nodeLabels: usage.nodeLabels,
        }),
      );
    }
  }
  return { samples: out, inference, region: mainRegion(out, regions) };
}
