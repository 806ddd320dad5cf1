// Searches the profile space for the cheapest profile whose SLO-violation minutes stay within the target, and
// reports it against three bounds: the oracle (perfect foresight, no start-up delay), the clairvoyant (perfect
// foresight, starting each replica one start-up delay ahead) and the best fixed replica count.
// Fixed counts are candidates themselves, so the recommendation never costs more than the best fixed count.
// Latency thresholds span the feasible range (above the service floor, up to the SLO). The winner must be
// as robust as the best fixed count on perturbed replays of the trace (+10 % requests, bursts shifted): on each,
// at most robustnessToleranceMinutes more minutes over the SLO than the fixed count on that same replay.
import { computeOracle } from "./oracle";
import type { LatencyKind } from "./metric-definitions";
import {
  MAX_REPLICAS,
  referenceProfile,
  scalingProfileSchema,
  type ScalingProfile,
  type ScalingRules,
  type ServiceModel,
} from "./schema";
import { serviceFloorMs } from "./explain-profile";
import { simulateProfile, type SimulationResult } from "./simulate";
import { concurrentRequests, meanHoldSeconds } from "./serving-model";
import { triggerAvailable } from "./metric-definitions";
import { perturbTraffic, perturbations } from "./perturb-traffic";
import type { Traffic } from "./traffic";

export interface RecommendScalingInput {
  traffic: Traffic;
  service: ServiceModel;
  sloP99Ms: number;
  sloLatency?: LatencyKind;
  // Minutes whose p99 may exceed the SLO; 0 by default.
  maxViolationMinutes?: number;
  // Upper bound on simulations of the search, to bound the time taken.
  maxEvaluations?: number;
  // A clock in milliseconds (performance.now) and the time the search may take by it, from the call: once it is
  // spent, no further profile is tried and the search ranks those it has (the best fixed count always among
  // them). Without a clock only maxEvaluations bounds the search, and the result does not depend on the machine.
  clock?: () => number;
  timeBudgetMs?: number;
}

// What a caller with a clock allows by default: the 5 s on this machine, less the reference's replay
// and the chosen profile's detailed one, which run after the search.
export const defaultTimeBudgetMs = 4000;
// The share of the budget the search spends trying profiles; the rest checks the cheapest on perturbed replays
// (two replays per candidate, a few candidates: about a quarter of what the search tries).
const searchShareOfBudget = 0.7;
// Minutes over the SLO a recommendation may miss on a perturbed replay beyond what the best fixed count misses
// on that replay (see the robustness step of recommendProfile).
export const robustnessToleranceMinutes = 1;

export interface ScalingBound {
  gpuHours: number;
  // recommended GPU-hours / the bound's.
  ratio: number;
}

export interface ScalingRecommendation {
  recommended: SimulationResult;
  reference: SimulationResult;
  oracleGpuHours: number;
  // Minutes no profile could keep within the SLO; the target was loosened by this many.
  unavoidableViolationMinutes: number;
  bounds: {
    oracle: ScalingBound;
    clairvoyant: ScalingBound;
    // The fewest replicas that, held all hour, meet the target (null when no count up to the search's limit does).
    bestFixed: (ScalingBound & { replicas: number; sloViolationMinutes: number }) | null;
  };
  // The p99 latency of requests served with no queueing at all: no threshold below it can be met.
  serviceFloorMs: number;
  // The margin the recommendation was held to: on each perturbed replay of the trace it misses the SLO in at most
  // toleranceMinutes more minutes than the best fixed count on the same replay. Per replay, in `replays` order,
  // the violation minutes of each (null: no fixed count to compare with, or the replays were not run).
  robustness: {
    replays: string[];
    toleranceMinutes: number;
    bestFixedViolationMinutes: number[] | null;
    recommendedViolationMinutes: number[] | null;
    // The cheapest profile that met the target on the trace but not the margin (null: the cheapest that met the
    // target also met the margin, or none was checked): what the search would have recommended on the trace
    // alone, the replay on which it missed more minutes than allowed, and the minutes allowed there.
    cheapestRefused: { profile: ScalingProfile; gpuHours: number; replay: string; allowedMinutes: number } | null;
  };
  evaluations: number;
  // True when the time budget ended the search before it had tried every profile it meant to.
  timedOut: boolean;
}

