// The oracle: the fewest GPU-hours any policy could use on this trace, knowing the future and paying no
// start-up delay. Minute by minute it picks the smallest replica count that keeps that minute's p99 within
// the SLO, starting from the requests still in flight from the minutes before, and may change the count
// freely at every minute boundary. It bounds what a recommendation can reach.
import type { LatencyKind } from "./metric-definitions";
import { ReplicaPool } from "./replica-pool";
import type { ServiceModel } from "./schema";
import { percentileOfSorted } from "./percentile";
import type { Traffic } from "./traffic";

export interface OracleResult {
  gpuHours: number;
  // Replica count per minute of the trace.
  replicasPerMinute: number[];
  // Minutes no replica count can keep within the SLO (requests whose own processing exceeds it).
  unavoidableViolationMinutes: number;
  /** Set when a minute needs more replicas than the limit: the oracle stops there (its other fields are partial). */
  replicaLimitExceeded?: { minute: number };
}

export function computeOracle(
  traffic: Traffic,
  service: ServiceModel,
  sloP99Ms: number,
  sloLatency: LatencyKind = "ttft",
  replicaLimit = Number.POSITIVE_INFINITY,
): OracleResult {
  const instant: ServiceModel = { ...service, startupDelaySeconds: 0 };
  const minutes = Math.ceil(traffic.durationSeconds / 60);
  const pool = new ReplicaPool(instant, traffic, 0);
  const replicasPerMinute: number[] = [];
  let first = 0;
  let unavoidable = 0;
  for (let m = 0; m < minutes; m++) {
    const from = m * 60;
    let last = first;
    while (last < traffic.arrivals.length && traffic.arrivals[last]! < from + 60) last++;
    // Enough replicas for every request of the minute and everything in flight to have a replica of its own
    // (nothing queues, no prompt shares a step with another): no count serves the minute better.
    const upper = Math.max(1, last - first + pool.inFlight);
    let goal = sloP99Ms;
    const memo = new Map<number, number>();
    const p99With = (n: number) => {
      let v = memo.get(n);
      if (v === undefined) memo.set(n, (v = minuteP99(pool, n, from, first, last)));
      return v;
    };
    const meets = (n: number) => p99With(n) <= goal;
    // Each trial replays the whole minute on n replicas, so counts far above the limit are only tried once: if the
    // limit cannot serve the minute as well as more replicas do, no profile can, and searching up there is wasted time.
    let top = upper;
    if (last !== first && upper > replicaLimit && overComputeLimit(first, last)) {
      const replicaMinutes = replicasPerMinute.reduce((a, b) => a + b, 0);
      return {
        gpuHours: (replicaMinutes * service.gpusPerReplica) / 60,
        replicasPerMinute,
        unavoidableViolationMinutes: unavoidable,
        replicaLimitExceeded: { minute: m },
      };
    }
    if (last !== first && upper > replicaLimit && !meets(replicaLimit)) {
      // Twice the limit stands for "more than the limit": replaying a huge minute on one replica per request
      // would take minutes, and if doubling the count does not help, no larger count will.
      const beyond = Math.min(upper, 2 * replicaLimit);
      if (meets(beyond) || p99With(replicaLimit) > p99With(beyond)) {
        const replicaMinutes = replicasPerMinute.reduce((a, b) => a + b, 0);
        return {
          gpuHours: (replicaMinutes * service.gpusPerReplica) / 60,
          replicasPerMinute,
          unavoidableViolationMinutes: unavoidable,
          replicaLimitExceeded: { minute: m },
        };
      }
    }
    if (upper > replicaLimit) top = replicaLimit;
    let n: number;
    if (last === first) n = 0;
    else {
      // Traffic moves little from one minute to the next: bracket the answer around the previous count, and
      // replay the minute on `top` replicas only when nothing below meets the SLO.
      const previous = Math.min(top, Math.max(1, replicasPerMinute[m - 1] ?? 1));
      let lo = previous;
      let hi = previous;
      if (meets(previous)) {
        for (let step = 1; lo > 1 && meets(lo - 1); step *= 2) {
          hi = lo - 1;
          lo = Math.max(1, lo - step - 1);
        }
        n = smallestMeeting(meets, lo, hi);
      } else {
        for (let step = 1; hi < top && !meets(hi); step *= 2) {
          lo = hi + 1;
          hi = Math.min(top, hi + step);
        }
        if (meets(hi)) n = smallestMeeting(meets, lo, hi);
        else {
          // Even without queueing the minute misses the SLO (long prompts): no count does better, so the
          // oracle takes the fewest replicas that reach the best p99 there is.
          unavoidable++;
          goal = p99With(top);
          n = smallestMeeting(meets, 1, top);
        }
      }
    }
    pool.scaleTo(n, from);
    pool.advanceTo(from + 60 - 1e-9);
    replicasPerMinute.push(n);
    first = last;
  }
  const replicaMinutes = replicasPerMinute.reduce((a, b) => a + b, 0);
  return {
    gpuHours: (replicaMinutes * service.gpusPerReplica) / 60,
    replicasPerMinute,
    unavoidableViolationMinutes: unavoidable,
  };

  // Whether the limit's replicas could not even compute the first tokens of 99 % of the minute's requests by the
  // end of the minute plus the SLO, at full use: then no profile can serve it, and replaying the minute (millions
  // of requests) to find that out would take minutes.
  function overComputeLimit(first: number, last: number): boolean {
    const k = last - first;
    const needed = Math.ceil(0.99 * k);
    const seconds = 60 + sloP99Ms / 1000;
    if (service.kind === "requests") return needed / (replicaLimit * service.requestsPerSecondPerReplica) > seconds;
    const capacity = replicaLimit * service.prefillTokensPerSecond * seconds;
    const context = traffic.contextTokens;
    if (!context) return needed * service.defaultContextTokens > capacity;
    // The 99 % smallest prompts are the least work that meets the p99.
    const prompts = Float64Array.from(context.subarray(first, last)).sort();
    let work = 0;
    for (let i = 0; i < needed; i++) work += prompts[i]!;
    return work > capacity;
  }

  // Binary search: more replicas never make a minute slower.
  function smallestMeeting(meets: (n: number) => boolean, low: number, high: number): number {
    let lo = low;
    let hi = high;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (meets(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  function minuteP99(base: ReplicaPool, n: number, from: number, first: number, last: number): number {
    const trial = base.clone();
    trial.scaleTo(n, from);
    // Keep the count past the minute so that the minute's queued requests are served and measured.
    trial.advanceTo(from + 120);
    return percentileOfSorted(trial.latencyMs(sloLatency).slice(first, last).sort(), 0.99);
  }
}
