// Replays a trace through one scaling profile: KEDA and the HPA read what the triggers would measure on the
// simulated deployment and change its replica count; the result is what users would have seen and paid.
import { Autoscaler, hpaSyncPeriodSeconds, type TriggerMetrics } from "./autoscaler";
import { percentileOfSorted } from "./percentile";
import { ReplicaPool, type SloTracker } from "./replica-pool";
import {
  adapterDelaySeconds,
  metricDefinition,
  rateWindowSeconds,
  scrapeIntervalSeconds,
  type LatencyKind,
} from "./metric-definitions";
import { defaultMetricType, type ScalingProfile, type ServiceModel } from "./schema";
import { ScrapeWindow } from "./scrape-window";
import { concurrentRequests, meanHoldSeconds } from "./serving-model";
import type { Traffic } from "./traffic";

export interface SimulationSample {
  // Seconds from the start of the trace.
  t: number;
  demandRps: number;
  capacityRps: number;
  replicas: number;
  readyReplicas: number;
  queueDepth: number;
  p99LatencyMs: number;
  gpuUtilizationPercent: number;
}

export interface SimulationResult {
  profile: ScalingProfile;
  gpuHours: number;
  costUsd: number;
  // Over the SLO's latency (time to first token or end-to-end).
  p50LatencyMs: number;
  p99LatencyMs: number;
  sloViolationMinutes: number;
  scaleEvents: number;
  requests: number;
  unservedRequests: number;
  // Requests cut off when their replica's termination grace period ended.
  failedRequests: number;
  series: SimulationSample[];
  // Per minute of the trace, the p99 (nearest rank) of the SLO latency of the requests that arrived in it, NaN
  // for a minute without requests: a minute counts as a violation exactly when its value is above the SLO.
  // Empty unless detail is on.
  minuteP99Ms: number[];
  scrapes?: ScrapeRecord[];
  // True when the run stopped early at gpuHoursCeiling or violationMinutesCeiling (abortedBy says which); its
  // figures are then partial.
  aborted?: boolean;
  abortedBy?: "gpuHours" | "violations";
}

export interface SimulationInput {
  traffic: Traffic;
  profile: ScalingProfile;
  service: ServiceModel;
  sloP99Ms: number;
  // Which latency the SLO bounds; time to first token by default.
  sloLatency?: LatencyKind;
  // false skips the per-sync series and the overall p50/p99 (left NaN): the search's fast path.
  detail?: boolean;
  // Stop as soon as the profile is certain to use more GPU-hours than this (the search already has a cheaper
  // one): what it has used plus minReplicas for the rest of the window, which it holds at the least.
  gpuHoursCeiling?: number;
  // Stop as soon as more minutes than this are certain to violate the SLO (the search needs no more).
  violationMinutesCeiling?: number;
  // Keep every scrape (warm-up included) in the result: what the exporters would have served, for replaying
  // the deployed queries against a real Prometheus.
  recordScrapes?: boolean;
}

export interface ScrapeRecord {
  // Seconds from the start of the measured window (negative during the warm-up).
  t: number;
  readyPods: number;
  // The trigger quantities as the simulator read them at this scrape (NaN: no series).
  metrics: TriggerMetrics;
  gpuUtilizationPercent: number;
  // The latency exporter's counters: per-bucket counts, or [count, sum in ms] for a mean.
  latencyCounters: number[] | null;
  // vllm:num_requests_running and the request_success counter, summed over the pods.
  running: number;
  completed: number;
}

// Before the window opens the deployment has been running: the first ten minutes of the trace are replayed
// once, unmeasured, so that each profile starts from its own steady state rather than an arbitrary count.
export const warmupSeconds = 600;
// After the window closes, requests already queued are still served (no more scaling) for up to this long.
const drainSeconds = 3600;

interface Snapshot {
  t: number;
  metrics: TriggerMetrics;
  gpuAverage: number;
}

