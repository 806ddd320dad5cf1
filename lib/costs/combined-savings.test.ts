import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { combinedSavings, workloadRefsOf, type SavingsItem } from "./combined-savings";
import { NOW, plantRows } from "./planted-fleet.test-helper";
import { computeRecommendations } from "./recommendations";

const on = (team: string, nodePool: string, workloadType = "training") => ({ team, nodePool, workloadType });
const rec = (currentMonthlyUsd: number, projectedSavingsUsd: number, ...resources: SavingsItem["resources"][number][]): SavingsItem => ({ currentMonthlyUsd, projectedSavingsUsd, resources });

describe("combinedSavings", () => {
  it("combines spot and scheduled scaling on one workload below their sum and below the workload's cost", () => {
    // 60% off by spot, then 50% of what is left by scaling down: 1,000 × (1 − 0.4 × 0.5) = 800, not 1,100.
    const s = combinedSavings([rec(1000, 600, on("nlp", "train")), rec(1000, 500, on("nlp", "train"))]);
    expect(s).toEqual({ sumUsd: 1100, combinedUsd: 800, overlappingWorkloads: ["nlp / train / training"] });
  });

  it("never saves more than the workload costs, even when each rule alone would save all of it", () => {
    const s = combinedSavings([rec(1000, 1000, on("nlp", "train")), rec(1000, 900, on("nlp", "train")), rec(1000, 700, on("nlp", "train"))]);
    expect(s.sumUsd).toBe(2600);
    expect(s.combinedUsd).toBe(1000);
  });

  it("adds recommendations on different workloads as they are", () => {
    const s = combinedSavings([
      rec(1000, 600, on("nlp", "train")),
      rec(1000, 500, on("vision", "train")), // same pool name, another team
      rec(1000, 400, on("nlp", "train", "batch")), // same team and pool, another workload type
      rec(300, 450, on("recsys", "inf", "inference")), // alone: its figure is kept, not capped
    ]);
    expect(s).toEqual({ sumUsd: 1950, combinedUsd: 1950, overlappingWorkloads: [] });
  });

  it("uses the largest current cost of a group as its base and ties groups together through fleet-wide advice", () => {
    // Consolidation of a shared pool (base 4,000) overlaps team advice on two of its workloads, which then overlap each other too.
    const s = combinedSavings([
      rec(4000, 1000, on("nlp", "pool"), on("vision", "pool"), on("unallocated", "pool")),
      rec(1000, 800, on("nlp", "pool")),
      rec(2000, 400, on("vision", "pool")),
      rec(500, 100, on("recsys", "other")),
    ]);
    // 4,000 × (1 − 0.75 × 0.8 × 0.9) = 1,840 for the pool, plus 100 elsewhere.
    expect(s.combinedUsd).toBe(1940);
    expect(s.sumUsd).toBe(2300);
    expect(s.overlappingWorkloads).toEqual(["nlp / pool / training", "vision / pool / training"]);
  });

  it("keys a workload by team and node pool when the workload type is not recorded", () => {
    const s = combinedSavings([rec(100, 50, { team: "a", nodePool: "p" }), rec(100, 50, { team: "a", nodePool: "p", workloadType: null })]);
    expect(s).toEqual({ sumUsd: 100, combinedUsd: 75, overlappingWorkloads: ["a / p"] });
  });

  it("is never above the sum nor above the group's base, and never below the largest single saving", () => {
    const item = fc.record({
      currentMonthlyUsd: fc.integer({ min: 1, max: 100_000 }),
      share: fc.double({ min: 0.01, max: 1, noNaN: true }),
      workloads: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 6 }), (raw) => {
        const items = raw.map((r) => rec(r.currentMonthlyUsd, Math.round(r.currentMonthlyUsd * r.share * 100) / 100, ...r.workloads.map((w) => on("t", `p${w}`))));
        const s = combinedSavings(items);
        expect(s.combinedUsd).toBeLessThanOrEqual(s.sumUsd + 0.01);
        expect(s.combinedUsd).toBeGreaterThanOrEqual(Math.max(...items.map((r) => r.projectedSavingsUsd)) - 0.01);
        expect(s.combinedUsd).toBeLessThanOrEqual(items.reduce((t, r) => t + r.currentMonthlyUsd, 0) + 0.01);
      }),
      { numRuns: 200 },
    );
  });

  it("combines the spot and scheduled-scaling advice the rules give for one training workload", () => {
    // On-demand training that runs 8 GPUs on weekdays and needs 1 at weekends: both spot and scheduled scaling apply.
    const weekend = (ts: number) => [0, 6].includes(new Date(ts).getUTCDay());
    const rows = plantRows([{ team: "nlp", workloadType: "training", nodePool: "train", instanceType: "g5.xlarge", gpus: 8, utilization: (ts) => (weekend(ts) ? 5 : 90) }]);
    const recs = computeRecommendations({ rows, now: NOW, cloud: "aws" });
    expect(recs.map((r) => r.category).sort()).toEqual(expect.arrayContaining(["scheduled-scaling", "spot"]));
    const s = combinedSavings(recs);
    const cost = Math.max(...recs.map((r) => r.currentMonthlyUsd));
    expect(s.overlappingWorkloads).toEqual(["nlp / train / training"]);
    expect(s.combinedUsd).toBeLessThan(s.sumUsd);
    expect(s.combinedUsd).toBeLessThanOrEqual(cost);
  });
});

describe("workloadRefsOf", () => {
  it("reads the stored resources JSON and leaves out what is malformed", () => {
    expect(workloadRefsOf([{ team: "a", nodePool: "p", workloadType: "training", gpus: 2 }, { team: "b" }, null, "x", { team: "c", nodePool: "q" }])).toEqual([
      { team: "a", nodePool: "p", workloadType: "training" },
      { team: "c", nodePool: "q", workloadType: null },
    ]);
    expect(workloadRefsOf(null)).toEqual([]);
  });
});
