import { describe, expect, it } from "vitest";
import { ReplicaPool } from "./replica-pool";
import { llmServiceModelSchema, scalingProfileSchema, serviceModelSchema } from "./schema";
import { countViolationMinutes, simulateProfile } from "./simulate";
import { stepSeconds } from "./serving-model";
import type { Traffic } from "./traffic";

const traffic = (arrivals: number[], durationSeconds = 60, tokens?: [number[], number[]]): Traffic => ({
  arrivals: Float64Array.from(arrivals),
  contextTokens: tokens ? Float64Array.from(tokens[0]) : null,
  generatedTokens: tokens ? Float64Array.from(tokens[1]) : null,
  durationSeconds,
  startEpochMs: 0,
});

describe("ReplicaPool", () => {
  it("queues FIFO when slots are full: one 1-second slot serves three requests at t=0 in 1, 2 and 3 s", () => {
    const service = serviceModelSchema.parse({
      kind: "requests",
      requestsPerSecondPerReplica: 1,
      maxConcurrentRequests: 1,
    });
    const pool = new ReplicaPool(service, traffic([0, 0, 0]), 1);
    pool.advanceTo(10);
    expect(Array.from(pool.ttftMs)).toEqual([1000, 2000, 3000]);
  });

  it("measures LLM latency as time to first token: prefill only, while decode holds the slot", () => {
    // 4000 prompt tokens at 4000 tok/s (two chunks of the 2048-token step budget): 1 s to the first token, which
    // the last chunk's step samples; the other 159 tokens take a 1/16 s step each, 9.9375 s, holding the only
    // slot, so the second request waits until 10.9375 s, then prefills for 1 s. (No KV-cache reads: the weight
    // read alone sets the step, as in the tests below that are about something else.)
    const service = serviceModelSchema.parse({ kind: "llm", maxConcurrentSequences: 1, kvBytesPerToken: 0 });
    const pool = new ReplicaPool(
      service,
      traffic([0, 0], 60, [
        [4000, 4000],
        [160, 160],
      ]),
      1,
    );
    pool.advanceTo(60);
    expect(Array.from(pool.ttftMs)).toEqual([1000, 11937.5]);
  });

  it("prefills the oldest prompt first with the step budget: two prompts arriving together get their first token at 1 s and 2 s", () => {
    // Two free slots, but one GPU's compute (4000 tok/s): 16 parallel prefills at full speed each would understate
    // the time to first token of a burst by the batch size.
    const service = serviceModelSchema.parse({ kind: "llm", maxConcurrentSequences: 2 });
    const pool = new ReplicaPool(
      service,
      traffic([0, 0], 60, [
        [4000, 4000],
        [160, 160],
      ]),
      1,
    );
    pool.advanceTo(60);
    expect(pool.ttftMs[0]).toBe(1000);
    // From 1 s the first request decodes and takes one token of each 2048-token step: the second prompt gets
    // 2047 of them, 4000 tokens in 4000 / 2047 steps of 0.512 s.
    expect(pool.ttftMs[1]).toBeCloseTo(1000 + (4000 / 2047) * 512, 6);
  });

  it("shares each step between decode and prompt chunks: a long prompt slows the sequences decoding beside it", () => {
    // Request 0 (no prompt, 33 tokens) decodes alone at 16 steps/s: its 32 further tokens would take 2 s. At 1 s a
    // 20,480-token prompt arrives: while it is prefilled (10 full steps of 2048 tokens, 1 of them decode, 0.512 s
    // each) request 0 gets one token per 0.512-s step.
    const service = serviceModelSchema.parse({
      kind: "llm",
      maxConcurrentSequences: 2,
      kvCacheTokens: 100_000,
      kvBytesPerToken: 0,
    });
    const pool = new ReplicaPool(
      service,
      traffic([0, 1], 60, [
        [0, 20_480],
        [33, 1],
      ]),
      1,
    );
    pool.advanceTo(60);
    // 16 tokens by 1 s. The prompt gets 2047 tokens of each 0.512-s step: 20,480 / 2047 steps, during which
    // request 0 gets as many tokens; its remaining ones then run at 16 steps/s again.
    const promptSteps = 20_480 / 2047;
    expect(pool.ttftMs[1]).toBeCloseTo(promptSteps * 512, 6);
    expect(pool.e2eMs[0]).toBeCloseTo(1000 + promptSteps * 512 + (16 - promptSteps) * 62.5, 6);
    // Without the prompt beside it, request 0 would have finished at 2 s.
    expect(pool.e2eMs[0]).toBeGreaterThan(6000);
  });

  it("admits a sequence only when its prompt and output fit the KV cache left on the replica", () => {
    // 6000-token KV cache: the first request holds 4160 tokens, so the second (4160) waits for it to finish.
    const service = serviceModelSchema.parse({
      kind: "llm",
      maxConcurrentSequences: 16,
      kvCacheTokens: 6000,
      kvBytesPerToken: 0,
    });
    const pool = new ReplicaPool(
      service,
      traffic([0, 0], 60, [
        [4000, 4000],
        [160, 160],
      ]),
      1,
    );
    pool.advanceTo(60);
    expect(Array.from(pool.ttftMs)).toEqual([1000, 11937.5]);
  });

  it("reads every decoding sequence's KV cache in each decode step, on top of the weights", () => {
    // Llama-3.1-8B's 131,072 bytes per token at 255 GB/s: a 4000-token context adds 4000 x 131,072 / 255e9 =
    // 2.056 ms to each 62.5-ms step. Alone on the replica: 1 s of prefill, then 159 steps of 64.556 ms.
    const service = serviceModelSchema.parse({ kind: "llm", maxConcurrentSequences: 1 });
    const pool = new ReplicaPool(service, traffic([0], 60, [[4000], [160]]), 1);
    pool.advanceTo(60);
    const stepMs = 62.5 + (4000 * 131_072 * 1000) / 255e9;
    expect(stepMs).toBeCloseTo(64.556, 3);
    expect(pool.e2eMs[0]).toBeCloseTo(1000 + 159 * stepMs, 6);
    const llm = llmServiceModelSchema.parse({ kind: "llm" });
    // A full batch: 20 sequences holding 1,500 tokens each read 30,000 tokens' cache, 15.42 ms a step on top of
    // the 62.5-ms weight read (a quarter slower); a compute-bound step (2048 tokens, 0.512 s) hides it.
    expect(stepSeconds(llm, 20, 30_000)).toBeCloseTo(0.0625 + (30_000 * 131_072) / 255e9, 12);
    expect(stepSeconds(llm, 2048, 30_000)).toBeCloseTo(0.512, 12);
    // Without the KV-cache read the step is the weight read alone.
    expect(stepSeconds({ ...llm, kvBytesPerToken: 0 }, 20, 30_000)).toBe(0.0625);
  });

  it("cuts off what a removed replica still runs when its termination grace period ends", () => {
    // A 99-step decode at 1 step/s on a replica removed at t=1 with 30 s of grace: killed at 31 s, billed until then.
    const service = serviceModelSchema.parse({
      kind: "llm",
      maxConcurrentSequences: 1,
      decodeStepsPerSecond: 1,
      terminationGraceSeconds: 30,
    });
    const pool = new ReplicaPool(service, traffic([0], 600, [[0], [100]]), 1);
    pool.advanceTo(1);
    pool.scaleTo(0, 1);
    pool.advanceTo(600);
    expect(pool.failedRequests).toBe(1);
    expect(pool.e2eMs[0]).toBe(Number.POSITIVE_INFINITY);
    expect(pool.gpuSeconds(600)).toBe(31);
  });

  it("refuses a step budget smaller than the batch, naming the field", () => {
    const parsed = serviceModelSchema.safeParse({ kind: "llm", maxConcurrentSequences: 512, maxBatchedTokens: 256 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["maxBatchedTokens"] });
  });

  it("serves nothing from a new replica before its start-up delay", () => {
    const service = serviceModelSchema.parse({
      kind: "requests",
      requestsPerSecondPerReplica: 1,
      maxConcurrentRequests: 1,
      startupDelaySeconds: 180,
    });
    const pool = new ReplicaPool(service, traffic([0], 600), 0);
    pool.scaleTo(1, 0);
    pool.advanceTo(179);
    expect(pool.queueDepth).toBe(1);
    pool.advanceTo(600);
    expect(pool.ttftMs[0]).toBe(181_000);
    expect(pool.gpuSeconds(600)).toBe(600);
  });
});