export function simulateProfile(input: SimulationInput): SimulationResult {
  const { traffic, profile, service, sloP99Ms, detail = true, gpuHoursCeiling = Number.POSITIVE_INFINITY } = input;
  const sloLatency = input.sloLatency ?? "ttft";
  const gpuTrigger = profile.triggers.find((t) => t.type === "gpu_utilization");
  // avg() over ready pods for a Value target (the plan engine's query), sum() for an AverageValue target.
  const gpuAsAverage = (gpuTrigger?.metricType ?? defaultMetricType.gpu_utilization) === "Value";
  const latencyQuantity = metricDefinition("p99_latency_ms", service.modelServer, sloLatency).simulated;
  // A trigger the model server cannot export is refused before anything runs (metricDefinition throws).
  for (const t of profile.triggers) metricDefinition(t.type, service.modelServer, sloLatency);
  const readsLatency = detail || profile.triggers.some((t) => t.type === "p99_latency_ms");
  const observer =
    readsLatency && (latencyQuantity.kind === "latency-quantile" || latencyQuantity.kind === "latency-mean")
      ? { kind: latencyQuantity.latency, window: new ScrapeWindow(latencyQuantity, scrapeIntervalSeconds) }
      : null;
  const readsKvCache = input.recordScrapes || profile.triggers.some((t) => t.type === "kv_cache_usage_percent");
  const warmup = Math.min(warmupSeconds, traffic.durationSeconds);
  const extended = warmedUp(traffic, warmup);
  const warmupRequests = extended.arrivals.length - traffic.arrivals.length;
  const end = warmup + traffic.durationSeconds;
  const meanHold = meanHoldSeconds(traffic, service);
  const slots = concurrentRequests(traffic, service);
  const slo =
    input.violationMinutesCeiling === undefined
      ? null
      : sloTracker(extended, warmupRequests, warmup, traffic.durationSeconds, sloP99Ms, sloLatency);
  const pool = new ReplicaPool(service, extended, initialReplicas(profile, extended, meanHold, slots), observer, slo);
  const autoscaler = new Autoscaler(profile, 0);
  const perReplicaRps = slots / meanHold;
  // KEDA and the HPA never hold fewer than minReplicas (the warm-up starts within [min, max]).
  const floorGpus = profile.minReplicas * service.gpusPerReplica;

  const series: SimulationSample[] = [];
  const scrapes: ScrapeRecord[] | undefined = input.recordScrapes ? [] : undefined;
  let scaleEvents = 0;
  let nextHpa = 0;
  let nextKeda = 0;
  let nextScrape = 0;
  let demandIndex = warmupRequests;
  let lastSampleT = warmup;
  let warmupGpuSeconds = 0;
  // The newest scrape and the one before: the autoscaler reads the newest that is adapterDelaySeconds old.
  let latest: Snapshot = { t: Number.NEGATIVE_INFINITY, metrics: missingMetrics(), gpuAverage: 0 };
  let previous: Snapshot = latest;
  const visible = (t: number) => (latest.t <= t - adapterDelaySeconds ? latest : previous);
  // The success counter at the last scrapes, newest last: rate() over the window reads the increase from the
  // oldest sample inside it (rateWindowSeconds - scrape ago) to the newest, over the time between them.
  const rateSpan = Math.round(rateWindowSeconds / scrapeIntervalSeconds) - 1;
  const completedAt: number[] = [];
  for (let t = 0; t <= end; t = Math.min(nextHpa, nextKeda, nextScrape)) {
    pool.advanceTo(t);
    if (t <= warmup) warmupGpuSeconds = pool.gpuSeconds(warmup);
    else if (
      gpuHoursCeiling < Number.POSITIVE_INFINITY &&
      (pool.gpuSeconds(t) - warmupGpuSeconds + floorGpus * (end - t)) / 3600 > gpuHoursCeiling
    ) {
      return abortedResult(profile, traffic.arrivals.length, scaleEvents, "gpuHours");
    }
    if (slo && pool.certainViolationMinutes > input.violationMinutesCeiling!)
      return abortedResult(profile, traffic.arrivals.length, scaleEvents, "violations");
    if (t === nextScrape) {
      const gpuSum = pool.sampleGpuUtilizationSum();
      const ready = pool.readyCount;
      const gpuAverage = ready ? gpuSum / ready : 0;
      previous = latest;
      completedAt.push(pool.completedRequests);
      if (completedAt.length > rateSpan + 1) completedAt.shift();
      const oldest = completedAt[0] ?? pool.completedRequests;
      const completionRate =
        completedAt.length > 1
          ? (pool.completedRequests - oldest) / ((completedAt.length - 1) * scrapeIntervalSeconds)
          : 0;
      // Every series comes from the ready pods: with none, each query is empty, which KEDA reports as an error.
      latest = {
        t,
        gpuAverage,
        metrics: ready
          ? {
              queue_depth: pool.queueDepth,
              gpu_utilization: gpuAsAverage ? gpuAverage : gpuSum,
              p99_latency_ms: observer ? pool.latencyMetric() : 0,
              concurrency_per_replica: pool.inFlight + pool.queueDepth,
              arrival_rate_per_replica: completionRate,
              kv_cache_usage_percent: readsKvCache ? pool.kvCacheUsagePercent() : 0,
            }
          : missingMetrics(),
      };
      scrapes?.push({
        t: t - warmup,
        readyPods: ready,
        metrics: latest.metrics,
        gpuUtilizationPercent: gpuAverage,
        latencyCounters: pool.latencyCounters(),
        running: pool.inFlight,
        completed: pool.completedRequests,
      });
      nextScrape += scrapeIntervalSeconds;
    }
    const seen = visible(t);
    // Changes from the moment the window opens count; those of the warm-up do not.
    const measured = t >= warmup;
    if (t === nextKeda) {
      const next = autoscaler.kedaPoll(t, pool.replicaCount, seen.metrics);
      if (next !== null && next !== pool.replicaCount) {
        pool.scaleTo(next, t);
        if (measured) scaleEvents++;
      }
      nextKeda += profile.pollingInterval;
    }
    if (t === nextHpa) {
      const next = autoscaler.hpaSync(t, pool.replicaCount, seen.metrics, pool.readyCount);
      if (next !== null) {
        pool.scaleTo(next, t);
        if (measured) scaleEvents++;
      }
      nextHpa += hpaSyncPeriodSeconds;
      if (detail && t >= warmup) {
        let arrived = 0;
        while (demandIndex < extended.arrivals.length && extended.arrivals[demandIndex]! <= t) {
          demandIndex++;
          arrived++;
        }
        const span = t - lastSampleT || hpaSyncPeriodSeconds;
        lastSampleT = t;
        series.push({
          t: t - warmup,
          demandRps: arrived / span,
          capacityRps: pool.readyCount * perReplicaRps,
          replicas: pool.replicaCount,
          readyReplicas: pool.readyCount,
          queueDepth: pool.queueDepth,
          p99LatencyMs: Number.isFinite(seen.metrics.p99_latency_ms) ? seen.metrics.p99_latency_ms : 0,
          gpuUtilizationPercent: seen.gpuAverage,
        });
      }
    }
  }
  const gpuSeconds = pool.gpuSeconds(end) - pool.gpuSeconds(warmup);
  pool.advanceTo(end + drainSeconds);
  const latencies = pool.latencyMs(sloLatency).subarray(warmupRequests);
  let unserved = 0;
  for (let i = 0; i < latencies.length; i++) {
    if (!Number.isFinite(latencies[i])) {
      // Never served (or cut off): count the whole wait until the drain ended.
      latencies[i] = (end + drainSeconds - extended.arrivals[warmupRequests + i]!) * 1000;
      unserved++;
    }
  }
  const gpuHours = gpuSeconds / 3600;
  const sorted = detail ? Float64Array.from(latencies).sort() : null;
  return {
    profile,
    gpuHours,
    costUsd: gpuHours * service.gpuHourUsd,
    p50LatencyMs: sorted ? percentileOfSorted(sorted, 0.5) : Number.NaN,
    p99LatencyMs: sorted ? percentileOfSorted(sorted, 0.99) : Number.NaN,
    sloViolationMinutes: countViolationMinutes(traffic.arrivals, latencies, traffic.durationSeconds, sloP99Ms),
    scaleEvents,
    requests: latencies.length,
    unservedRequests: unserved,
    failedRequests: pool.failedRequests,
    series,
    minuteP99Ms: detail ? minuteP99s(traffic.arrivals, latencies, traffic.durationSeconds) : [],
    ...(scrapes ? { scrapes } : {}),
  };
}

