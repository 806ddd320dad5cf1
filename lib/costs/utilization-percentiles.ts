// Utilization p50/p90 as the dashboard and the monthly report show them, in pure code: the definition that
// summary-sql.ts's utilization SQL implements, and the reference tests hold that SQL to.
import { weightedPercentile } from "./allocation";
import type { UsageRow } from "./schema";

export interface UtilizationPercentiles {
  p50: number;
  p90: number;
}

/**
 * Percentiles of utilization over GPU-hours: each rollup row's utilization (used ÷ allocated GPU-hours, 0–100)
 * counts for its allocated GPU-hours, so a 1-GPU group at 5% beside a 32-GPU group at 90% has a p50 of 90%.
 * Rows without allocated hours have no utilization and are left out; 0 when no row has any.
 */
export function utilizationPercentiles(rows: readonly Pick<UsageRow, "gpuHoursAllocated" | "gpuHoursUsed">[]): UtilizationPercentiles {
  const counted = rows.filter((r) => r.gpuHoursAllocated > 0);
  const values = counted.map((r) => (r.gpuHoursUsed / r.gpuHoursAllocated) * 100);
  const weights = counted.map((r) => r.gpuHoursAllocated);
  return { p50: weightedPercentile(values, weights, 50), p90: weightedPercentile(values, weights, 90) };
}