describe("violation minutes", () => {
  it("are exactly the minutes whose plotted p99 lies above the SLO", () => {
    // Even minutes: a burst of 20 requests at once on 2 replicas of 2 slots x 1 s: the last wait 4 s. Odd minutes:
    // two requests apart, served at once in 1 s.
    const arrivals = Array.from({ length: 60 }, (_, m) =>
      m % 2 === 0 ? Array(20).fill(m * 60 + 1) : [m * 60 + 1, m * 60 + 31],
    ).flat();
    const service = serviceModelSchema.parse({
      kind: "requests",
      requestsPerSecondPerReplica: 2,
      maxConcurrentRequests: 2,
    });
    const profile = scalingProfileSchema.parse({
      name: "fixed",
      minReplicas: 2,
      maxReplicas: 2,
      triggers: [{ type: "queue_depth", threshold: 1000 }],
    });
    const result = simulateProfile({ traffic: traffic(arrivals, 3600), profile, service, sloP99Ms: 1500 });
    expect(result.minuteP99Ms).toHaveLength(60);
    const above = result.minuteP99Ms.filter((v) => v > 1500).length;
    expect(above).toBe(result.sloViolationMinutes);
    expect(above).toBe(30);
    expect(result.minuteP99Ms[0]).toBe(5000);
    expect(result.minuteP99Ms[1]).toBe(1000);
  });
});