/** The trace needs more replicas than a profile may hold, even with perfect foresight: no profile can serve it. */
export class ReplicaLimitError extends Error {
  constructor(readonly minute: number) {
    super(
      `minute ${minute + 1} of the trace needs more than ${MAX_REPLICAS} replicas (the most maxReplicas allows) even with perfect foresight: no profile can serve it; split the traffic across deployments, give each replica more capacity (service model), or check the trace's requests_per_second`,
    );
    this.name = "ReplicaLimitError";
  }
}

const gpuThresholds = [0, 50, 60, 70, 80, 90, 95];
// Waiting requests per replica (AverageValue): below 1 the trigger fires on the first few queued requests of a
// large deployment (0.25 on 8 replicas: 3 waiting), the earliest sign of a ramp a 180-s start-up must beat.
const queueThresholds = [0, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32];
// Shares of one replica's capacity at which the leading-indicator triggers fire: requests in flight against the
// sequences a replica holds at once, completions per second against what it serves per second. No published
// target for either was at hand, so the search spans the range from half to all of it.
// Low shares keep headroom for a burst shorter than the start-up delay on a trace that swings far below its
// peak: the count follows the slow curve and the burst fits in the room a low share leaves.
const capacityShares = [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.85, 1];
// KV-cache use, %: vLLM admits requests until the cache is full, so a trigger near 100 fires only when queueing.
const kvThresholds = [0, 50, 70, 85, 95];
const downWindows = [0, 60, 120, 180, 300, 600, 900, 1800];
// Shedding one replica per 1-5 minutes keeps most of a burst's replicas for the next one without holding the
// whole peak for a fixed window.
const downPolicies: (ScalingRules["policies"] | undefined)[] = [
  undefined,
  [{ type: "Percent", value: 50, periodSeconds: 60 }],
  [{ type: "Pods", value: 1, periodSeconds: 60 }],
  [{ type: "Pods", value: 1, periodSeconds: 120 }],
  [{ type: "Pods", value: 1, periodSeconds: 300 }],
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
  concurrency: number;
  rate: number;
  kv: number;
  min: number;
  max: number;
  downWindow: number;
  downPolicy: number;
  upPolicy: number;
}
type Dimension = keyof Point;

