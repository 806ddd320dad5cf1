// Pure shaping of dashboard answers: SQL aggregates come in, chart-ready series and headline numbers go out.
import type { CloudProvider } from "@/lib/pricing/lookup-price";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import type { GpuRate } from "@/lib/pricing/sample-prices";
import { DAY_MS, type CapacityType } from "@/lib/costs/schema";

export interface DailyGroupCost {
  /** YYYY-MM-DD (UTC). */
  day: string;
  group: string;
  costUsd: number;
  idleCostUsd: number;
  gpuHoursAllocated: number;
  gpuHoursUsed: number;
}

export interface DailySeries {
  keys: string[];
  points: Array<{ day: string } & Record<string, number | string>>;
  totalUsd: number;
  idleUsd: number;
}

export function dayString(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Pivot to one point per day (missing days are 0), series ordered by total cost, largest first. */
export function pivotDailyCost(rows: readonly DailyGroupCost[], startMs: number, days: number): DailySeries {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.group, (totals.get(r.group) ?? 0) + r.costUsd);
  const keys = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  const byDay = new Map<string, Record<string, number>>();
  for (let i = 0; i < days; i++)
    byDay.set(dayString(startMs + i * DAY_MS), Object.fromEntries(keys.map((k) => [k, 0])));
  let totalUsd = 0;
  let idleUsd = 0;
  for (const r of rows) {
    const point = byDay.get(r.day);
    if (!point) continue;
    point[r.group] = round2((point[r.group] ?? 0) + r.costUsd);
    totalUsd += r.costUsd;
    idleUsd += r.idleCostUsd;
  }
  return {
    keys,
    points: [...byDay.entries()].map(([day, v]) => ({ day, ...v })),
    totalUsd: round2(totalUsd),
    idleUsd: round2(idleUsd),
  };
}

export interface CapacityUsage {
  instanceType: string;
  capacityType: CapacityType;
  gpuHoursAllocated: number;
  costUsd: number;
}

/**
 * Share of GPU-hours on spot and what they would have cost on demand, at `rate`: the prices the costs were charged at
 * (live where the price API's cache has them; lib/costs/live-prices.ts), so the tile matches the costs. Capacity of
 * unknown type is neither spot nor on demand.
 */
export function spotSummary(
  rows: readonly CapacityUsage[],
  cloud: CloudProvider,
  rate: GpuRate = (t, c) => gpuHourlyRate(cloud, t, c),
) {
  let spot = 0;
  let onDemand = 0;
  let unknown = 0;
  let savings = 0;
  for (const r of rows) {
    if (r.capacityType === "spot") {
      spot += r.gpuHoursAllocated;
      savings += r.gpuHoursAllocated * (rate(r.instanceType, "on_demand") - rate(r.instanceType, "spot"));
    } else if (r.capacityType === "on_demand") onDemand += r.gpuHoursAllocated;
    else unknown += r.gpuHoursAllocated;
  }
  const total = spot + onDemand + unknown;
  return {
    spotGpuHours: round2(spot),
    onDemandGpuHours: round2(onDemand),
    spotShare: total ? spot / total : 0,
    savingsUsd: round2(savings),
  };
}

export interface HeatCell {
  /** 0 = Sunday (UTC), as PostgreSQL's EXTRACT(DOW). */
  dow: number;
  hour: number;
  gpuHoursAllocated: number;
  gpuHoursUsed: number;
}

/** 7 × 24 utilization percentages (GPU-hour weighted); null where nothing ran. */
export function heatMapMatrix(cells: readonly HeatCell[]): (number | null)[][] {
  const alloc = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const used = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const c of cells) {
    const a = alloc[c.dow];
    const u = used[c.dow];
    // A cell outside the week's 7 × 24 (no such day or hour) has nowhere to go.
    if (!a || !u || c.hour < 0 || c.hour >= 24) continue;
    a[c.hour] = (a[c.hour] ?? 0) + c.gpuHoursAllocated;
    u[c.hour] = (u[c.hour] ?? 0) + c.gpuHoursUsed;
  }
  return alloc.map((row, d) => row.map((a, h) => (a > 0 ? round2(((used[d]?.[h] ?? 0) / a) * 100) : null)));
}

export interface BudgetStatus {
  budgetUsd: number | null;
  forecastUsd: number;
  overByUsd: number;
  alert: boolean;
}

export function budgetStatus(forecastUsd: number, budgetUsd: number | null): BudgetStatus {
  const overBy = budgetUsd === null ? 0 : Math.max(0, forecastUsd - budgetUsd);
  return {
    budgetUsd,
    forecastUsd: round2(forecastUsd),
    overByUsd: round2(overBy),
    alert: budgetUsd !== null && forecastUsd > budgetUsd,
  };
}

export function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