function missingMetrics(): TriggerMetrics {
  const nan = Number.NaN;
  return {
    queue_depth: nan,
    gpu_utilization: nan,
    p99_latency_ms: nan,
    concurrency_per_replica: nan,
    arrival_rate_per_replica: nan,
    kv_cache_usage_percent: nan,
  };
}

function abortedResult(
  profile: ScalingProfile,
  requests: number,
  scaleEvents: number,
  abortedBy: "gpuHours" | "violations",
): SimulationResult {
  const inf = Number.POSITIVE_INFINITY;
  return {
    profile,
    gpuHours: inf,
    costUsd: inf,
    p50LatencyMs: Number.NaN,
    p99LatencyMs: Number.NaN,
    sloViolationMinutes: inf,
    scaleEvents,
    requests,
    unservedRequests: 0,
    failedRequests: 0,
    series: [],
    minuteP99Ms: [],
    aborted: true,
    abortedBy,
  };
}

// Per request of the extended trace its minute of the measured window, and per minute how many of its requests
// may be over the SLO before its p99 is (see countViolationMinutes).
function sloTracker(
  extended: Traffic,
  warmupRequests: number,
  warmup: number,
  durationSeconds: number,
  sloMs: number,
  kind: LatencyKind,
): SloTracker {
  const minutes = Math.ceil(durationSeconds / 60);
  const minuteOf = new Int32Array(extended.arrivals.length).fill(-1);
  const counts = new Int32Array(minutes);
  for (let i = warmupRequests; i < extended.arrivals.length; i++) {
    // As countViolationMinutes: a request at or past the last minute's end belongs to no minute.
    const m = Math.floor((extended.arrivals[i]! - warmup) / 60);
    if (m >= minutes) continue;
    minuteOf[i] = m;
    counts[m]!++;
  }
  const allowedOver = counts.map((k) => k - Math.max(1, Math.ceil(0.99 * k)));
  return { kind, sloMs, minuteOf, allowedOver };
}