describe("simulateProfile", () => {
  const service = serviceModelSchema.parse({
    kind: "requests",
    requestsPerSecondPerReplica: 10,
    maxConcurrentRequests: 2,
    startupDelaySeconds: 120,
  });

  it("bills a fixed-size deployment replicas x hours x $/GPU-hour", () => {
    const arrivals = Array.from({ length: 3600 }, (_, i) => i + 0.5);
    const profile = scalingProfileSchema.parse({
      name: "fixed",
      minReplicas: 3,
      maxReplicas: 3,
      triggers: [{ type: "gpu_utilization", threshold: 80 }],
    });
    const result = simulateProfile({
      traffic: traffic(arrivals, 3600),
      profile,
      service: { ...service, gpuHourUsd: 2 },
      sloP99Ms: 1000,
    });
    expect(result.gpuHours).toBeCloseTo(3);
    expect(result.costUsd).toBeCloseTo(6);
    expect(result.scaleEvents).toBe(0);
    // 1 req/s on 3 replicas of 10 req/s: nobody waits; latency is the 0.2 s service time.
    expect(result.p99LatencyMs).toBeCloseTo(200);
    expect(result.sloViolationMinutes).toBe(0);
  });

  it("scales to zero in a quiet stretch after cooldownPeriod, and pod metrics can never wake it again", () => {
    // Busy for 15 minutes, silent for 10, busy again for 5.
    const busy = (from: number, seconds: number) => Array.from({ length: seconds }, (_, i) => from + i + 0.5);
    const profile = scalingProfileSchema.parse({
      name: "to-zero",
      minReplicas: 0,
      maxReplicas: 5,
      pollingInterval: 15,
      cooldownPeriod: 120,
      triggers: [
        { type: "gpu_utilization", threshold: 80 },
        { type: "queue_depth", threshold: 5 },
      ],
    });
    const result = simulateProfile({
      traffic: traffic([...busy(0, 900), ...busy(1500, 300)], 1800),
      profile,
      service,
      sloP99Ms: 1000,
    });
    // Last request 899.5 s, done at 899.7 s; the scrape at 900 s still sees the GPU busy and KEDA reads it 5 s
    // later, at its poll at 915 s: the last active poll, so scale to zero comes after 915 + 120 = 1035 s.
    const zeroAt = result.series.filter((s) => s.replicas === 0).map((s) => s.t);
    expect(Math.min(...zeroAt)).toBeGreaterThan(1035);
    expect(Math.min(...zeroAt)).toBeLessThanOrEqual(1035 + 15);
    // Both triggers read the model server's pods; with none, the queries are empty and nothing is active: the
    // second busy stretch is never served.
    expect(result.series.filter((s) => s.t > 1050).every((s) => s.replicas === 0)).toBe(true);
    expect(result.unservedRequests).toBe(300);
  });

  it("is deterministic", () => {
    const arrivals = Array.from({ length: 2000 }, (_, i) => (i * i) % 1800);
    arrivals.sort((a, b) => a - b);
    const profile = scalingProfileSchema.parse({
      name: "d",
      minReplicas: 1,
      maxReplicas: 10,
      triggers: [{ type: "queue_depth", threshold: 2 }],
    });
    const run = () => simulateProfile({ traffic: traffic(arrivals, 1800), profile, service, sloP99Ms: 500 });
    expect(run()).toEqual(run());
  });
});

