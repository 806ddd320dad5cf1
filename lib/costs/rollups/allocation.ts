// OpenCost's allocation model applied to GPUs, and the hourly rollup of raw samples that dashboards read.
// cost = max(requested, used) × hours × rate; idle = allocated − used.
import { HOUR_MS, type GpuSample, type UsageRow } from "@/lib/costs/schema";

export interface Allocation {
  gpuHoursAllocated: number;
  gpuHoursUsed: number;
  idleGpuHours: number;
  costUsd: number;
  idleCostUsd: number;
}

export function allocate(
  sample: Pick<GpuSample, "hours" | "requestedGpus" | "utilization">,
  ratePerGpuHour: number,
): Allocation {
  const used = (clamp(sample.utilization, 0, 100) / 100) * sample.hours;
  const allocated = Math.max(sample.requestedGpus * sample.hours, used);
  const idle = allocated - used;
  return {
    gpuHoursAllocated: allocated,
    gpuHoursUsed: used,
    idleGpuHours: idle,
    costUsd: allocated * ratePerGpuHour,
    idleCostUsd: idle * ratePerGpuHour,
  };
}

/** Nearest-rank percentile (p in 0–100) of an unsorted list; 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!; // clamped to 0…length-1 of a non-empty list
}

/**
 * Nearest-rank percentile where each value counts for its weight (GPU-hours): the smallest value whose cumulative
 * weight reaches p% of the total. Equal weights give `percentile`'s answer; 0 for an empty list or no weight.
 */
export function weightedPercentile(values: readonly number[], weights: readonly number[], p: number): number {
  const order = values
    .map((value, i) => ({ value, weight: weights[i] ?? 0 }))
    .filter((e) => e.weight > 0)
    .sort((a, b) => a.value - b.value);
  const total = order.reduce((sum, e) => sum + e.weight, 0);
  const last = order.at(-1);
  if (last === undefined) return 0;
  // Relative slack so weights like 1/6 that add up to a rank boundary in floating point still reach it.
  const target = (p / 100) * total * (1 - 1e-12);
  let cumulative = 0;
  for (const e of order) {
    cumulative += e.weight;
    if (cumulative >= target) return e.value;
  }
  return last.value;
}

export function rollupKey(
  r: Pick<UsageRow, "hour" | "team" | "workloadType" | "nodePool" | "instanceType" | "capacityType">,
): string {
  return `${r.hour}|${r.team}|${r.workloadType}|${r.nodePool}|${r.instanceType}|${r.capacityType}`;
}

interface Acc {
  row: UsageRow;
  utils: number[];
  /** GPU-hours of each entry of `utils`: averages and percentiles are per GPU-hour, not per sample. */
  hours: number[];
  hoursSum: number;
  utilHours: number;
  memHours: number;
  memSum: number;
}

/**
 * Streaming hourly rollup: add samples in any order, then `rows()`. Keeps one utilization list per group-hour so
 * p50/p90 are exact, not estimated. A producer that emits hours in order calls `seal(hour)` to finish every
 * earlier hour and free its lists (2 million samples then need little memory).
 */
export class HourlyRollup {
  private readonly open = new Map<number, Map<string, Acc>>();
  private readonly done: UsageRow[] = [];
  private last: GpuSample | null = null;
  private sealedBefore = -Infinity;
  private lastPrefix = "";
  constructor(
    private readonly source: string,
    private readonly rate: (s: GpuSample) => number,
  ) {}