// Each minute's nearest-rank p99: the ceil(0.99 k)-th smallest latency of its k requests.
export function minuteP99s(
  arrivals: ArrayLike<number>,
  latencyMs: ArrayLike<number>,
  durationSeconds: number,
): number[] {
  const minutes = Math.ceil(durationSeconds / 60);
  const out: number[] = [];
  let i = 0;
  for (let m = 0; m < minutes; m++) {
    const from = i;
    while (i < arrivals.length && arrivals[i]! < (m + 1) * 60) i++;
    const k = i - from;
    if (k === 0) {
      out.push(Number.NaN);
      continue;
    }
    const sorted = Float64Array.from({ length: k }, (_, j) => latencyMs[from + j]!).sort();
    out.push(sorted[Math.max(1, Math.ceil(0.99 * k)) - 1]!);
  }
  return out;
}

// Minutes (by arrival) whose requests' p99 latency is above the SLO. Minutes without requests do not count.
export function countViolationMinutes(
  arrivals: ArrayLike<number>,
  latencyMs: ArrayLike<number>,
  durationSeconds: number,
  sloP99Ms: number,
): number {
  const minutes = Math.ceil(durationSeconds / 60);
  let violations = 0;
  let i = 0;
  for (let m = 0; m < minutes; m++) {
    const from = i;
    while (i < arrivals.length && arrivals[i]! < (m + 1) * 60) i++;
    const k = i - from;
    if (k === 0) continue;
    // The minute violates when more than k - rank(p99) of its requests are over the SLO.
    let over = 0;
    for (let j = from; j < i; j++) if (latencyMs[j]! > sloP99Ms) over++;
    if (over > k - Math.max(1, Math.ceil(0.99 * k))) violations++;
  }
  return violations;
}

// The warm-up starts from the count that serves the first minute at full load, within min/max.
function initialReplicas(profile: ScalingProfile, traffic: Traffic, meanHold: number, slots: number): number {
  let firstMinute = 0;
  while (firstMinute < traffic.arrivals.length && traffic.arrivals[firstMinute]! < 60) firstMinute++;
  const needed = Math.ceil(((firstMinute / 60) * meanHold) / slots);
  return Math.min(profile.maxReplicas, Math.max(profile.minReplicas, needed));
}

// A search replays one trace through hundreds of profiles: its warmed-up copy is built once.
const warmedUpCache = new WeakMap<Traffic, { warmup: number; extended: Traffic }>();
function warmedUp(traffic: Traffic, warmup: number): Traffic {
  const cached = warmedUpCache.get(traffic);
  if (cached && cached.warmup === warmup) return cached.extended;
  const extended = withWarmup(traffic, warmup);
  warmedUpCache.set(traffic, { warmup, extended });
  return extended;
}

function withWarmup(traffic: Traffic, warmup: number): Traffic {
  let n = 0;
  while (n < traffic.arrivals.length && traffic.arrivals[n]! < warmup) n++;
  // The warm-up copy of the first minutes comes first; the measured trace follows, shifted by the warm-up.
  const arrivals = new Float64Array(n + traffic.arrivals.length);
  arrivals.set(traffic.arrivals.subarray(0, n), 0);
  for (let i = 0; i < traffic.arrivals.length; i++) arrivals[n + i] = traffic.arrivals[i]! + warmup;
  const joinTokens = (tokens: Float64Array | null) => {
    if (!tokens) return null;
    const out = new Float64Array(n + tokens.length);
    out.set(tokens.subarray(0, n), 0);
    out.set(tokens, n);
    return out;
  };
  return {
    arrivals,
    contextTokens: joinTokens(traffic.contextTokens),
    generatedTokens: joinTokens(traffic.generatedTokens),
    durationSeconds: traffic.durationSeconds + warmup,
    startEpochMs: traffic.startEpochMs - warmup * 1000,
  };
}
