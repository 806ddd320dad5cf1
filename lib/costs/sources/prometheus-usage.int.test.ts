import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrometheus, type RunningPrometheus } from "@/test-support/prometheus/start-prometheus";
import { dcgmHistory } from "@/test-support/prometheus/dcgm-history";
import { vllmHistory } from "@/test-support/prometheus/model-server-history";
import { fetchPrometheusSamples } from "./prometheus-usage.server";
import { rollupSamples } from "@/lib/costs/rollups/allocation";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import { HOUR_MS, UNALLOCATED_TEAM } from "@/lib/costs/schema";

// Six whole hours ending at the last full hour before now; Prometheus answers for the backfilled blocks.
const end = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
const start = end - 6 * HOUR_MS;
const hourOf = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;
const busy = (t: number) => (((hourOf(t) - start) / HOUR_MS) % 2 === 0 ? 90 : 30); // alternates per hour
// Batch pods taking turns on one GPU: job-a for the first 20 minutes of every hour (at 90%), job-b for the rest (at 30%).
const jobA = { namespace: "speech", name: "job-a", team: "speech", workloadType: "batch" };
const jobB = { namespace: "speech", name: "job-b", team: "speech", workloadType: "batch" };
const firstTwentyMinutes = (t: number) => t - hourOf(t) < 20 * 60_000;

let prom: RunningPrometheus;
beforeAll(async () => {
  prom = await startPrometheus([
    ...vllmHistory(
      [
        {
          namespace: "search",
          pod: "ranker-0",
          model: "ranker",
          requestsPerSecond: (t) => (busy(t) === 90 ? 20 : 5),
          waiting: (t) => (busy(t) === 90 ? 8 : 2),
          tokensPerSecond: (t) => (busy(t) === 90 ? 4000 : 1000),
        },
      ],
      start - HOUR_MS,
      end + HOUR_MS,
    ),
    ...dcgmHistory(
      [
        { node: "ip-10-0-1-1", instanceType: "g5.12xlarge", capacityType: "on-demand", nodePool: "inference-a10g" },
        { node: "ip-10-0-1-2", instanceType: "g5.12xlarge", capacityType: "spot", nodePool: "batch-spot" },
        { node: "ip-10-0-1-3", instanceType: "g5.xlarge", capacityType: "on-demand", nodePool: "batch-od" },
        // Lived the first 10 minutes of the first hour.
        {
          node: "ip-10-0-1-4",
          instanceType: "g5.xlarge",
          capacityType: "spot",
          nodePool: "burst",
          from: start,
          until: start + 10 * 60_000,
        },
      ],
      [
        {
          node: "ip-10-0-1-1",
          gpu: "0",
          pod: { namespace: "search", name: "ranker-0", team: "search", workloadType: "inference" },
          utilization: busy,
          memoryUsedMiB: 10_000,
        },
        {
          node: "ip-10-0-1-1",
          gpu: "1",
          pod: { namespace: "search", name: "ranker-0", team: "search", workloadType: "inference" },
          utilization: busy,
          memoryUsedMiB: 12_000,
        },
        { node: "ip-10-0-1-1", gpu: "2", utilization: () => 0, memoryUsedMiB: 0 },
        {
          node: "ip-10-0-1-2",
          gpu: "0",
          pod: { namespace: "vision", name: "etl-7", team: "vision", workloadType: "batch" },
          utilization: () => 50,
          memoryUsedMiB: 4_000,
        },
        {
          node: "ip-10-0-1-3",
          gpu: "0",
          pod: (t) => (firstTwentyMinutes(t) ? jobA : jobB),
          utilization: (t) => (firstTwentyMinutes(t) ? 90 : 30),
          memoryUsedMiB: 6_000,
        },
        {
          node: "ip-10-0-1-4",
          gpu: "0",
          pod: { namespace: "burst", name: "burst-0", team: "burst", workloadType: "batch" },
          utilization: () => 80,
          memoryUsedMiB: 2_000,
        },
      ],
      start - HOUR_MS,
      end + HOUR_MS,
    ),
  ]);
}, 60_000);
afterAll(async () => prom?.stop());

