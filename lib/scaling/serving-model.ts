// What one replica of the served model can do, in closed form: the time of one engine step, the latency of a
// request served alone, and how many requests fit at once. The replica pool runs the same step model event by
// event; the oracle, the service floor and the plotted capacity use these closed forms.
import type { LlmServiceModel, ServiceModel } from "./schema";
import type { Traffic } from "./traffic";

// Seconds one engine step takes with this many tokens in it (decode tokens plus prompt chunk): the slower of
// reading the weights once (memory-bound) and computing the tokens (compute-bound), the roofline.
export function stepSeconds(service: LlmServiceModel, tokens: number): number {
  return Math.max(1 / service.decodeStepsPerSecond, tokens / service.prefillTokensPerSecond);
}

// Time to first token of a prompt on an idle replica: chunks of at most maxBatchedTokens, one step each; the
// last chunk's step samples the first token.
export function aloneTtftSeconds(service: LlmServiceModel, contextTokens: number): number {
  const budget = service.maxBatchedTokens;
  const full = Math.floor(contextTokens / budget);
  const rest = contextTokens - full * budget;
  return full * stepSeconds(service, budget) + (rest > 0 || full === 0 ? stepSeconds(service, rest) : 0);
}

// End-to-end latency of a request on an idle replica: its first token, then one decode step per further token.
export function aloneE2eSeconds(service: LlmServiceModel, contextTokens: number, generatedTokens: number): number {
  return aloneTtftSeconds(service, contextTokens) + Math.max(0, generatedTokens - 1) * stepSeconds(service, 1);
}

// Mean prompt and output tokens of the trace (the service's defaults for a trace without token counts).
const meanCache = new WeakMap<Traffic, { context: number | null; generated: number | null }>();
export function meanTokens(traffic: Traffic, service: LlmServiceModel): { context: number; generated: number } {
  let cached = meanCache.get(traffic);
  if (!cached)
    meanCache.set(
      traffic,
      (cached = {
        context: meanOf(traffic, traffic.contextTokens),
        generated: meanOf(traffic, traffic.generatedTokens),
      }),
    );
  return {
    context: cached.context ?? service.defaultContextTokens,
    generated: cached.generated ?? service.defaultGeneratedTokens,
  };
}

function meanOf(traffic: Traffic, tokens: Float64Array | null): number | null {
  if (!tokens) return null;
  const n = traffic.arrivals.length || 1;
  let s = 0;
  for (const v of tokens) s += v;
  return s / n;
}

// Requests of the trace's mean size that run at once on one replica: max_num_seqs or the KV cache, whichever
// binds first.
export function concurrentRequests(traffic: Traffic, service: ServiceModel): number {
  if (service.kind === "requests") return service.maxConcurrentRequests;
  const { context, generated } = meanTokens(traffic, service);
  return Math.max(
    1,
    Math.min(service.maxConcurrentSequences, Math.floor(service.kvCacheTokens / Math.max(1, context + generated))),
  );
}

// Mean seconds a request of the trace's mean size holds its place in the batch when the replica is full:
// its prompt's share of compute, then one memory-bound step per output token.
export function meanHoldSeconds(traffic: Traffic, service: ServiceModel): number {
  if (service.kind === "requests") return service.maxConcurrentRequests / service.requestsPerSecondPerReplica;
  const { context, generated } = meanTokens(traffic, service);
  const batch = concurrentRequests(traffic, service);
  const hold = context / service.prefillTokensPerSecond + generated * stepSeconds(service, batch);
  // A trace of empty requests still has a finite capacity to plot.
  return hold > 0 ? hold : 1e-3;
}
