import { describe, expect, it } from "vitest";
import { ReplicaPool } from "./replica-pool";
import { scalingProfileSchema, serviceModelSchema } from "./schema";
import { countViolationMinutes, simulateProfile } from "./simulate";
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
    const service = serviceModelSchema.parse({ kind: "requests", requestsPerSecondPerReplica: 1, maxConcurrentRequests: 1 });
    const pool = new ReplicaPool(service, traffic([0, 0, 0]), 1);
    pool.advanceTo(10);
    expect(Array.from(pool.latencyMs)).toEqual([1000, 2000, 3000]);
  });

  it("measures LLM latency as time to first token: prefill only, while decode holds the slot", () => {
    // prefill 4000 tok/s: 4000 context tokens -> 1 s to first token; decode 16 tok/s per sequence (256 / 16):
    // 160 tokens -> 10 s more holding the only slot, so the second request waits 11 s then prefills 1 s.
    const service = serviceModelSchema.parse({ kind: "llm", maxConcurrentSequences: 1, decodeTokensPerSecond: 16 });
    const pool = new ReplicaPool(service, traffic([0, 0], 60, [[4000, 4000], [160, 160]]), 1);
    pool.advanceTo(60);
    expect(Array.from(pool.latencyMs)).toEqual([1000, 12000]);
  });

  it("serves nothing from a new replica before its start-up delay", () => {
    const service = serviceModelSchema.parse({ kind: "requests", requestsPerSecondPerReplica: 1, maxConcurrentRequests: 1, startupDelaySeconds: 180 });
    const pool = new ReplicaPool(service, traffic([0], 600), 0);
    pool.scaleTo(1, 0);
    pool.advanceTo(179);
    expect(pool.queueDepth).toBe(1);
    pool.advanceTo(600);
    expect(pool.latencyMs[0]).toBe(181_000);
    expect(pool.gpuSeconds(600)).toBe(600);
  });
});

describe("simulateProfile", () => {
  const service = serviceModelSchema.parse({ kind: "requests", requestsPerSecondPerReplica: 10, maxConcurrentRequests: 2, startupDelaySeconds: 120 });

  it("bills a fixed-size deployment replicas x hours x $/GPU-hour", () => {
    const arrivals = Array.from({ length: 3600 }, (_, i) => i + 0.5);
    const profile = scalingProfileSchema.parse({ name: "fixed", minReplicas: 3, maxReplicas: 3, triggers: [{ type: "gpu_utilization", threshold: 80 }] });
    const result = simulateProfile({ traffic: traffic(arrivals, 3600), profile, service: { ...service, gpuHourUsd: 2 }, sloP99Ms: 1000 });
    expect(result.gpuHours).toBeCloseTo(3);
    expect(result.costUsd).toBeCloseTo(6);
    expect(result.scaleEvents).toBe(0);
    // 1 req/s on 3 replicas of 10 req/s: nobody waits; latency is the 0.2 s service time.
    expect(result.p99LatencyMs).toBeCloseTo(200);
    expect(result.sloViolationMinutes).toBe(0);
  });

  it("scales to zero in a quiet hour after cooldownPeriod and wakes on the queue, paying the start-up delay", () => {
    // Busy for 5 minutes, silent for 20, busy again for 5.
    const busy = (from: number) => Array.from({ length: 300 }, (_, i) => from + i + 0.5);
    const arrivals = [...busy(0), ...busy(1500)];
    const profile = scalingProfileSchema.parse({
      name: "to-zero",
      minReplicas: 0,
      maxReplicas: 5,
      pollingInterval: 15,
      cooldownPeriod: 120,
      // GPU utilization keeps the scaler active while requests are served (the queue is then empty);
      // the queue is the only metric that can wake a deployment at zero replicas.
      triggers: [
        { type: "gpu_utilization", threshold: 80 },
        { type: "queue_depth", threshold: 5 },
      ],
    });
    const result = simulateProfile({ traffic: traffic(arrivals, 1800), profile, service, sloP99Ms: 1000 });
    // (The unmeasured warm-up replays the first 10 minutes, silence included, so the window opens at 0
    // replicas and wakes on the first queued requests; only the silence after 300 s is looked at here.)
    const zeroAt = result.series.filter((s) => s.replicas === 0 && s.t > 300).map((s) => s.t);
    expect(zeroAt.length).toBeGreaterThan(0);
    // Last request at 299.5 s ends at 299.7 s; utilization averaged over the poll at 300 s is still above 0,
    // so the last active poll is at 300 s and KEDA may scale to 0 only once 120 s have passed: not before 420.
    expect(Math.min(...zeroAt)).toBeGreaterThan(420);
    expect(Math.max(...zeroAt)).toBeLessThan(1500 + 15);
    // The first request after the silence waits for a replica to start (120 s).
    expect(result.p99LatencyMs).toBeGreaterThanOrEqual(100_000);
    expect(result.series[result.series.length - 1].replicas).toBeGreaterThan(0);
  });

  it("is deterministic", () => {
    const arrivals = Array.from({ length: 2000 }, (_, i) => (i * i) % 1800);
    arrivals.sort((a, b) => a - b);
    const profile = scalingProfileSchema.parse({ name: "d", minReplicas: 1, maxReplicas: 10, triggers: [{ type: "queue_depth", threshold: 2 }] });
    const run = () => simulateProfile({ traffic: traffic(arrivals, 1800), profile, service, sloP99Ms: 500 });
    expect(run()).toEqual(run());
  });
});

describe("countViolationMinutes", () => {
  it("counts minutes by arrival whose nearest-rank p99 exceeds the SLO, skipping empty minutes", () => {
    // Minute 0: 100 requests, one slow: p99 (rank 99) is fast. Minute 1: two slow of 100: rank 99 is slow.
    // Minute 2: empty. Minute 3: one request at exactly the SLO (not above).
    const arrivals: number[] = [];
    const latency: number[] = [];
    for (let i = 0; i < 100; i++) { arrivals.push(i * 0.5); latency.push(i === 0 ? 5000 : 100); }
    for (let i = 0; i < 100; i++) { arrivals.push(60 + i * 0.5); latency.push(i < 2 ? 5000 : 100); }
    arrivals.push(190); latency.push(1000);
    expect(countViolationMinutes(arrivals, latency, 240, 1000)).toBe(1);
  });
});
