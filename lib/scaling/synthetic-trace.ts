// A deterministic synthetic LLM trace for demos (the Azure file cannot ship with the app) and for tests that
// must not depend on one real trace. Arrivals are a Poisson process whose rate follows a diurnal curve
// compressed into the window plus occasional bursts; token counts are log-normal. Same seed, same trace.
import { mulberry32 } from "@/lib/costs/prng";
import type { Traffic } from "./traffic";

export interface SyntheticTraceOptions {
  seed?: number;
  durationSeconds?: number;
  meanRequestsPerSecond?: number;
  // Peak-to-mean swing of the diurnal curve, 0..1.
  diurnalAmplitude?: number;
  // Length of one diurnal cycle; the default compresses a day into the window.
  periodSeconds?: number;
  // Bursts: how many, how long, and the rate multiplier during one.
  bursts?: number;
  burstSeconds?: number;
  burstMultiplier?: number;
  meanContextTokens?: number;
  meanGeneratedTokens?: number;
  startEpochMs?: number;
}

export function generateSyntheticTrace(options: SyntheticTraceOptions = {}): Traffic {
  const o = {
    seed: 42,
    durationSeconds: 3600,
    meanRequestsPerSecond: 5,
    diurnalAmplitude: 0.45,
    bursts: 3,
    burstSeconds: 90,
    burstMultiplier: 1.8,
    meanContextTokens: 1100,
    meanGeneratedTokens: 220,
    startEpochMs: Date.UTC(2024, 0, 1, 12, 0, 0),
    ...options,
  };
  const period = o.periodSeconds ?? o.durationSeconds;
  const random = mulberry32(o.seed);
  const burstStarts = Array.from(
    { length: o.bursts },
    () => random() * Math.max(0, o.durationSeconds - o.burstSeconds),
  );
  const rateAt = (t: number) => {
    const diurnal = 1 - o.diurnalAmplitude * Math.cos((2 * Math.PI * t) / period);
    const burst = burstStarts.some((b) => t >= b && t < b + o.burstSeconds) ? o.burstMultiplier : 1;
    return o.meanRequestsPerSecond * diurnal * burst;
  };
  const peak = o.meanRequestsPerSecond * (1 + o.diurnalAmplitude) * o.burstMultiplier;
  // Thinning (Lewis & Shedler): candidates at the peak rate, each kept with probability rate(t) / peak.
  const arrivals: number[] = [];
  const context: number[] = [];
  const generated: number[] = [];
  let t = 0;
  for (;;) {
    t += -Math.log(1 - random()) / peak;
    if (t >= o.durationSeconds) break;
    if (random() * peak > rateAt(t)) continue;
    arrivals.push(t);
    context.push(logNormalTokens(random, o.meanContextTokens, 0.8, 16_000));
    generated.push(logNormalTokens(random, o.meanGeneratedTokens, 0.7, 2_000));
  }
  return {
    arrivals: Float64Array.from(arrivals),
    contextTokens: Float64Array.from(context),
    generatedTokens: Float64Array.from(generated),
    durationSeconds: o.durationSeconds,
    startEpochMs: o.startEpochMs,
  };
}

// The trace in the Azure LLM CSV format, so that tests and demos can exercise the upload path.
export function traceToAzureCsv(traffic: Traffic): string {
  const rows = ["TIMESTAMP,ContextTokens,GeneratedTokens"];
  for (let i = 0; i < traffic.arrivals.length; i++) {
    const iso = new Date(traffic.startEpochMs + traffic.arrivals[i]! * 1000).toISOString();
    const stamp = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
    rows.push(`${stamp},${traffic.contextTokens?.[i] ?? 0},${traffic.generatedTokens?.[i] ?? 0}`);
  }
  return rows.join("\n") + "\n";
}

function logNormalTokens(random: () => number, mean: number, sigma: number, cap: number): number {
  // Box-Muller; mu chosen so that the distribution's mean is `mean`.
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const mu = Math.log(mean) - (sigma * sigma) / 2;
  return Math.max(1, Math.min(cap, Math.round(Math.exp(mu + sigma * z))));
}
