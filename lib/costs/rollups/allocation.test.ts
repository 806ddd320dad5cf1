import fc from "fast-check";
import { assert, describe, expect, it } from "vitest";
import { allocate, percentile, rollupSamples, weightedPercentile } from "./allocation";
import { demoFleet, demoSamples } from "@/lib/costs/sources/demo-fleet";
import { computeRecommendations } from "@/lib/costs/recommendations/recommendations";
import { recommendationCategories } from "@/lib/costs/recommendations/recommendation-types";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import type { GpuSample } from "@/lib/costs/schema";

describe("allocate (OpenCost model)", () => {
  it.each([
    { requested: 1, util: 30, allocated: 1, used: 0.3, idle: 0.7 },
    { requested: 0.5, util: 80, allocated: 0.8, used: 0.8, idle: 0 }, // usage above the request is charged
    { requested: 1, util: 0, allocated: 1, used: 0, idle: 1 },
  ])(
    "requested $requested at $util% → allocated $allocated, idle $idle",
    ({ requested, util, allocated, used, idle }) => {
      const a = allocate({ hours: 1, requestedGpus: requested, utilization: util }, 2);
      expect(a.gpuHoursAllocated).toBeCloseTo(allocated);
      expect(a.gpuHoursUsed).toBeCloseTo(used);
      expect(a.idleGpuHours).toBeCloseTo(idle);
      expect(a.costUsd).toBeCloseTo(allocated * 2);
      expect(a.idleCostUsd).toBeCloseTo(idle * 2);
    },
  );

  it("never charges less than the request nor reports negative idle", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 4, noNaN: true }),
        fc.double({ min: -10, max: 150, noNaN: true }),
        fc.double({ min: 0.01, max: 24, noNaN: true }),
        (req, util, hours) => {
          const a = allocate({ hours, requestedGpus: req, utilization: util }, 1.5);
          expect(a.gpuHoursAllocated).toBeGreaterThanOrEqual(req * hours - 1e-9);
          expect(a.idleGpuHours).toBeGreaterThanOrEqual(-1e-9);
          expect(a.gpuHoursUsed).toBeLessThanOrEqual(a.gpuHoursAllocated + 1e-9);
          expect(a.gpuHoursUsed).toBeLessThanOrEqual(hours + 1e-9);
        },
      ),
    );
  });
});

describe("hourly rollup", () => {
  const base: Omit<GpuSample, "gpuId" | "utilization"> = {
    ts: Date.UTC(2026, 0, 5, 10, 15),
    hours: 1,
    node: "n",
    team: "t",
    workloadType: "inference",
    nodePool: "p",
    instanceType: "g5.xlarge",
    capacityType: "on_demand",
    requestedGpus: 1,
    memoryUsedMiB: 1000,
  };
  const utils = [5, 20, 45, 60, 95];
  const rows = rollupSamples(
    utils.map((u, i) => ({ ...base, gpuId: `g${i}`, utilization: u })),
    "test",
    () => 1,
  );

  it("puts samples of one hour and group in one row with exact percentiles and shares", () => {
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.hour).toBe(Date.UTC(2026, 0, 5, 10));
    expect(r.utilizationAvg).toBeCloseTo(45);
    expect(r.utilizationP50).toBe(45);
    expect(r.utilizationP90).toBe(95);
    expect(r.gpuHoursUnder10).toBe(1);
    expect(r.gpuHoursUnder50).toBe(3);
    expect(r.gpuHoursUsed).toBeCloseTo(2.25);
    expect(r.costUsd).toBeCloseTo(5);
    expect(r.idleCostUsd).toBeCloseTo(2.75);
  });

  it("splits groups by capacity type and hour", () => {
    const more = rollupSamples(
      [
        { ...base, gpuId: "a", utilization: 50 },
        { ...base, gpuId: "b", utilization: 50, capacityType: "spot" },
        { ...base, gpuId: "c", utilization: 50, ts: base.ts + 3_600_000 },
      ],
      "test",
      () => 1,
    );
    expect(more).toHaveLength(3);
  });

  it("percentile uses the nearest rank", () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([], 50)).toBe(0);
  });

  it("weighs GPUs by the share of the hour they were held: cost, averages and percentiles", () => {
    // One GPU: pod a (30%, 1000 MiB) for 10 minutes, pod b (90%, 4000 MiB) for 50; both in team t.
    const [r] = rollupSamples(
      [
        { ...base, gpuId: "g", hours: 1 / 6, utilization: 30, memoryUsedMiB: 1000 },
        { ...base, gpuId: "g", hours: 5 / 6, utilization: 90, memoryUsedMiB: 4000 },
      ],
      "test",
      () => 2,
    );
    assert(r, "one rollup row");
    expect(r.gpuHoursAllocated).toBeCloseTo(1, 12);
    expect(r.costUsd).toBeCloseTo(2, 12);
    expect(r.gpuHoursUsed).toBeCloseTo(0.8, 12);
    expect(r.utilizationAvg).toBeCloseTo(80, 9); // a per-sample mean would say 60
    expect(r.memoryUsedMiBAvg).toBeCloseTo(3500, 9);
    expect(r.utilizationP50).toBe(90); // five sixths of the GPU-hour ran at 90%
    expect(r.utilizationP90).toBe(90);
    expect(r.gpuHoursUnder50).toBeCloseTo(1 / 6, 12);
    expect(r.sampleCount).toBe(2);
  });

  it("weighted percentile with equal weights is the nearest-rank percentile", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom(1, 1 / 6, 1 / 3, 0.1),
        (values, p, w) => {
          expect(
            weightedPercentile(
              values,
              values.map(() => w),
              p,
            ),
          ).toBe(percentile(values, p));
        },
      ),
    );
    expect(weightedPercentile([10, 90], [0.9, 0.1], 50)).toBe(10);
    expect(weightedPercentile([], [], 50)).toBe(0);
  });
});

