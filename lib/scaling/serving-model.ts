// What one replica of the served model can do, in closed form: the time of one engine step, the latency of a
// request served alone, and how many requests fit at once. The replica pool runs the same step model event by
// event; the oracle, the service floor and the plotted capacity use these closed forms.
import type { LlmServiceModel, ServiceModel } from "./schema";
import type { Traffic } from "./traffic";

// Seconds one engine step takes with this many tokens in it (decode tokens plus prompt chunk) while its decoding
// sequences hold kvTokens of KV cache: the slower of the memory reads (the weights once, plus every decoding
// sequence's KV cache) and computing the tokens (compute-bound), the roofline.
export function stepSeconds(service: LlmServiceModel, tokens: number, kvTokens = 0): number {
  return Math.max(
    1 / service.decodeStepsPerSecond + kvTokens * kvReadSecondsPerToken(service),
    tokens / service.prefillTokensPerSecond,
  );
}

// Seconds a step spends reading one token's KV cache.
export function kvReadSecondsPerToken(service: LlmServiceModel): number {
  return service.kvBytesPerToken / (service.memoryBandwidthGBps * 1e9);
}

// Time to first token of a prompt on an idle replica: chunks of at most maxBatchedTokens, one step each; the
// last chunk's step samples the first token.
export function aloneTtftSeconds(service: LlmServiceModel, contextTokens: number): number {
  const budget = service.maxBatchedTokens;
  const full = Math.floor(contextTokens / budget);
  const rest = contextTokens - full * budget;
  return full * stepSeconds(service, budget) + (rest > 0 || full === 0 ? stepSeconds(service, rest) : 0);
}

// End-to-end latency of a request on an idle replica: its first token, then one decode step per further token,
// each reading the request's KV cache as it stands (its prompt and the tokens so far: on average half the output).
export function aloneE2eSeconds(service: LlmServiceModel, contextTokens: number, generatedTokens: number): number {
  const further = Math.max(0, generatedTokens - 1);
  return aloneTtftSeconds(service, contextTokens) + further * stepSeconds(service, 1, contextTokens + further / 2);
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
  // A full batch reads the KV cache of every sequence in it, each on average half-way through its output.
  const hold =
    context / service.prefillTokensPerSecond +
    generated * stepSeconds(service, batch, batch * (context + generated / 2));
  // A trace of empty requests still has a finite capacity to plot.
  return hold > 0 ? hold : 1e-3;
}