export function recommendProfile(input: RecommendScalingInput): ScalingRecommendation {
  const { traffic, service, sloP99Ms } = input;
  const sloLatency = input.sloLatency ?? "ttft";
  const budget = input.maxEvaluations ?? 400;
  const clock = input.clock;
  const started = clock ? clock() : 0;
  const budgetMs = input.timeBudgetMs ?? defaultTimeBudgetMs;
  const deadline = clock ? started + budgetMs : Number.POSITIVE_INFINITY;
  // The search proper stops at this share of the budget: the rest is kept for replaying its cheapest candidates
  // on the perturbed traces. Without that reserve a search that used the whole budget had no time left to check
  // any candidate, and the fixed count stood however much cheaper the candidates were.
  const searchDeadline = clock ? started + searchShareOfBudget * budgetMs : Number.POSITIVE_INFINITY;
  let timedOut = false;
  const outOfTime = (until = deadline) => {
    const over = clock ? clock() > until : false;
    timedOut ||= over;
    return over;
  };
  const oracle = computeOracle(traffic, service, sloP99Ms, sloLatency, MAX_REPLICAS);
  // Every candidate would be refused by the schema or fail the trace, so the search would only burn time.
  if (oracle.replicaLimitExceeded) throw new ReplicaLimitError(oracle.replicaLimitExceeded.minute);
  // Minutes that no profile can keep within the SLO do not count against the target.
  const target = (input.maxViolationMinutes ?? 0) + oracle.unavoidableViolationMinutes;
  const floor = serviceFloorMs(traffic, service, sloLatency);
  const busy = oracle.replicasPerMinute.filter((n) => n > 0).sort((a, b) => a - b);
  const quantile = (q: number) => (busy.length ? busy[Math.min(busy.length - 1, Math.floor(q * busy.length))]! : 1);
  const peak = busy.length ? busy[busy.length - 1]! : 1;
  // Meeting the target also means serving every request: when most minutes miss the SLO whatever the count
  // (an SLO under the service floor), a deployment too small to serve the traffic would otherwise "meet" it.
  const meets = (r: SimulationResult) => r.sloViolationMinutes <= target && r.unservedRequests === 0;
  // A search run stops once it costs more than the best so far or misses the SLO in more minutes than allowed.
  const simulate = (
    profile: ScalingProfile,
    t: Traffic = traffic,
    ceiling = Number.POSITIVE_INFINITY,
    violationCeiling = target,
  ) =>
    simulateProfile({
      traffic: t,
      profile,
      service,
      sloP99Ms,
      sloLatency,
      detail: false,
      gpuHoursCeiling: ceiling,
      violationMinutesCeiling: violationCeiling,
    });

  // The best fixed count: the smallest that meets the target (more replicas never serve worse).
  const fixedResults = new Map<number, SimulationResult>();
  const fixed = (n: number) => {
    let r = fixedResults.get(n);
    if (!r) fixedResults.set(n, (r = simulate(fixedProfile(n))));
    return r;
  };
  // From the oracle's peak (which usually meets the target: a fixed count needs no start-up), doubling until one does.
  let fixedLimit = Math.max(1, peak);
  while (fixedLimit < MAX_REPLICAS && !meets(fixed(fixedLimit))) fixedLimit = Math.min(MAX_REPLICAS, 2 * fixedLimit);
  let bestFixedCount: number | null = null;
  if (meets(fixed(fixedLimit))) {
    let lo = 1;
    let hi = fixedLimit;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (meets(fixed(mid))) hi = mid;
      else lo = mid + 1;
    }
    bestFixedCount = lo;
  }

  // Latency thresholds between the floor (always exceeded below it) and the SLO.
  const latencyThresholds = [
    0,
    ...unique(
      [1.25 * floor, 1.5 * floor, 2 * floor, 0.5 * sloP99Ms, 0.75 * sloP99Ms, 0.9 * sloP99Ms].map(Math.round),
    ).filter((v) => v > 1.1 * floor && v <= sloP99Ms),
  ];
  // Choices above the limit are capped to it rather than dropped, so a peak near the limit still has a ceiling to try.
  const cap = (m: number) => Math.min(m, MAX_REPLICAS);
  // Just under the best fixed count: the floor a profile that only has to add replicas for the peak holds.
  const belowFixed = bestFixedCount
    ? [bestFixedCount - 4, bestFixedCount - 3, bestFixedCount - 2, bestFixedCount - 1, bestFixedCount]
    : [];
  const minChoices = unique(
    [
      0,
      1,
      quantile(0.05),
      quantile(0.1),
      quantile(0.25),
      quantile(0.5),
      quantile(0.75),
      quantile(0.9),
      ...belowFixed,
    ].map(cap),
  ).filter((m) => m >= 1);
  const maxChoices = unique(
    [
      quantile(0.9),
      peak,
      peak + 1,
      Math.ceil(peak * 1.5) + 1,
      2 * peak + 2,
      peak + 2,
      ...(bestFixedCount ? [bestFixedCount, bestFixedCount + 1, bestFixedCount + 2] : []),
    ].map(cap),
  ).filter((m) => m >= 1);
  // Per replica: the sequences it runs at once (KV-bounded) and the requests per second that amounts to.
  const slots = concurrentRequests(traffic, service);
  const perReplicaRps = slots / meanHoldSeconds(traffic, service);
  const round2 = (v: number) => Math.max(0.01, Math.round(v * 100) / 100);
  const concurrencyThresholds = triggerAvailable("concurrency_per_replica", service.modelServer)
    ? capacityShares.map((f) => (f ? round2(f * slots) : 0))
    : [0];
  const rateThresholds = capacityShares.map((f) => (f ? round2(f * perReplicaRps) : 0));
  const kvChoices = triggerAvailable("kv_cache_usage_percent", service.modelServer) ? kvThresholds : [0];
  const sizes: Record<Dimension, number> = {
    gpu: gpuThresholds.length,
    queue: queueThresholds.length,
    latency: latencyThresholds.length,
    concurrency: concurrencyThresholds.length,
    rate: rateThresholds.length,
    kv: kvChoices.length,
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
    if (p.latency) triggers.push({ type: "p99_latency_ms" as const, threshold: latencyThresholds[p.latency] });
    if (p.concurrency)
      triggers.push({ type: "concurrency_per_replica" as const, threshold: concurrencyThresholds[p.concurrency] });
    if (p.rate) triggers.push({ type: "arrival_rate_per_replica" as const, threshold: rateThresholds[p.rate] });
    if (p.kv) triggers.push({ type: "kv_cache_usage_percent" as const, threshold: kvChoices[p.kv] });
    const max = Math.max(maxChoices[p.max]!, minChoices[p.min]!, 1);
    return scalingProfileSchema.parse({
      name: "recommended",
      minReplicas: minChoices[p.min],
      maxReplicas: max,
      pollingInterval: 15,
      cooldownPeriod: 300,
      triggers,
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: upPolicies[p.upPolicy], selectPolicy: "Max" },
        scaleDown: {
          stabilizationWindowSeconds: downWindows[p.downWindow],
          policies: downPolicies[p.downPolicy],
          selectPolicy: "Max",
        },
      },
    });
  };

  const results = new Map<string, SimulationResult>();
  // Once a feasible profile is known, a candidate is dropped as soon as it costs more.
  let ceiling = bestFixedCount ? fixed(bestFixedCount).gpuHours : Number.POSITIVE_INFINITY;
  const evaluate = (p: Point): SimulationResult | null => {
    if (!p.gpu && !p.queue && !p.latency && !p.concurrency && !p.rate && !p.kv) return null;
    // minReplicas at or above maxReplicas holds that count whatever the triggers: the fixed count's replay.
    if (minChoices[p.min]! >= maxChoices[p.max]!) return fixed(Math.max(minChoices[p.min]!, 1));
    const key = JSON.stringify(p);
    let result = results.get(key);
    if (!result) {
      if (results.size >= budget || outOfTime(searchDeadline)) return null;
      result = simulate(toProfile(p), traffic, ceiling);
      results.set(key, result);
      if (meets(result)) ceiling = Math.min(ceiling, result.gpuHours);
    }
    return result;
  };
  // Feasible profiles first, cheapest first, then calmer; infeasible ones by how far they miss.
  const better = (a: SimulationResult, b: SimulationResult): boolean => {
    const fa = meets(a);
    const fb = meets(b);
    if (fa !== fb) return fa;
    if (!fa && a.sloViolationMinutes !== b.sloViolationMinutes) return a.sloViolationMinutes < b.sloViolationMinutes;
    if (Math.abs(a.gpuHours - b.gpuHours) > 1e-9) return a.gpuHours < b.gpuHours;
    return a.scaleEvents < b.scaleEvents;
  };

  // Seeds, in the order they pay. The ceiling at the best fixed count (or the one above the peak): a profile
  // that never holds more.
  const baseMax = bestFixedCount ? maxChoices.indexOf(cap(bestFixedCount)) : Math.min(3, maxChoices.length - 1);
  const base: Point = {
    gpu: 0,
    queue: 0,
    latency: 0,
    concurrency: 0,
    rate: 0,
    kv: 0,
    min: 0,
    max: baseMax,
    downWindow: 4,
    downPolicy: 0,
    upPolicy: 0,
  };
  const minIndex = (m: number) => minChoices.indexOf(cap(Math.max(1, m)));
  const bySoundness = (a: { result: SimulationResult }, b: { result: SimulationResult }) =>
    better(a.result, b.result) ? -1 : better(b.result, a.result) ? 1 : 0;
  // Coordinate descent: move one dimension one step while it helps.
  const descend = (seed: { point: Point; result: SimulationResult }) => {
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
  };

  // First the leading indicators (requests in flight, completions, KV cache), which rise with the load before
  // latency does: a replica started on them is ready sooner after a ramp, so the floor can sit further below the
  // best fixed count. A replica takes a start-up delay to serve, so the floor must still absorb a burst shorter
  // than that: floors one to four under the fixed count, fast scale-up (the HPA's 200 % / 10 pods per 15 s),
  // and a ceiling two over the fixed count or the oracle's peak, for the bursts the floor does not cover. Each
  // is tried with a long scale-down window (keep what a burst started for the next one) and the default 300 s.
  const leadingSeeds: { point: Point; result: SimulationResult }[] = [];
  const leadingMax = bestFixedCount
    ? maxChoices.indexOf(cap(Math.max(bestFixedCount, peak) + 2))
    : maxChoices.indexOf(cap(peak + 2));
  const share = (f: number) => capacityShares.indexOf(f);
  const long = downWindows.indexOf(1800);
  const short = downWindows.indexOf(300);
  const slowShed = downPolicies.findIndex((p) => p?.[0]?.type === "Pods" && p[0].periodSeconds === 120);
  // Most promising first, so that a cut budget has tried them: concurrency at 0.7 and 0.85 of a replica's batch
  // and 70 % KV cache with the long window (a steady trace: hold what a burst started), then low shares with
  // the default window, shedding one replica per 2 minutes (a trace that swings far below its peak: follow the
  // curve, with room for a burst shorter than the start-up delay in what a low share leaves free).
  const leadingTriggers: [Dimension, number, number, number][] = [
    ["concurrency", share(0.7), long, 0],
    ["concurrency", share(0.85), long, 0],
    ["kv", kvThresholds.indexOf(70), long, 0],
    ["concurrency", share(0.3), short, slowShed],
    ["concurrency", share(0.5), short, slowShed],
    ["concurrency", share(0.4), short, slowShed],
    ["concurrency", share(0.5), long, 0],
    ["concurrency", share(0.3), long, 0],
    ["concurrency", share(0.7), short, slowShed],
    ["rate", share(0.7), long, 0],
    ["kv", kvThresholds.indexOf(50), short, slowShed],
  ];
  // On a trace whose peak is at least twice its median the slow-shedding low shares are the likelier winners:
  // tried first, a cut budget reaches them.
  if (peak >= 2 * quantile(0.5)) {
    const swinging = leadingTriggers.filter(([, , , policy]) => policy === slowShed);
    leadingTriggers.splice(
      0,
      leadingTriggers.length,
      ...swinging,
      ...leadingTriggers.filter((t) => !swinging.includes(t)),
    );
  }
  // For each, the lowest floor that still meets the target, by bisection over the floor choices up to two under
  // the fixed count (or the oracle's median without one): cost falls and misses grow as the floor drops. The
  // choices thin out below the fixed count (quantiles of the oracle's counts), so a trace whose load swings far
  // below its peak is covered in a few runs.
  const startMin = minIndex(bestFixedCount ? bestFixedCount - 2 : quantile(0.5));
  for (const [dim, i, downWindow, downPolicy] of leadingTriggers) {
    if (i < 0 || i >= sizes[dim] || startMin < 0 || downPolicy < 0) continue;
    const at = (min: number) => ({ ...base, [dim]: i, min, max: leadingMax, upPolicy: 1, downWindow, downPolicy });
    const first = evaluate(at(startMin));
    if (!first) break;
    // Dearer than the best so far (abortedBy gpuHours) says nothing of misses: a lower floor may be cheaper.
    const missed = (r: SimulationResult) => !meets(r) && r.abortedBy !== "gpuHours";
    if (missed(first)) {
      // Misses even there: still a seed, whose floor the descent may raise.
      leadingSeeds.push({ point: at(startMin), result: first });
      continue;
    }
    let lowest = meets(first) ? { point: at(startMin), result: first } : null;
    let lo = 0;
    let hi = startMin;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const result = evaluate(at(mid));
      if (!result) break;
      if (missed(result)) lo = mid + 1;
      else {
        hi = mid;
        if (meets(result)) lowest = { point: at(mid), result };
      }
    }
    if (lowest) leadingSeeds.push(lowest);
  }
  leadingSeeds.sort(bySoundness);
  for (const seed of leadingSeeds.slice(0, 2)) descend(seed);

  // Then each of the other triggers at each threshold, from the median and a low minimum, default behavior.
  // A floor near the median of the oracle's counts, and just under the best fixed count (a floor that absorbs
  // the bursts, the trigger adding the rest). Floors lower still lose to the start-up delay on every ramp: the
  // descent below reaches them from these when they do pay.
  const seedMins = unique(
    [quantile(0.5), ...(bestFixedCount ? [bestFixedCount - 2, bestFixedCount - 1] : [quantile(0.1)])].map(minIndex),
  ).filter((i) => i >= 0);
  const seeds: { point: Point; result: SimulationResult }[] = [];
  for (const dim of ["queue", "latency", "gpu"] as const) {
    // DCGM's busy time is near 100 % whenever anything decodes, so a GPU trigger holds maxReplicas on any trace
    // without idle stretches, whatever minReplicas is: one minimum is enough to find out.
    const mins = dim === "gpu" ? seedMins.slice(-1) : seedMins;
    for (let i = 1; i < sizes[dim]; i++) {
      for (const min of mins) {
        const point = { ...base, [dim]: i, min };
        const result = evaluate(point);
        if (result) seeds.push({ point, result });
      }
    }
  }
  seeds.sort(bySoundness);
  for (const seed of seeds.slice(0, 2)) descend(seed);

  // Robustness: the candidates that meet the target on the trace, cheapest first, are replayed on the
  // perturbed traces; the first that, on each replay, misses the SLO in at most robustnessToleranceMinutes more
  // minutes than the best fixed count does on that same replay wins. Compared replay by replay, the margin
  // asks the same of both: a burst the fixed count also misses is not held against the candidate, and one
  // minute of slack per replay keeps the comparison from turning on a single request at a minute's edge. The
  // best fixed count always qualifies, so the recommendation never costs more than it.
  const perturbed = perturbations.map((kind) => perturbTraffic(traffic, kind));
  const fixedPerturbed = bestFixedCount
    ? perturbed.map((t) =>
        simulate(fixedProfile(bestFixedCount), t, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY),
      )
    : null;
  const allowed = fixedPerturbed?.map((r) => r.sloViolationMinutes + robustnessToleranceMinutes) ?? null;
  // A candidate's replays stop as soon as one misses more minutes than allowed (its exact figure is not needed):
  // the violation minutes per replay, or the index of the replay it failed.
  const perturbedViolations = (profile: ScalingProfile): { violations: number[] } | { failed: number } => {
    const violations: number[] = [];
    for (let k = 0; k < perturbed.length; k++) {
      const v = simulate(profile, perturbed[k], Number.POSITIVE_INFINITY, allowed![k]).sloViolationMinutes;
      if (v > allowed![k]!) return { failed: k };
      violations.push(v);
    }
    return { violations };
  };
  const feasible = [...results.values()]
    .filter((r) => !r.aborted && meets(r))
    .sort((a, b) => a.gpuHours - b.gpuHours || a.scaleEvents - b.scaleEvents);
  let chosen: ScalingProfile | null = null;
  let chosenPerturbed: number[] | null = null;
  let cheapestRefused: ScalingRecommendation["robustness"]["cheapestRefused"] = null;
  for (const candidate of feasible.slice(0, 16)) {
    if (!allowed || (bestFixedCount && candidate.gpuHours >= fixed(bestFixedCount).gpuHours)) break;
    // Out of time, the fixed count (robust by construction) stands rather than an unchecked candidate.
    if (outOfTime()) break;
    const checked = perturbedViolations(candidate.profile);
    if ("violations" in checked) {
      chosen = { ...candidate.profile, name: "recommended" };
      chosenPerturbed = checked.violations;
      break;
    }
    cheapestRefused ??= {
      profile: candidate.profile,
      gpuHours: candidate.gpuHours,
      replay: perturbations[checked.failed]!,
      allowedMinutes: allowed[checked.failed]!,
    };
  }
  if (!chosen) {
    chosen = bestFixedCount
      ? { ...fixedProfile(bestFixedCount), name: "recommended" }
      : ([...results.values()].filter((r) => !r.aborted).sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0))[0]
          ?.profile ?? fixedProfile(fixedLimit));
    chosenPerturbed = bestFixedCount ? (fixedPerturbed?.map((r) => r.sloViolationMinutes) ?? null) : null;
  }

  const recommended = simulateProfile({ traffic, profile: chosen, service, sloP99Ms, sloLatency });
  const ratio = (gpuHours: number) => (gpuHours > 0 ? recommended.gpuHours / gpuHours : Number.NaN);
  const clairvoyant = clairvoyantGpuHours(oracle.replicasPerMinute, service);
  const best = bestFixedCount ? fixed(bestFixedCount) : null;
  return {
    recommended,
    reference: simulateProfile({ traffic, profile: referenceProfile, service, sloP99Ms, sloLatency }),
    oracleGpuHours: oracle.gpuHours,
    unavoidableViolationMinutes: oracle.unavoidableViolationMinutes,
    bounds: {
      oracle: { gpuHours: oracle.gpuHours, ratio: ratio(oracle.gpuHours) },
      clairvoyant: { gpuHours: clairvoyant, ratio: ratio(clairvoyant) },
      bestFixed:
        best && bestFixedCount
          ? {
              replicas: bestFixedCount,
              gpuHours: best.gpuHours,
              sloViolationMinutes: best.sloViolationMinutes,
              ratio: ratio(best.gpuHours),
            }
          : null,
    },
    serviceFloorMs: floor,
    robustness: {
      replays: [...perturbations],
      toleranceMinutes: robustnessToleranceMinutes,
      bestFixedViolationMinutes: fixedPerturbed?.map((r) => r.sloViolationMinutes) ?? null,
      recommendedViolationMinutes: chosenPerturbed,
      cheapestRefused,
    },
    evaluations: results.size + fixedResults.size,
    timedOut,
  };
}

