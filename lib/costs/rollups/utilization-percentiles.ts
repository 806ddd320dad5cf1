// Utilization p50/p90 as the dashboard and the monthly report show them, in pure code: the definition that
// summary-sql.ts's utilization SQL implements, and the reference tests hold that SQL to.
import { weightedPercentile } from "./allocation";
import type { UsageRow } from "@/lib/costs/schema";

export interface UtilizationPercentiles {
  p50: number;
  p90: number;
}

type Row = Pick<UsageRow, "gpuHoursAllocated" | "gpuHoursUsed">;

/**
 * Percentiles of utilization over GPU-hours: each rollup row's utilization (used ÷ allocated GPU-hours, 0–100)
 * counts for its allocated GPU-hours, so a 1-GPU group at 5% beside a 32-GPU group at 90% has a p50 of 90%.
 * Rows without allocated hours have no utilization and are left out; 0 when no row has any.
 * The monthly report applies it to the hourly rows exactly.
 */
export function utilizationPercentiles(rows: readonly Row[]): UtilizationPercentiles {
  const counted = rows.filter((r) => r.gpuHoursAllocated > 0);
  const values = counted.map((r) => (r.gpuHoursUsed / r.gpuHoursAllocated) * 100);
  const weights = counted.map((r) => r.gpuHoursAllocated);
  return { p50: weightedPercentile(values, weights, 50), p90: weightedPercentile(values, weights, 90) };
}

/**
 * The dashboard's utilization bucket of an hourly row: its utilization to the nearest whole percent (half up),
 * 0–100. The dashboard stores GPU-hours per bucket and day (GpuUtilizationDailyHistogram), not hourly rows.
 */
export function utilizationBucket(utilization: number): number {
  return Math.min(100, Math.max(0, Math.floor(utilization + 0.5)));
}

/**
 * The dashboard's p50/p90: utilizationPercentiles with each row's utilization replaced by its bucket. Rounding is
 * monotone, so this is the exact percentile rounded to the nearest percent (utilizationBucket of it): never more
 * than half a point from the report's figure, and equal to it when utilization is a whole percent.
 */
export function bucketedUtilizationPercentiles(rows: readonly Row[]): UtilizationPercentiles {
  const counted = rows.filter((r) => r.gpuHoursAllocated > 0);
  const values = counted.map((r) => utilizationBucket((r.gpuHoursUsed / r.gpuHoursAllocated) * 100));
  const weights = counted.map((r) => r.gpuHoursAllocated);
  return { p50: weightedPercentile(values, weights, 50), p90: weightedPercentile(values, weights, 90) };
}
