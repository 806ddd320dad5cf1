// How much any autoscaler could save on the Azure conversation hour against the best fixed count, split by time
// scale: what a schedule that follows the hour's slow trend saves, and what is left, which only a controller that
// foresees minute-scale swings could take. Issue 14 asks the recommendation for at most 0.90 x the best fixed
// count (geometric mean over p99 SLOs of 2, 5 and 10 s); this bench prints how much of that a controller can
// reach at all. Prints figures; asserts nothing.
//
// 1. Trend schedules, with foresight: the cheapest schedule of one to three levels (a from the start, b from
//    minute T1, c from minute T2) that keeps every minute's p99 within the SLO, each rise started one start-up
//    delay ahead, replayed through the same replica pool as every profile. Such a schedule knows when the level
//    changes; a reactive profile must first see it, so it can only do worse on these changes.
// 2. Minute-scale swings: the oracle's per-minute counts less their 9-minute moving average, and the correlation
//    of that residual with itself a few minutes later. A replica asked for now serves after the start-up delay
//    (3 minutes at 180 s), so a controller takes a swing only if it can be predicted that far ahead: a residual
//    uncorrelated at lags 3-5 cannot.
// Run: npx tsx bench/scaling-headroom.ts   (STARTUP_DELAY_SECONDS=82 for another start-up delay)
import fs from "node:fs";
import path from "node:path";
import { computeOracle } from "@/lib/scaling/oracle";
import { parseTrace } from "@/lib/scaling/parse-trace";
import { clairvoyantGpuHours } from "@/lib/scaling/recommend-profile";
import { ReplicaPool } from "@/lib/scaling/replica-pool";
import { defaultServiceModel, type ServiceModel } from "@/lib/scaling/schema";
import { countViolationMinutes } from "@/lib/scaling/simulate";

const tracePath = path.resolve(__dirname, "..", "..", "shared", "data", "azure-llm-inference-2023-conv.csv");
const parsed = parseTrace(fs.readFileSync(tracePath, "utf8"));
if (!parsed.ok) throw new Error(parsed.error);
const traffic = parsed.traffic;
const service: ServiceModel = {
  ...defaultServiceModel,
  startupDelaySeconds: Number(process.env.STARTUP_DELAY_SECONDS ?? defaultServiceModel.startupDelaySeconds),
};
const minutes = Math.ceil(traffic.durationSeconds / 60);

// Replays a schedule of ready replicas per minute: a rise is started one start-up delay before its minute, a
// fall happens at its minute. The run starts with the first minute's replicas ready, as a fixed count's does.
function replay(counts: readonly number[], sloP99Ms: number): { gpuHours: number; violationMinutes: number } {
  const pool = new ReplicaPool(service, traffic, counts[0]!);
  const times = new Set<number>();
  for (let m = 0; m < minutes; m++) times.add(m * 60).add(Math.max(0, m * 60 - service.startupDelaySeconds));
  for (const t of [...times].sort((a, b) => a - b)) {
    pool.advanceTo(t);
    const m = Math.floor(t / 60);
    let spec = counts[Math.min(m, minutes - 1)]!;
    for (let k = m + 1; k < minutes && k * 60 - service.startupDelaySeconds <= t; k++)
      spec = Math.max(spec, counts[k]!);
    if (spec !== pool.replicaCount) pool.scaleTo(spec, t);
  }
  const gpuHours = (pool.gpuSeconds(traffic.durationSeconds) * service.gpusPerReplica) / 3600;
  pool.advanceTo(traffic.durationSeconds + 3600);
  const violationMinutes = countViolationMinutes(
    traffic.arrivals,
    pool.latencyMs("ttft"),
    traffic.durationSeconds,
    sloP99Ms,
  );
  return { gpuHours, violationMinutes };
}

const levels = (a: number, t1: number, b: number, t2: number, c: number) =>
  Array.from({ length: minutes }, (_, m) => (m < t1 ? a : m < t2 ? b : c));