describe("demo fleet", () => {
  const now = Date.UTC(2026, 10, 29, 7, 30);
  const rate = (s: GpuSample) => gpuHourlyRate("aws", s.instanceType, s.capacityType);

  it("is deterministic and covers 90 days of every always-allocated GPU", () => {
    const a = rollupSamples(demoSamples({ now, days: 14 }), "demo", rate);
    const b = rollupSamples(demoSamples({ now, days: 14 }), "demo", rate);
    expect(a).toEqual(b);
    const perPool = new Map<string, number>();
    for (const s of demoSamples({ now, days: 90 }))
      if (s.hours === 1)
        perPool.set(s.gpuId.replace(/\/\d+$/, ""), (perPool.get(s.gpuId.replace(/\/\d+$/, "")) ?? 0) + 1);
    for (const w of demoFleet().filter((f) => !f.scaling))
      expect(perPool.get(`${w.nodePool}/${w.team}`), w.nodePool).toBe(w.gpus * 90 * 24);
  }, 30_000);

  it("has the rhythm of a real fleet: busier weekdays than weekends, growth, and one incident", () => {
    const day = (offset: number) => Date.UTC(2026, 10, 29) - offset * 86_400_000;
    const costOf = (from: number, to: number) => {
      let cost = 0;
      for (const s of demoSamples({ now, days: 90 })) if (s.ts >= from && s.ts < to) cost += rate(s);
      return cost;
    };
    // 2026-11-23 is a Monday, 2026-11-22 a Sunday: spot training drains for the weekend, inference follows the load.
    expect(costOf(day(6), day(5))).toBeGreaterThan(costOf(day(7), day(6)) * 1.05);
    const tsAgo = (days: number) => Math.floor(now / 3_600_000) * 3_600_000 - days * 86_400_000;
    // The L4 embedding pool grew from 8 to 16 GPUs over the quarter.
    const growing = demoSamples({ now, days: 90 });
    const l4 = new Map<number, number>();
    for (const s of growing) if (s.nodePool === "inference-l4") l4.set(s.ts, (l4.get(s.ts) ?? 0) + 1);
    expect(l4.get(tsAgo(89))).toBe(8);
    expect(l4.get(tsAgo(5))).toBe(16);
    // The hung training job held 16 A100s for 60 hours, 26 days ago, and nothing else held them.
    const stuck = [...demoSamples({ now, days: 90 })].filter((s) => s.gpuId.includes("/stuck/"));
    expect(stuck.length).toBe(16 * 60);
    expect(Math.max(...stuck.map((s) => s.utilization))).toBeLessThan(2);
  }, 60_000);

  it("has something for every recommendation category to find", () => {
    const rows = rollupSamples(demoSamples({ now, days: 35 }), "demo", rate);
    const found = new Set(computeRecommendations({ rows, now, cloud: "aws" }).map((r) => r.category));
    expect([...found].sort()).toEqual([...recommendationCategories].sort());
  }, 30_000);
});

describe("demo fleet windows", () => {
  it("regenerates the same values for an hour whatever the window", () => {
    const now = Date.UTC(2026, 10, 29, 7);
    const rate = (s: GpuSample) => gpuHourlyRate("aws", s.instanceType, s.capacityType);
    const long = rollupSamples(demoSamples({ now, days: 3 }), "demo", rate);
    const short = rollupSamples(demoSamples({ now, days: 3, from: now - 5 * 3_600_000 }), "demo", rate);
    expect(short.length).toBeGreaterThan(0);
    const byKey = new Map(long.map((r) => [`${r.hour}|${r.team}|${r.nodePool}|${r.workloadType}`, r]));
    for (const r of short) expect(byKey.get(`${r.hour}|${r.team}|${r.nodePool}|${r.workloadType}`)).toEqual(r);
  });
});

describe("sealing hours", () => {
  const base: GpuSample = {
    ts: Date.UTC(2026, 0, 5, 10),
    hours: 1,
    gpuId: "g",
    node: "n",
    team: "t",
    workloadType: "w",
    nodePool: "p",
    instanceType: "g5.xlarge",
    capacityType: "on_demand",
    requestedGpus: 1,
    utilization: 50,
    memoryUsedMiB: 1,
  };
  it("gives the same rows hour-ordered with sealing as unordered", () => {
    const samples = [0, 1, 2].flatMap((h) =>
      [10, 60, 90].map((u, i) => ({ ...base, gpuId: `g${i}`, ts: base.ts + h * 3_600_000, utilization: u })),
    );
    expect(rollupSamples(samples, "s", () => 1, { hourOrdered: true })).toEqual(
      rollupSamples([...samples].reverse(), "s", () => 1),
    );
  });
  it("refuses a sample for an hour already sealed", () => {
    expect(() =>
      rollupSamples([{ ...base, ts: base.ts + 3_600_000 }, base], "s", () => 1, { hourOrdered: true }),
    ).toThrow(/sealed/);
  });
});