describe("Prometheus usage source against a real Prometheus", () => {
  it("refuses Prometheus unless its host:port is on the URL allow-list", async () => {
    await expect(fetchPrometheusSamples({ url: prom.url, allow: [] }, start, end)).rejects.toThrow(
      /127\.0\.0\.1 port \d+ is not on the URL allow-list/,
    );
  });

  it("turns DCGM + kube-state-metrics history into hourly samples with teams, pools and capacity types", async () => {
    const { samples, inference } = await fetchPrometheusSamples(
      { url: prom.url, allow: [new URL(prom.url).host] },
      start,
      end,
    );
    expect(inference).toEqual([]); // no model server configured: its metrics are not read
    const rows = rollupSamples(samples, "prometheus", (s) => gpuHourlyRate("aws", s.instanceType, s.capacityType));
    const hours = [...new Set(rows.map((r) => r.hour))].sort();
    expect(hours).toEqual(Array.from({ length: 6 }, (_, i) => start + i * HOUR_MS));

    const search = rows.filter((r) => r.team === "search");
    expect(search).toHaveLength(6);
    for (const r of search) {
      expect(r).toMatchObject({
        workloadType: "inference",
        nodePool: "inference-a10g",
        instanceType: "g5.12xlarge",
        capacityType: "on_demand",
        sampleCount: 2,
      });
      const expected = ((r.hour - start) / HOUR_MS) % 2 === 0 ? 90 : 30;
      expect(r.utilizationAvg).toBeCloseTo(expected, 6);
      expect(r.memoryUsedMiBMax).toBe(12_000);
    }
    const vision = rows.filter((r) => r.team === "vision");
    expect(
      vision.every(
        (r) => r.capacityType === "spot" && r.nodePool === "batch-spot" && Math.abs(r.utilizationAvg - 50) < 0.5,
      ),
    ).toBe(true);
    const unallocated = rows.filter((r) => r.team === UNALLOCATED_TEAM);
    expect(unallocated).toHaveLength(6);
    // The unrequested GPU is paid for: a quarter of the on-demand g5.12xlarge price each hour, all of it idle.
    expect(unallocated[0]!.costUsd).toBeCloseTo(gpuHourlyRate("aws", "g5.12xlarge", "on_demand"), 6);
    expect(unallocated[0]!.idleCostUsd).toBeCloseTo(unallocated[0]!.costUsd, 6);
  });

  it("bills a GPU whose pod changes mid-hour once, and a node that lived 10 minutes a sixth of an hour", async () => {
    const { samples } = await fetchPrometheusSamples({ url: prom.url, allow: [new URL(prom.url).host] }, start, end);
    const rows = rollupSamples(samples, "prometheus", (s) => gpuHourlyRate("aws", s.instanceType, s.capacityType));
    const speech = rows.filter((r) => r.team === "speech");
    expect(speech.map((r) => r.hour)).toEqual(Array.from({ length: 6 }, (_, i) => start + i * HOUR_MS));
    for (const r of speech) {
      // Two DCGM series (job-a, job-b) per hour, one GPU-hour between them, at the price of one.
      expect(r).toMatchObject({
        nodePool: "batch-od",
        instanceType: "g5.xlarge",
        capacityType: "on_demand",
        sampleCount: 2,
      });
      expect(r.gpuHoursAllocated).toBeCloseTo(1, 9);
      expect(r.costUsd).toBeCloseTo(gpuHourlyRate("aws", "g5.xlarge", "on_demand"), 9);
      expect(r.utilizationAvg).toBeCloseTo(90 / 3 + (30 * 2) / 3, 6);
    }
    const burst = rows.filter((r) => r.team === "burst");
    expect(burst).toHaveLength(1);
    expect(burst[0]).toMatchObject({ hour: start, nodePool: "burst", capacityType: "spot" });
    expect(burst[0]!.gpuHoursAllocated).toBeCloseTo(1 / 6, 9);
    expect(burst[0]!.costUsd).toBeCloseTo(gpuHourlyRate("aws", "g5.xlarge", "spot") / 6, 9);
    // Every GPU adds up to at most one hour in every hour.
    const perGpuHour = new Map<string, number>();
    for (const s of samples)
      perGpuHour.set(`${s.gpuId}@${s.ts}`, (perGpuHour.get(`${s.gpuId}@${s.ts}`) ?? 0) + s.hours);
    expect(Math.max(...perGpuHour.values())).toBeCloseTo(1, 9);
  });

  it("reads vLLM's request counter and queue gauge per hour, placed on the pod's team and node pool", async () => {
    const { inference } = await fetchPrometheusSamples(
      { url: prom.url, allow: [new URL(prom.url).host], modelServer: "vllm" },
      start,
      end,
    );
    expect(inference.map((r) => r.hour)).toEqual(Array.from({ length: 6 }, (_, i) => start + i * HOUR_MS));
    for (const r of inference) {
      const busyHour = ((r.hour - start) / HOUR_MS) % 2 === 0;
      expect(r).toMatchObject({
        source: "prometheus",
        team: "search",
        nodePool: "inference-a10g",
        model: "ranker",
        modelVersion: "unknown",
        replicas: 1,
      });
      // increase() over the hour's 60 one-minute samples, extrapolated to the hour: the planted rate within 2%.
      expect(r.requestsPerSecond).toBeGreaterThan((busyHour ? 20 : 5) * 0.98);
      expect(r.requestsPerSecond).toBeLessThan((busyHour ? 20 : 5) * 1.02);
      // vllm:generation_tokens_total, read like the request counter.
      expect(r.generatedTokensPerSecond).toBeGreaterThan((busyHour ? 4000 : 1000) * 0.98);
      expect(r.generatedTokensPerSecond).toBeLessThan((busyHour ? 4000 : 1000) * 1.02);
      expect(r.queueDepthAvg).toBeCloseTo(busyHour ? 8 : 2, 6);
    }
  });
});
