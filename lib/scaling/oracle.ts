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

export function computeOracle(traffic: Traffic, service: ServiceModel, sloP99Ms: number, sloLatency: LatencyKind = "ttft", replicaLimit = Number.POSITIVE_INFINITY): OracleResult {
  const instant: ServiceModel = { ...service, startupDelaySeconds: 0 };
  const minutes = Math.ceil(traffic.durationSeconds / 60);
  const pool = new ReplicaPool(instant, traffic, 0);
  const replicasPerMinute: number[] = [];
  let first = 0;
  let unavoidable = 0;
  for (let m = 0; m < minutes; m++) {
    const from = m * 60;
    let last = first;
    while (last < traffic.arrivals.length && traffic.arrivals[last] < from + 60) last++;
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
    // limit cannot serve the minute as well as `upper` does, no profile can, and searching up there is wasted time.
    let top = upper;
    if (last !== first && upper > replicaLimit && !meets(replicaLimit)) {
      if (meets(upper) || p99With(replicaLimit) > p99With(upper)) {
        const replicaMinutes = replicasPerMinute.reduce((a, b) => a + b, 0);
        return { gpuHours: (replicaMinutes * service.gpusPerReplica) / 60, replicasPerMinute, unavoidableViolationMinutes: unavoidable, replicaLimitExceeded: { minute: m } };
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
  return { gpuHours: (replicaMinutes * service.gpusPerReplica) / 60, replicasPerMinute, unavoidableViolationMinutes: unavoidable };

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
