import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lookupPrice, priceTable } from "@/lib/pricing/lookup-price";
import { combinedSavings, workloadRefsOf, type SavingsItem, type WorkloadRef } from "./combined-savings";
import { NOW, plantRows } from "@/lib/costs/planted-fleet.test-helper";
import { computeRecommendations } from "./recommendations";

const on = (team: string, nodePool: string, workloadType = "training") => ({ team, nodePool, workloadType });
const rec = (
  currentMonthlyUsd: number,
  projectedSavingsUsd: number,
  ...resources: SavingsItem["resources"][number][]
): SavingsItem => ({ currentMonthlyUsd, projectedSavingsUsd, resources });

describe("combinedSavings", () => {
  it("combines spot and scheduled scaling on one workload below their sum and below the workload's cost", () => {
    // 60% off by spot, then 50% of what is left by scaling down: 1,000 × (1 − 0.4 × 0.5) = 800, not 1,100.
    const s = combinedSavings([rec(1000, 600, on("nlp", "train")), rec(1000, 500, on("nlp", "train"))]);
    expect(s).toEqual({ sumUsd: 1100, combinedUsd: 800, overlappingWorkloads: ["nlp / train / training"] });
  });

  it("names overlapping workloads by the team's name when given one, still keyed by slug", () => {
    const names: Record<string, string> = { nlp: "Natural language" };
    const s = combinedSavings(
      [rec(1000, 600, on("nlp", "train")), rec(1000, 500, on("nlp", "train")), rec(100, 50, on("cv", "train"))],
      (slug) => names[slug] ?? slug,
    );
    expect(s).toEqual({
      sumUsd: 1150,
      combinedUsd: 850,
      overlappingWorkloads: ["Natural language / train / training"],
    });
  });

  it("never saves more than the workload costs, even when each rule alone would save all of it", () => {
    const s = combinedSavings([
      rec(1000, 1000, on("nlp", "train")),
      rec(1000, 900, on("nlp", "train")),
      rec(1000, 700, on("nlp", "train")),
    ]);
    expect(s.sumUsd).toBe(2600);
    expect(s.combinedUsd).toBe(1000);
  });

  it("adds recommendations on different workloads as they are", () => {
    const s = combinedSavings([
      rec(1000, 600, on("nlp", "train")),
      rec(1000, 500, on("vision", "train")), // same pool name, another team
      rec(1000, 400, on("nlp", "train", "batch")), // same team and pool, another workload type
      rec(300, 250, on("recsys", "inf", "inference")),
    ]);
    expect(s).toEqual({ sumUsd: 1750, combinedUsd: 1750, overlappingWorkloads: [] });
  });

  it("counts a saving for no more than the current cost of what it changes, even alone", () => {
    const s = combinedSavings([rec(300, 450, on("recsys", "inf", "inference")), rec(1000, 500, on("nlp", "train"))]);
    expect(s).toEqual({ sumUsd: 950, combinedUsd: 800, overlappingWorkloads: [] });
  });

  it("does not tie two teams' advice together through a consolidation that names both (the reviewer's counter-example)", () => {
    const a = rec(1000, 900, on("a", "pool"));
    const b = rec(1000, 900, on("b", "pool"));
    expect(combinedSavings([a, b]).combinedUsd).toBe(1800);
    // Combined as one group against the pool's 2,000 this gave 1,425; per workload each team's part is 1,000 × (1 − 0.1 × 0.95).
    for (const gpus of [4, undefined]) {
      const consolidation = rec(2000, 100, { ...on("a", "pool"), gpus }, { ...on("b", "pool"), gpus });
      expect(combinedSavings([a, b, consolidation])).toEqual({
        sumUsd: 1900,
        combinedUsd: 1810,
        overlappingWorkloads: ["a / pool / training", "b / pool / training"],
      });
    }
  });

  it("splits advice on several workloads by their GPUs and combines each part against that workload's own base", () => {
    // Consolidation of a shared pool (4,000, saving 1,000) over 4 + 4 + 2 GPUs: parts of 1,600/400, 1,600/400 and 800/200.
    const pool = [
      { ...on("nlp", "pool"), gpus: 4 },
      { ...on("vision", "pool"), gpus: 4 },
      { ...on("unallocated", "pool"), gpus: 2 },
    ];
    const s = combinedSavings([
      rec(4000, 1000, ...pool),
      rec(1000, 800, on("nlp", "pool")),
      rec(2000, 400, on("vision", "pool")),
      rec(500, 100, on("recsys", "other")),
    ]);
    // nlp: 1,600 × (1 − 0.75 × 0.5) = 1,000; vision: 2,000 × (1 − 0.8 × 0.8) = 720; unallocated 200; recsys 100.
    expect(s).toEqual({
      sumUsd: 2300,
      combinedUsd: 2020,
      overlappingWorkloads: ["nlp / pool / training", "vision / pool / training"],
    });
  });

  it("weighs a workload by all the GPUs the advice names on it, and splits equally when GPUs are not recorded", () => {
    // 2,000 saving 400 over a (6 GPUs on two instance types) and b (2 GPUs); team advice on b saves 500 of 1,000.
    const onB = rec(1000, 500, on("b", "pool"));
    const weighted = rec(
      2000,
      400,
      { ...on("a", "pool"), gpus: 4 },
      { ...on("a", "pool"), gpus: 2 },
      { ...on("b", "pool"), gpus: 2 },
    );
    // a keeps its part (300); b: 1,000 × (1 − 0.9 × 0.5) = 550.
    expect(combinedSavings([weighted, onB]).combinedUsd).toBe(850);
    // One resource without GPUs: equal parts (200 each); b: 1,000 × (1 − 0.8 × 0.5) = 600.
    const unweighted = rec(2000, 400, { ...on("a", "pool"), gpus: 6 }, on("b", "pool"));
    expect(combinedSavings([unweighted, onB]).combinedUsd).toBe(800);
  });

  it("keys a workload by team and node pool when the workload type is not recorded", () => {
    const s = combinedSavings([
      rec(100, 50, { team: "a", nodePool: "p" }),
      rec(100, 50, { team: "a", nodePool: "p", workloadType: null }),
    ]);
    expect(s).toEqual({ sumUsd: 100, combinedUsd: 75, overlappingWorkloads: ["a / p"] });
  });

  // Four workloads, so that advice often meets; a recommendation names any of them (or none), with or without GPUs.
  const refOf = (w: number, gpus: number | null): WorkloadRef => ({ ...on(`t${w}`, "pool"), gpus });
  const anyItem = fc
    .record({
      currentMonthlyUsd: fc.integer({ min: 0, max: 100_000 }),
      savingsCents: fc.integer({ min: 0, max: 15_000_000 }), // may exceed the current cost
      workloads: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
      gpus: fc.array(fc.option(fc.integer({ min: 0, max: 16 })), { minLength: 3, maxLength: 3 }),
    })
    .map((r): SavingsItem =>
      rec(r.currentMonthlyUsd, r.savingsCents / 100, ...r.workloads.map((w, i) => refOf(w, r.gpus[i] ?? null))),
    );

  it("never lowers the total when a recommendation is added", () => {
    fc.assert(
      fc.property(fc.array(anyItem, { maxLength: 8 }), anyItem, fc.nat(), (items, added, at) => {
        const before = combinedSavings(items).combinedUsd;
        const position = at % (items.length + 1);
        const after = combinedSavings([...items.slice(0, position), added, ...items.slice(position)]).combinedUsd;
        expect(after).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 500 },
    );
  });

  it("adds recommendations on disjoint workloads up to exactly their sum", () => {
    const disjoint = fc.array(
      fc.record({
        currentMonthlyUsd: fc.integer({ min: 1, max: 100_000 }),
        share: fc.double({ min: 0, max: 1, noNaN: true }),
        workloads: fc.integer({ min: 1, max: 3 }),
        gpus: fc.option(fc.integer({ min: 0, max: 16 })),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(disjoint, (raw) => {
        // Item i alone names workloads "i-0", "i-1", ...: no two items share one.
        const items = raw.map((r, i) =>
          rec(
            r.currentMonthlyUsd,
            Math.floor(r.currentMonthlyUsd * r.share * 100) / 100,
            ...Array.from({ length: r.workloads }, (_, k) => ({ ...on(`t${i}-${k}`, "pool"), gpus: r.gpus })),
          ),
        );
        const s = combinedSavings(items);
        expect(s.overlappingWorkloads).toEqual([]);
        expect(s.combinedUsd).toBe(s.sumUsd);
      }),
      { numRuns: 300 },
    );
  });

  it("never exceeds the sum of the savings nor the current cost of the workloads they change, nor falls below the largest", () => {
    // Workload k holds gpus[k] GPUs at $100 each a month; a rule measures a scope of up to all of what it names.
    const consistent = fc.record({
      gpus: fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 5, maxLength: 5 }),
      items: fc.array(
        fc.record({
          workloads: fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
          scope: fc.double({ min: 0.1, max: 1, noNaN: true }),
          share: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        { minLength: 1, maxLength: 8 },
      ),
    });
    fc.assert(
      fc.property(consistent, ({ gpus, items: raw }) => {
        const items = raw.map((r) => {
          const current = Math.floor(r.workloads.reduce((t, w) => t + gpus[w]! * 100, 0) * r.scope * 100) / 100;
          return rec(current, Math.floor(current * r.share * 100) / 100, ...r.workloads.map((w) => refOf(w, gpus[w]!)));
        });
        const affected = new Set(raw.flatMap((r) => r.workloads));
        const s = combinedSavings(items);
        expect(s.combinedUsd).toBeLessThanOrEqual(s.sumUsd);
        expect(s.combinedUsd).toBeLessThanOrEqual([...affected].reduce((t, w) => t + gpus[w]! * 100, 0));
        expect(s.combinedUsd).toBeGreaterThanOrEqual(Math.max(...items.map((r) => r.projectedSavingsUsd)));
      }),
      { numRuns: 300 },
    );
  });

  it("combines the spot and scheduled-scaling advice the rules give for one training workload", () => {
    // On-demand training that runs 8 GPUs on weekdays and needs 1 at weekends: both spot and scheduled scaling apply.
    const weekend = (ts: number) => [0, 6].includes(new Date(ts).getUTCDay());
    const rows = plantRows([
      {
        team: "nlp",
        workloadType: "training",
        nodePool: "train",
        instanceType: "g5.xlarge",
        gpus: 8,
        utilization: (ts) => (weekend(ts) ? 5 : 90),
      },
    ]);
    const recs = computeRecommendations({ rows, now: NOW, cloud: "aws" });
    expect(recs.map((r) => r.category).sort()).toEqual(expect.arrayContaining(["scheduled-scaling", "spot"]));
    const s = combinedSavings(recs);
    const cost = Math.max(...recs.map((r) => r.currentMonthlyUsd));
    expect(s.overlappingWorkloads).toEqual(["nlp / train / training"]);
    expect(s.combinedUsd).toBeLessThan(s.sumUsd);
    expect(s.combinedUsd).toBeLessThanOrEqual(cost);
  });

  it("adds a shared pool's consolidation in full: it frees the unallocated capacity, which no other advice changes", () => {
    // As in the demo: 32 on-demand training GPUs (idle at weekends, so spot and scheduled scaling apply) and a whole
    // p4d node nobody requested in the same pool.
    const weekend = (ts: number) => [0, 6].includes(new Date(ts).getUTCDay());
    const pool = { nodePool: "training-a100", instanceType: "p4d.24xlarge" };
    const rows = plantRows([
      {
        ...pool,
        team: "nlp",
        workloadType: "training",
        gpus: 32,
        utilization: (ts) => (weekend(ts) ? 2 : 90),
        memoryGiB: 36,
      },
      { ...pool, team: "unallocated", workloadType: "none", gpus: 8, utilization: () => 0, memoryGiB: 0 },
    ]);
    const recs = computeRecommendations({ rows, now: NOW, cloud: "aws" });
    const consolidation = recs.filter((r) => r.category === "consolidation");
    expect(consolidation).toHaveLength(1);
    expect(consolidation[0]!.resources.map((r) => r.team)).toEqual(["unallocated"]);
    // One whole p4d node freed, of the pool's five.
    const node = lookupPrice("aws", "p4d.24xlarge")!.onDemandHourly * priceTable("aws").hoursPerMonth;
    expect(consolidation[0]!.projectedSavingsUsd).toBeCloseTo(node, 2);
    expect(consolidation[0]!.currentMonthlyUsd).toBeCloseTo(5 * node, 2);
    const others = recs.filter((r) => r.category !== "consolidation");
    expect(others.map((r) => r.category).sort()).toEqual(expect.arrayContaining(["scheduled-scaling", "spot"]));
    expect(combinedSavings(recs).combinedUsd).toBeCloseTo(
      combinedSavings(others).combinedUsd + consolidation[0]!.projectedSavingsUsd,
      2,
    );
  });
});

describe("workloadRefsOf", () => {
  it("reads the stored resources JSON and leaves out what is malformed", () => {
    expect(
      workloadRefsOf([
        { team: "a", nodePool: "p", workloadType: "training", gpus: 2.5 },
        { team: "b" },
        null,
        "x",
        { team: "c", nodePool: "q" },
        { team: "d", nodePool: "r", gpus: "2" },
        { team: "e", nodePool: "s", gpus: -1 },
      ]),
    ).toEqual([
      { team: "a", nodePool: "p", workloadType: "training", gpus: 2.5 },
      { team: "c", nodePool: "q", workloadType: null, gpus: null },
      { team: "d", nodePool: "r", workloadType: null, gpus: null },
      { team: "e", nodePool: "s", workloadType: null, gpus: null },
    ]);
    expect(workloadRefsOf(null)).toEqual([]);
  });
});
