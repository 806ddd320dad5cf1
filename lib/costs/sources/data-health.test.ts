import { describe, expect, it } from "vitest";
import { computeDataHealth } from "./data-health";
import { labelMapping } from "./label-mapping";
import { HOUR_MS, type GpuSample } from "@/lib/costs/schema";

const day = Date.UTC(2026, 11, 4);
const sample = (ts: number): GpuSample => ({
  ts,
  hours: 1,
  gpuId: "n|0|u",
  node: "n",
  team: "vision",
  workloadType: "training",
  nodePool: "p",
  instanceType: "g5.xlarge",
  capacityType: "on_demand",
  requestedGpus: 1,
  utilization: 90,
  memoryUsedMiB: 1,
});

describe("computeDataHealth", () => {
  it("gives the first and last hour of the data, not the window the ingestion read", () => {
    const health = computeDataHealth({
      samples: [sample(day + 6 * HOUR_MS), sample(day + 9 * HOUR_MS + 20 * 60_000)],
      price: () => ({ rate: 1, basis: "list" }),
      mapping: labelMapping(),
      from: day - 90 * 24 * HOUR_MS,
      until: day + 24 * HOUR_MS,
    });
    expect([health.dataFrom, health.dataUntil]).toEqual([day + 6 * HOUR_MS, day + 10 * HOUR_MS]);
  });

  it("has no data span without samples", () => {
    const health = computeDataHealth({
      samples: [],
      price: () => ({ rate: 1, basis: "list" }),
      mapping: labelMapping(),
      from: day,
      until: day + HOUR_MS,
    });
    expect([health.dataFrom, health.dataUntil]).toEqual([null, null]);
  });
});
