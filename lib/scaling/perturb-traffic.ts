// Perturbed replays of a trace, for scoring a profile with a margin: a profile tuned to one hour's exact arrival
// times can fail on the next hour, which has the same shape but not the same seconds.
import type { Traffic } from "./traffic";

export const perturbations = ["rate+10%", "shifted"] as const;
export type Perturbation = (typeof perturbations)[number];

export function perturbTraffic(traffic: Traffic, kind: Perturbation): Traffic {
  return kind === "rate+10%" ? withExtraRequests(traffic, 10) : shifted(traffic, 7);
}

// Every tenth request arrives twice (the copy 0.5 s later): 10 % more load with the trace's own burst shape.
function withExtraRequests(traffic: Traffic, every: number): Traffic {
  const n = traffic.arrivals.length;
  const times: { t: number; i: number }[] = [];
  for (let i = 0; i < n; i++) {
    times.push({ t: traffic.arrivals[i]!, i });
    if (i % every === every - 1) times.push({ t: Math.min(traffic.durationSeconds, traffic.arrivals[i]! + 0.5), i });
  }
  times.sort((a, b) => a.t - b.t);
  const pick = (tokens: Float64Array | null) => (tokens ? Float64Array.from(times, (x) => tokens[x.i]!) : null);
  return {
    arrivals: Float64Array.from(times, (x) => x.t),
    contextTokens: pick(traffic.contextTokens),
    generatedTokens: pick(traffic.generatedTokens),
    durationSeconds: traffic.durationSeconds,
    startEpochMs: traffic.startEpochMs,
  };
}

// The whole trace moved by a few seconds (wrapping at the end): every burst meets the autoscaler's 15 s clock
// (scrapes, polls, syncs) at another phase.
function shifted(traffic: Traffic, seconds: number): Traffic {
  const n = traffic.arrivals.length;
  const d = traffic.durationSeconds;
  const order = Array.from({ length: n }, (_, i) => i).map((i) => ({ t: (traffic.arrivals[i]! + seconds) % d, i }));
  order.sort((a, b) => a.t - b.t);
  const pick = (tokens: Float64Array | null) => (tokens ? Float64Array.from(order, (x) => tokens[x.i]!) : null);
  return {
    arrivals: Float64Array.from(order, (x) => x.t),
    contextTokens: pick(traffic.contextTokens),
    generatedTokens: pick(traffic.generatedTokens),
    durationSeconds: d,
    startEpochMs: traffic.startEpochMs,
  };
}
