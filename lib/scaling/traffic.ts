// Traffic as the simulator consumes it: requests in arrival order, times in seconds from the start of the
// trace. Token counts are present for LLM traces (Azure format) and absent for request-rate histories.
export interface Traffic {
  // Arrival times in seconds since the trace start, non-decreasing.
  arrivals: Float64Array;
  // Prompt (context) tokens and generated tokens per request; null when the source has no token counts.
  contextTokens: Float64Array | null;
  generatedTokens: Float64Array | null;
  // Length of the observed window in seconds (at least the last arrival).
  durationSeconds: number;
  // Wall-clock start of the trace in epoch milliseconds, for display only.
  startEpochMs: number;
}

// Bounds of any trace the simulator accepts, whatever its source (file, browser upload, Prometheus): every
// request costs the simulator a few arrays' worth of memory and every 15 s of span one autoscaler step, so a
// trace past these would exhaust memory (V8's "invalid size") long before it answered.
export const maxTraceRequests = 2_000_000;
// Eight days: a week of Prometheus history (the CLI's and the page's 168 hours at most) and its last step fit.
export const maxTraceSpanSeconds = 8 * 24 * 3600;

// The bound a trace of this many requests over this span breaks, as a message naming the limit; null within them.
export function traceBoundsError(requests: number, spanSeconds: number): string | null {
  if (!(spanSeconds <= maxTraceSpanSeconds)) {
    return `trace spans ${formatCount(spanSeconds)} s, more than the limit of ${maxTraceSpanSeconds} s (8 days): cut it to a shorter window`;
  }
  if (!(requests <= maxTraceRequests)) {
    return `trace holds ${formatCount(requests)} requests, more than the limit of ${maxTraceRequests}: cut it to a shorter window or a lower rate`;
  }
  return null;
}

function formatCount(n: number): string {
  return n < 1e9 ? String(Math.round(n)) : n.toExponential(2);
}

export interface RatePoint {
  // Epoch seconds (Prometheus range-query timestamps).
  timestamp: number;
  requestsPerSecond: number;
}

export class TraceBoundsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TraceBoundsError";
  }
}

// Spreads each interval's requests evenly over it, carrying fractions forward, so that a rate series
// becomes the same deterministic arrival list every time. The rate of point i holds until point i+1;
// the last point holds for the median step. Throws TraceBoundsError past maxTraceRequests / maxTraceSpanSeconds.
export function trafficFromRateSeries(points: readonly RatePoint[]): Traffic {
  if (points.length === 0) throw new Error("rate series is empty: give at least one point");
  const sorted = [...points].sort((a, b) => a.timestamp - b.timestamp);
  const steps = sorted
    .slice(1)
    .map((p, i) => p.timestamp - sorted[i]!.timestamp)
    .filter((s) => s > 0);
  const medianStep = steps.length ? [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)] : 60;
  const start = sorted[0]!.timestamp;
  let expectedRequests = 0;
  for (let i = 0; i < sorted.length; i++) {
    const length = i + 1 < sorted.length ? sorted[i + 1]!.timestamp - sorted[i]!.timestamp : medianStep;
    expectedRequests += Math.max(0, sorted[i]!.requestsPerSecond) * Math.max(0, length!);
  }
  const bounds = traceBoundsError(expectedRequests, sorted[sorted.length - 1]!.timestamp - start + medianStep!);
  if (bounds) throw new TraceBoundsError(bounds);
  const arrivals: number[] = [];
  let carry = 0;
  for (let i = 0; i < sorted.length; i++) {
    const rate = sorted[i]!.requestsPerSecond;
    if (!Number.isFinite(rate) || rate < 0) {
      throw new Error(`rate series point ${i + 1}: requests_per_second (${rate}) must be a number of 0 or more`);
    }
    const from = sorted[i]!.timestamp - start;
    const length = i + 1 < sorted.length ? sorted[i + 1]!.timestamp - sorted[i]!.timestamp : medianStep;
    if (length! <= 0) continue;
    const expected = rate * length! + carry;
    const count = Math.floor(expected);
    carry = expected - count;
    for (let k = 0; k < count; k++) arrivals.push(from + ((k + 0.5) * length!) / count);
  }
  const last = sorted[sorted.length - 1]!.timestamp - start + medianStep!;
  return {
    arrivals: Float64Array.from(arrivals),
    contextTokens: null,
    generatedTokens: null,
    durationSeconds: last,
    startEpochMs: start * 1000,
  };
}