  add(s: GpuSample): void {
    const hour = Math.floor(s.ts / HOUR_MS) * HOUR_MS;
    if (hour < this.sealedBefore)
      throw new Error(
        `sample at ${new Date(s.ts).toISOString()} arrived after its hour was sealed: samples must be hour-ordered to seal`,
      );
    // Consecutive samples usually share a workload: reuse the key instead of rebuilding it.
    const l = this.last;
    if (
      !l ||
      l.team !== s.team ||
      l.workloadType !== s.workloadType ||
      l.nodePool !== s.nodePool ||
      l.instanceType !== s.instanceType ||
      l.capacityType !== s.capacityType
    ) {
      this.lastPrefix = `${s.team}|${s.workloadType}|${s.nodePool}|${s.instanceType}|${s.capacityType}`;
    }
    this.last = s;
    let groups = this.open.get(hour);
    if (!groups) {
      groups = new Map();
      this.open.set(hour, groups);
    }
    let acc = groups.get(this.lastPrefix);
    if (!acc) {
      acc = {
        row: {
          hour,
          source: this.source,
          team: s.team,
          workloadType: s.workloadType,
          nodePool: s.nodePool,
          instanceType: s.instanceType,
          capacityType: s.capacityType,
          gpuHoursAllocated: 0,
          gpuHoursUsed: 0,
          utilizationAvg: 0,
          utilizationP50: 0,
          utilizationP90: 0,
          memoryUsedMiBAvg: 0,
          memoryUsedMiBMax: 0,
          idleGpuHours: 0,
          gpuHoursUnder10: 0,
          gpuHoursUnder50: 0,
          sampleCount: 0,
          costUsd: 0,
          idleCostUsd: 0,
        },
        utils: [],
        hours: [],
        hoursSum: 0,
        utilHours: 0,
        memHours: 0,
        memSum: 0,
      };
      groups.set(this.lastPrefix, acc);
    }
    const a = allocate(s, this.rate(s));
    const r = acc.row;
    r.gpuHoursAllocated += a.gpuHoursAllocated;
    r.gpuHoursUsed += a.gpuHoursUsed;
    r.idleGpuHours += a.idleGpuHours;
    r.costUsd += a.costUsd;
    r.idleCostUsd += a.idleCostUsd;
    if (s.utilization < 10) r.gpuHoursUnder10 += s.hours;
    if (s.utilization < 50) r.gpuHoursUnder50 += s.hours;
    if (s.memoryUsedMiB > r.memoryUsedMiBMax) r.memoryUsedMiBMax = s.memoryUsedMiB;
    r.sampleCount += 1;
    acc.utils.push(s.utilization);
    acc.hours.push(s.hours);
    acc.hoursSum += s.hours;
    acc.utilHours += s.utilization * s.hours;
    acc.memHours += s.memoryUsedMiB * s.hours;
    acc.memSum += s.memoryUsedMiB;
  }

  /** Finishes every hour before `hour`; later samples for those hours would start new rows, so only seal what is complete. */
  seal(hour: number): void {
    this.sealedBefore = Math.max(this.sealedBefore, hour);
    for (const [h, groups] of this.open) {
      if (h >= hour) continue;
      for (const acc of groups.values()) this.done.push(finish(acc));
      this.open.delete(h);
    }
  }

  rows(): UsageRow[] {
    this.seal(Infinity);
    return [...this.done].sort((a, b) => a.hour - b.hour || rollupKey(a).localeCompare(rollupKey(b)));
  }
}

function finish({ row, utils, hours, hoursSum, utilHours, memHours, memSum }: Acc): UsageRow {
  // A pod that held a GPU for 10 minutes weighs a sixth of one that held it all hour.
  if (hoursSum > 0) {
    return {
      ...row,
      utilizationAvg: utilHours / hoursSum,
      utilizationP50: weightedPercentile(utils, hours, 50),
      utilizationP90: weightedPercentile(utils, hours, 90),
      memoryUsedMiBAvg: memHours / hoursSum,
    };
  }
  // Only zero-hour samples (none of the sources makes them): a plain mean rather than 0 / 0.
  const n = utils.length;
  return {
    ...row,
    utilizationAvg: utils.reduce((x, y) => x + y, 0) / n,
    utilizationP50: percentile(utils, 50),
    utilizationP90: percentile(utils, 90),
    memoryUsedMiBAvg: memSum / n,
  };
}

/** Rolls samples up. With `hourOrdered` (samples never go back in time) each hour is sealed when the next starts. */
export function rollupSamples(
  samples: Iterable<GpuSample>,
  source: string,
  rate: (s: GpuSample) => number,
  options: { hourOrdered?: boolean } = {},
): UsageRow[] {
  const r = new HourlyRollup(source, rate);
  let current = -Infinity;
  for (const s of samples) {
    if (options.hourOrdered && s.ts > current) {
      r.seal(Math.floor(s.ts / HOUR_MS) * HOUR_MS);
      current = s.ts;
    }
    r.add(s);
  }
  return r.rows();
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