describe("simulateProfile with a violation ceiling", () => {
  // 3 requests/s on one replica that serves 2/s: the queue grows all hour, and every minute from the second on
  // misses a 1 s p99 (the first minute's backlog is still short).
  const overloaded = traffic(
    Array.from({ length: 3 * 3600 }, (_, i) => i / 3),
    3600,
  );
  const service = serviceModelSchema.parse({
    kind: "requests",
    requestsPerSecondPerReplica: 2,
    maxConcurrentRequests: 1,
  });
  const profile = scalingProfileSchema.parse({
    name: "one",
    minReplicas: 1,
    maxReplicas: 1,
    triggers: [{ type: "queue_depth", threshold: 1000 }],
  });

  it("stops as soon as more minutes than the ceiling are certain to miss the SLO", () => {
    const full = simulateProfile({ traffic: overloaded, profile, service, sloP99Ms: 1000, detail: false });
    expect(full.sloViolationMinutes).toBeGreaterThan(50);
    const stopped = simulateProfile({
      traffic: overloaded,
      profile,
      service,
      sloP99Ms: 1000,
      detail: false,
      violationMinutesCeiling: 2,
    });
    expect(stopped.aborted).toBe(true);
    expect(stopped.sloViolationMinutes).toBe(Number.POSITIVE_INFINITY);
  });

  it("gives the same figures as a run without one when the ceiling is not crossed", () => {
    const full = simulateProfile({ traffic: overloaded, profile, service, sloP99Ms: 1000, detail: false });
    const ceiled = simulateProfile({
      traffic: overloaded,
      profile,
      service,
      sloP99Ms: 1000,
      detail: false,
      violationMinutesCeiling: full.sloViolationMinutes,
    });
    expect(ceiled.aborted).toBeUndefined();
    expect(ceiled.sloViolationMinutes).toBe(full.sloViolationMinutes);
    expect(ceiled.gpuHours).toBe(full.gpuHours);
  });
});

describe("countViolationMinutes", () => {
  it("counts minutes by arrival whose nearest-rank p99 exceeds the SLO, skipping empty minutes", () => {
    // Minute 0: 100 requests, one slow: p99 (rank 99) is fast. Minute 1: two slow of 100: rank 99 is slow.
    // Minute 2: empty. Minute 3: one request at exactly the SLO (not above).
    const arrivals: number[] = [];
    const latency: number[] = [];
    for (let i = 0; i < 100; i++) {
      arrivals.push(i * 0.5);
      latency.push(i === 0 ? 5000 : 100);
    }
    for (let i = 0; i < 100; i++) {
      arrivals.push(60 + i * 0.5);
      latency.push(i < 2 ? 5000 : 100);
    }
    arrivals.push(190);
    latency.push(1000);
    expect(countViolationMinutes(arrivals, latency, 240, 1000)).toBe(1);
  });
});
