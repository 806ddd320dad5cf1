import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentile } from "./allocation";
import { bucketedUtilizationPercentiles, utilizationBucket, utilizationPercentiles } from "./utilization-percentiles";

/** A rollup row of `gpus` GPUs busy `utilization`% for `hours` hours. */
const row = (gpus: number, utilization: number, hours = 1) => ({
  gpuHoursAllocated: gpus * hours,
  gpuHoursUsed: (gpus * hours * utilization) / 100,
});

describe("utilization percentiles over GPU-hours", () => {
  it.each([
    { name: "a 1-GPU group at 5% beside a 32-GPU group at 90%", rows: [row(1, 5), row(32, 90)], p50: 90, p90: 90 },
    { name: "the other way round: 32 GPUs at 5%, 1 at 90%", rows: [row(32, 5), row(1, 90)], p50: 5, p90: 5 },
    {
      name: "a 1-GPU group at 90% and a 9-GPU group at 10%: p90 is the last GPU-hour of the 10% group",
      rows: [row(1, 90), row(9, 10)],
      p50: 10,
      p90: 10,
    },
    { name: "... and 8 GPUs at 10% put p90 at 90%", rows: [row(1, 90), row(8, 10)], p50: 10, p90: 90 },
    {
      name: "a row counts for its hours: 1 GPU for 6 h at 90% and 1 GPU for 18 h at 3%",
      rows: [row(1, 90, 6), row(1, 3, 18)],
      p50: 3,
      p90: 90,
    },
    {
      name: "utilization is used ÷ allocated of the row",
      rows: [{ gpuHoursAllocated: 4, gpuHoursUsed: 1 }],
      p50: 25,
      p90: 25,
    },
    { name: "rows without allocated hours are left out", rows: [row(0, 0), row(2, 40)], p50: 40, p90: 40 },
    { name: "no rows", rows: [], p50: 0, p90: 0 },
  ])("$name → p50 $p50, p90 $p90", ({ rows, p50, p90 }) => {
    const got = utilizationPercentiles(rows);
    expect(got.p50).toBeCloseTo(p50, 9);
    expect(got.p90).toBeCloseTo(p90, 9);
  });

  it("with equal GPU-hours per row, is the plain nearest-rank percentile of the rows", () => {
    const utils = [3, 97, 41, 41, 12, 88, 60, 5, 73, 20, 55];
    const got = utilizationPercentiles(utils.map((u) => row(4, u)));
    expect(got.p50).toBeCloseTo(percentile(utils, 50), 9);
    expect(got.p90).toBeCloseTo(percentile(utils, 90), 9);
  });
});

describe("the dashboard's bucketed percentiles", () => {
  it.each([
    [0, 0],
    [0.49, 0],
    [0.5, 1],
    [64.13, 64],
    [76.99, 77],
    [99.5, 100],
    [100, 100],
    [29.999999999999996, 30],
    [-1e-9, 0],
    [100.000001, 100],
  ])("utilization %s%% is bucket %s", (utilization, bucket) => {
    expect(utilizationBucket(utilization)).toBe(bucket);
  });

  it("a group at 90% for 6 h and 3% for 18 h a day reads 3/90, not its daily mean of 24.75%", () => {
    expect(bucketedUtilizationPercentiles([row(1, 90, 6), row(1, 3, 18)])).toEqual({ p50: 3, p90: 90 });
  });

  it("is the exact percentile rounded to the nearest percent, so within half a point of the report's", () => {
    const rows = fc.array(
      fc.record({
        gpus: fc.integer({ min: 0, max: 64 }),
        utilization: fc.double({ min: 0, max: 100, noNaN: true }),
        hours: fc.constantFrom(1, 0.5, 0.25),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(rows, (planted) => {
        const r = planted.map((p) => row(p.gpus, p.utilization, p.hours));
        const exact = utilizationPercentiles(r);
        const bucketed = bucketedUtilizationPercentiles(r);
        expect(bucketed.p50).toBe(utilizationBucket(exact.p50));
        expect(bucketed.p90).toBe(utilizationBucket(exact.p90));
        expect(Math.abs(bucketed.p50 - exact.p50)).toBeLessThanOrEqual(0.5);
        expect(Math.abs(bucketed.p90 - exact.p90)).toBeLessThanOrEqual(0.5);
      }),
      { numRuns: 500 },
    );
  });
});
