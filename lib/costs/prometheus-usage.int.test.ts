import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrometheus, type RunningPrometheus } from "@/test-support/prometheus/start-prometheus";
import { dcgmHistory } from "@/test-support/prometheus/dcgm-history";
import { vllmHistory } from "@/test-support/prometheus/model-server-history";
import { fetchPrometheusSamples } from "./prometheus-usage.server";
import { rollupSamples } from "./allocation";
import { gpuHourlyRate } from "./gpu-rates";
import { HOUR_MS, UNALLOCATED_TEAM } from "./schema";

// Six whole hours ending at the last full hour before now; Prometheus answers for the backfilled blocks.
const end = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
const start = end - 6 * HOUR_MS;
const hourOf = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;
const busy = (t: number) => ((hourOf(t) - start) / HOUR_MS) % 2 === 0 ? 90 : 30; // alternates per hour

let prom: RunningPrometheus;
beforeAll(async () => {
  prom = await startPrometheus([
    ...vllmHistory(
      [{ namespace: "search", pod: "ranker-0", model: "ranker", requestsPerSecond: (t) => (busy(t) === 90 ? 20 : 5), waiting: (t) => (busy(t) === 90 ? 8 : 2) }],
      start - HOUR_MS,
      end + HOUR_MS,
    ),
    ...dcgmHistory(
      [
        { node: "ip-10-0-1-1", instanceType: "g5.12xlarge", capacityType: "on-demand", nodePool: "inference-a10g" },
        { node: "ip-10-0-1-2", instanceType: "g5.12xlarge", capacityType: "spot", nodePool: "batch-spot" },
      ],
      [
        { node: "ip-10-0-1-1", gpu: "0", pod: { namespace: "search", name: "ranker-0", team: "search", workloadType: "inference" }, utilization: busy, memoryUsedMiB: 10_000 },
        { node: "ip-10-0-1-1", gpu: "1", pod: { namespace: "search", name: "ranker-0", team: "search", workloadType: "inference" }, utilization: busy, memoryUsedMiB: 12_000 },
        { node: "ip-10-0-1-1", gpu: "2", utilization: () => 0, memoryUsedMiB: 0 },
        { node: "ip-10-0-1-2", gpu: "0", pod: { namespace: "vision", name: "etl-7", team: "vision", workloadType: "batch" }, utilization: () => 50, memoryUsedMiB: 4_000 },
      ],
      start - HOUR_MS,
      end + HOUR_MS,
    ),
  ]);
}, 60_000);
afterAll(async () => prom?.stop());

describe("Prometheus usage source against a real Prometheus", () => {
  it("refuses loopback unless the admin allows it", async () => {
    await expect(fetchPrometheusSamples({ url: prom.url, allow: [] }, start, end)).rejects.toThrow(/loopback.*allow-list/);
  });

  it("turns DCGM + kube-state-metrics history into hourly samples with teams, pools and capacity types", async () => {
    const { samples, inference } = await fetchPrometheusSamples({ url: prom.url, allow: ["127.0.0.1"] }, start, end);
    expect(inference).toEqual([]); // no model server configured: its metrics are not read
    const rows = rollupSamples(samples, "prometheus", (s) => gpuHourlyRate("aws", s.instanceType, s.capacityType));
    const hours = [...new Set(rows.map((r) => r.hour))].sort();
    expect(hours).toEqual(Array.from({ length: 6 }, (_, i) => start + i * HOUR_MS));

    const search = rows.filter((r) => r.team === "search");
    expect(search).toHaveLength(6);
    for (const r of search) {
      expect(r).toMatchObject({ workloadType: "inference", nodePool: "inference-a10g", instanceType: "g5.12xlarge", capacityType: "on_demand", sampleCount: 2 });
      const expected = ((r.hour - start) / HOUR_MS) % 2 === 0 ? 90 : 30;
      expect(r.utilizationAvg).toBeCloseTo(expected, 6);
      expect(r.memoryUsedMiBMax).toBe(12_000);
    }
    const vision = rows.filter((r) => r.team === "vision");
    expect(vision.every((r) => r.capacityType === "spot" && r.nodePool === "batch-spot" && Math.abs(r.utilizationAvg - 50) < 0.5)).toBe(true);
    const unallocated = rows.filter((r) => r.team === UNALLOCATED_TEAM);
    expect(unallocated).toHaveLength(6);
    // The unrequested GPU is paid for: a quarter of the on-demand g5.12xlarge price each hour, all of it idle.
    expect(unallocated[0].costUsd).toBeCloseTo(gpuHourlyRate("aws", "g5.12xlarge", "on_demand"), 6);
    expect(unallocated[0].idleCostUsd).toBeCloseTo(unallocated[0].costUsd, 6);
  });

  it("reads vLLM's request counter and queue gauge per hour, placed on the pod's team and node pool", async () => {
    const { inference } = await fetchPrometheusSamples({ url: prom.url, allow: ["127.0.0.1"], modelServer: "vllm" }, start, end);
    expect(inference.map((r) => r.hour)).toEqual(Array.from({ length: 6 }, (_, i) => start + i * HOUR_MS));
    for (const r of inference) {
      const busyHour = ((r.hour - start) / HOUR_MS) % 2 === 0;
      expect(r).toMatchObject({ source: "prometheus", team: "search", nodePool: "inference-a10g", model: "ranker", modelVersion: "unknown", replicas: 1 });
      // increase() over the hour's 60 one-minute samples, extrapolated to the hour: the planted rate within 2%.
      expect(r.requestsPerSecond).toBeGreaterThan((busyHour ? 20 : 5) * 0.98);
      expect(r.requestsPerSecond).toBeLessThan((busyHour ? 20 : 5) * 1.02);
      expect(r.queueDepthAvg).toBeCloseTo(busyHour ? 8 : 2, 6);
    }
  });
});