// A profile that holds n replicas: min = max, so neither KEDA nor the HPA can move it (its behavior, stated so
// that the plan carries it as is, never comes into play).
export function fixedProfile(n: number): ScalingProfile {
  return scalingProfileSchema.parse({
    name: `fixed-${n}`,
    minReplicas: n,
    maxReplicas: n,
    triggers: [{ type: "queue_depth", threshold: 1_000_000 }],
    behavior: {},
  });
}

// The oracle's minute-by-minute counts held by a controller that knows the future but pays the start-up: a
// replica must be started (and billed) one start-up delay before the minute that needs it. Replicas are
// interchangeable, so each level k (the k-th replica) is planned alone: it runs in every minute whose count
// reaches k, and across a gap of g minutes it either keeps running (g minutes billed) or stops and starts
// again (one start-up billed), whichever is cheaper. Replicas running when the window opens paid their
// start-up before it, as the replayed profiles' did during the warm-up.
export function clairvoyantGpuHours(replicasPerMinute: readonly number[], service: ServiceModel): number {
  const peak = Math.max(0, ...replicasPerMinute);
  let replicaSeconds = 0;
  for (let level = 1; level <= peak; level++) {
    let lastNeeded = -1;
    for (let m = 0; m < replicasPerMinute.length; m++) {
      if (replicasPerMinute[m]! < level) continue;
      replicaSeconds += 60;
      if (lastNeeded < 0) replicaSeconds += m === 0 ? 0 : service.startupDelaySeconds;
      else if (m > lastNeeded + 1) replicaSeconds += Math.min((m - lastNeeded - 1) * 60, service.startupDelaySeconds);
      lastNeeded = m;
    }
  }
  return (replicaSeconds * service.gpusPerReplica) / 3600;
}

function unique(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}