// The cheapest schedule of up to three levels, b the highest: for each (a, b), the latest minute the rise from a
// to b may come, then for each c the earliest minute the fall to c may come (bisection: an earlier rise and a
// later fall never serve worse).
function bestLevels(fixedCount: number, sloP99Ms: number) {
  const meets = (counts: number[]) => replay(counts, sloP99Ms).violationMinutes === 0;
  let best = { gpuHours: replay(levels(fixedCount, 0, fixedCount, 0, fixedCount), sloP99Ms).gpuHours, shape: "fixed" };
  for (const b of [fixedCount, fixedCount + 1]) {
    for (let a = Math.max(1, fixedCount - 4); a <= b; a++) {
      if (!meets(levels(a, 0, b, minutes, b))) continue;
      let lo = 0;
      let hi = minutes;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (meets(levels(a, mid, b, minutes, b))) lo = mid;
        else hi = mid - 1;
      }
      const t1 = lo;
      for (let c = Math.max(1, fixedCount - 6); c < b; c++) {
        let from = t1;
        let to = minutes;
        while (from < to) {
          const mid = (from + to) >> 1;
          if (meets(levels(a, t1, b, mid, c))) to = mid;
          else from = mid + 1;
        }
        const r = replay(levels(a, t1, b, from, c), sloP99Ms);
        if (r.violationMinutes === 0 && r.gpuHours < best.gpuHours)
          best = {
            gpuHours: r.gpuHours,
            shape: `${t1 > 0 ? `${a} to minute ${t1}, ` : ""}${b} to minute ${from}, then ${c}`,
          };
      }
    }
  }
  return best;
}

// Correlation of the residual (count less its centred 9-minute mean) with itself `lag` minutes later.
function residualAutocorrelation(counts: readonly number[], lag: number): number {
  const half = 4;
  const residual: number[] = [];
  for (let m = half; m < counts.length - half; m++) {
    let sum = 0;
    for (let k = m - half; k <= m + half; k++) sum += counts[k]!;
    residual.push(counts[m]! - sum / (2 * half + 1));
  }
  const mean = residual.reduce((a, v) => a + v, 0) / residual.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < residual.length; i++) {
    den += (residual[i]! - mean) ** 2;
    if (i + lag < residual.length) num += (residual[i]! - mean) * (residual[i + lag]! - mean);
  }
  return den > 0 ? num / den : 0;
}

const geomean = (values: number[]) => Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length);
console.log(
  `trace azure: ${traffic.arrivals.length} requests over ${traffic.durationSeconds} s; start-up delay ${service.startupDelaySeconds} s`,
);
const trendRatios: number[] = [];
const clairvoyantRatios: number[] = [];
for (const sloP99Ms of [2000, 5000, 10000]) {
  let fixedCount = 1;
  while (replay(levels(fixedCount, 0, fixedCount, 0, fixedCount), sloP99Ms).violationMinutes > 0) fixedCount++;
  const fixedGpuHours = replay(levels(fixedCount, 0, fixedCount, 0, fixedCount), sloP99Ms).gpuHours;
  const trend = bestLevels(fixedCount, sloP99Ms);
  const oracle = computeOracle(traffic, service, sloP99Ms);
  // The first minute is served from the replicas running before the window: no swing to predict there.
  const counts = oracle.replicasPerMinute.slice(1);
  const clairvoyant = clairvoyantGpuHours(oracle.replicasPerMinute, service) / fixedGpuHours;
  trendRatios.push(trend.gpuHours / fixedGpuHours);
  clairvoyantRatios.push(clairvoyant);
  const lags = [1, 2, 3, 4, 5].map((lag) => residualAutocorrelation(counts, lag).toFixed(2)).join(", ");
  console.log(
    `p99 ${sloP99Ms} ms: best fixed ${fixedCount} replicas ${fixedGpuHours.toFixed(3)} GPU-h; best trend schedule ` +
      `${(trend.gpuHours / fixedGpuHours).toFixed(3)} x fixed (${trend.shape}); clairvoyant ${clairvoyant.toFixed(3)} x fixed; ` +
      `oracle's minute-scale swings: autocorrelation at lags 1-5 min ${lags}`,
  );
}
console.log(
  `geometric mean, best trend schedule (knows when the level changes) / best fixed: ${geomean(trendRatios).toFixed(3)}`,
);
console.log(`geometric mean, clairvoyant / best fixed: ${geomean(clairvoyantRatios).toFixed(3)}`);
