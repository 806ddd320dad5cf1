// Searches the profile space for the cheapest profile whose SLO-violation minutes stay within the target.
// Nothing here is fitted to one trace: replica bounds come from this trace's oracle, thresholds and
// behaviors from a fixed grid, and a coordinate descent walks the grid by simulating each candidate.
import { computeOracle } from "./oracle";
import { referenceProfile, scalingProfileSchema, type ScalingProfile, type ScalingRules, type ServiceModel } from "./schema";
import { simulateProfile, type SimulationResult } from "./simulate";
import type { Traffic } from "./traffic";

export interface RecommendScalingInput {
  traffic: Traffic;
  service: ServiceModel;
  sloP99Ms: number;
  // Minutes whose p99 may exceed the SLO; 0 by default.
  maxViolationMinutes?: number;
  // Upper bound on simulations, to bound the time taken.
  maxEvaluations?: number;
}

export interface ScalingRecommendation {
  recommended: SimulationResult;
  reference: SimulationResult;
  oracleGpuHours: number;
  // Minutes no profile could keep within the SLO; the target was loosened by this many.
  unavoidableViolationMinutes: number;
  evaluations: number;
}

const gpuThresholds = [0, 50, 60, 70, 75, 80, 85, 90];
const queueThresholds = [0, 1, 2, 4, 8, 16, 32];
// Fractions of the SLO for a p99 latency trigger.
const latencyFractions = [0, 0.5, 0.75];
const downWindows = [0, 60, 120, 180, 300, 600];
const downPolicies: (ScalingRules["policies"] | undefined)[] = [
  undefined,
  [{ type: "Percent", value: 50, periodSeconds: 60 }],
  [{ type: "Pods", value: 1, periodSeconds: 60 }],
];
const upPolicies: (ScalingRules["policies"] | undefined)[] = [
  undefined,
  [
    { type: "Percent", value: 200, periodSeconds: 15 },
    { type: "Pods", value: 10, periodSeconds: 15 },
  ],
];

interface Point {
  gpu: number;
  queue: number;
  latency: number;
  min: number;
  max: number;
  downWindow: number;
  downPolicy: number;
  upPolicy: number;
}
type Dimension = keyof Point;

export function recommendProfile(input: RecommendScalingInput): ScalingRecommendation {
  const { traffic, service, sloP99Ms } = input;
  const budget = input.maxEvaluations ?? 160;
  const oracle = computeOracle(traffic, service, sloP99Ms);
  // Minutes that no profile can keep within the SLO do not count against the target.
  const target = (input.maxViolationMinutes ?? 0) + oracle.unavoidableViolationMinutes;
  const busy = oracle.replicasPerMinute.filter((n) => n > 0).sort((a, b) => a - b);
  const quantile = (q: number) => (busy.length ? busy[Math.min(busy.length - 1, Math.floor(q * busy.length))] : 1);
  const peak = busy.length ? busy[busy.length - 1] : 1;
  const minChoices = unique([0, 1, quantile(0.05), quantile(0.1), quantile(0.25), quantile(0.5), quantile(0.75), quantile(0.9)]);
  const maxChoices = unique([peak + 1, Math.ceil(peak * 1.5) + 1, 2 * peak + 2, 4 * peak + 4]).filter((m) => m <= 1000);
  const sizes: Record<Dimension, number> = {
    gpu: gpuThresholds.length,
    queue: queueThresholds.length,
    latency: latencyFractions.length,
    min: minChoices.length,
    max: maxChoices.length,
    downWindow: downWindows.length,
    downPolicy: downPolicies.length,
    upPolicy: upPolicies.length,
  };

  const toProfile = (p: Point): ScalingProfile => {
    const triggers = [];
    if (p.gpu) triggers.push({ type: "gpu_utilization" as const, threshold: gpuThresholds[p.gpu] });
    if (p.queue) triggers.push({ type: "queue_depth" as const, threshold: queueThresholds[p.queue] });
    if (p.latency) triggers.push({ type: "p99_latency_ms" as const, threshold: Math.round(latencyFractions[p.latency] * sloP99Ms) });
    const max = Math.max(maxChoices[p.max], minChoices[p.min], 1);
    return scalingProfileSchema.parse({
      name: "recommended",
      minReplicas: minChoices[p.min],
      maxReplicas: max,
      pollingInterval: 15,
      cooldownPeriod: 300,
      triggers,
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: upPolicies[p.upPolicy], selectPolicy: "Max" },
        scaleDown: { stabilizationWindowSeconds: downWindows[p.downWindow], policies: downPolicies[p.downPolicy], selectPolicy: "Max" },
      },
    });
  };

  const results = new Map<string, SimulationResult>();
  // Once a feasible profile is known, a candidate is dropped as soon as it costs more.
  let ceiling = Number.POSITIVE_INFINITY;
  const evaluate = (p: Point): SimulationResult | null => {
    if (!p.gpu && !p.queue && !p.latency) return null;
    const key = JSON.stringify(p);
    let result = results.get(key);
    if (!result) {
      if (results.size >= budget) return null;
      result = simulateProfile({ traffic, profile: toProfile(p), service, sloP99Ms, detail: false, gpuHoursCeiling: ceiling });
      results.set(key, result);
      if (result.sloViolationMinutes <= target) ceiling = Math.min(ceiling, result.gpuHours);
    }
    return result;
  };
  // Feasible profiles first, cheapest first, then calmer; infeasible ones by how far they miss.
  const better = (a: SimulationResult, b: SimulationResult): boolean => {
    const fa = a.sloViolationMinutes <= target;
    const fb = b.sloViolationMinutes <= target;
    if (fa !== fb) return fa;
    if (!fa && a.sloViolationMinutes !== b.sloViolationMinutes) return a.sloViolationMinutes < b.sloViolationMinutes;
    if (Math.abs(a.gpuHours - b.gpuHours) > 1e-9) return a.gpuHours < b.gpuHours;
    return a.scaleEvents < b.scaleEvents;
  };

  // Seeds: each single trigger at each threshold, from the median and a low minimum, default behavior.
  const base: Point = { gpu: 0, queue: 0, latency: 0, min: 0, max: 2, downWindow: 4, downPolicy: 0, upPolicy: 0 };
  const medianMin = minChoices.indexOf(quantile(0.5));
  const lowMin = minChoices.indexOf(quantile(0.1));
  const seeds: { point: Point; result: SimulationResult }[] = [];
  for (const dim of ["gpu", "queue", "latency"] as const) {
    for (let i = 1; i < sizes[dim]; i++) {
      for (const min of unique([lowMin, medianMin])) {
        const point = { ...base, [dim]: i, min };
        const result = evaluate(point);
        if (result) seeds.push({ point, result });
      }
    }
  }
  // Pairs: a utilization target with a queue guard for bursts.
  for (const gpu of [3, 5, 7]) {
    for (const queue of [3, 5]) {
      const point = { ...base, gpu, queue, min: medianMin };
      const result = evaluate(point);
      if (result) seeds.push({ point, result });
    }
  }
  seeds.sort((a, b) => (better(a.result, b.result) ? -1 : better(b.result, a.result) ? 1 : 0));

  // Coordinate descent from the best seeds: move one dimension one step while it helps.
  let best = seeds[0];
  for (const seed of seeds.slice(0, 3)) {
    let current = seed;
    let improved = true;
    while (improved) {
      improved = false;
      for (const dim of Object.keys(sizes) as Dimension[]) {
        for (const step of [-1, 1]) {
          const value = current.point[dim] + step;
          if (value < 0 || value >= sizes[dim]) continue;
          const point = { ...current.point, [dim]: value };
          const result = evaluate(point);
          if (result && better(result, current.result)) {
            current = { point, result };
            improved = true;
          }
        }
      }
    }
    if (better(current.result, best.result)) best = current;
  }

  return {
    recommended: simulateProfile({ traffic, profile: best.result.profile, service, sloP99Ms }),
    reference: simulateProfile({ traffic, profile: referenceProfile, service, sloP99Ms }),
    oracleGpuHours: oracle.gpuHours,
    unavoidableViolationMinutes: oracle.unavoidableViolationMinutes,
    evaluations: results.size,
  };
}

function unique(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}
