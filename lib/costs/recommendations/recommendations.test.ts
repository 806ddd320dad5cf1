import { assert, describe, expect, it } from "vitest";
import { lookupPrice, priceTable } from "@/lib/pricing/lookup-price";
import { planInputSchema } from "@/lib/plans/schema";
import { computeRecommendations } from "./recommendations";
import { consolidationTitle } from "./recommend-waste";
import { liveGpuRate } from "@/lib/pricing/live-prices";
import { NOW, plantRows } from "@/lib/costs/planted-fleet.test-helper";

const hourOf = (ts: number) => new Date(ts).getUTCHours();
const g5 = lookupPrice("aws", "g5.xlarge")!;
const p4d = lookupPrice("aws", "p4d.24xlarge")!;
const hpm = priceTable("aws").hoursPerMonth;

describe("recommendations on planted fleets", () => {
  it("finds an idle GPU pool with its monthly cost", () => {
    const rows = plantRows([
      { nodePool: "notebooks", instanceType: "g5.xlarge", gpus: 4, utilization: () => 2 },
      { nodePool: "busy", instanceType: "g5.xlarge", gpus: 2, utilization: () => 70 },
    ]);
    const idle = computeRecommendations({ rows, now: NOW, cloud: "aws" }).filter((r) => r.category === "idle");
    expect(idle).toHaveLength(1);
    expect(idle[0]!.resources[0]!.nodePool).toBe("notebooks");
    // 4 GPUs × on-demand price of a 1-GPU g5.xlarge × hours per month, all of it saved by releasing them.
    expect(idle[0]!.currentMonthlyUsd).toBeCloseTo(4 * g5.onDemandHourly * hpm, 2);
    expect(idle[0]!.projectedSavingsUsd).toBeCloseTo(idle[0]!.currentMonthlyUsd, 2);
  });

  it("does not call a pool idle when one recent hour reached 5%", () => {
    const spike = NOW - 2 * 24 * 3_600_000;
    const rows = plantRows([
      { nodePool: "notebooks", instanceType: "g5.xlarge", gpus: 4, utilization: (ts) => (ts === spike ? 6 : 2) },
    ]);
    expect(computeRecommendations({ rows, now: NOW, cloud: "aws" }).some((r) => r.category === "idle")).toBe(false);
  });

  it("turns a steady base load into reserved capacity priced from the table", () => {
    const rows = plantRows([
      // 16 GPUs at 85% need 16 GPUs at the 80% target: the whole base is in use around the clock.
      { nodePool: "base", instanceType: "p4d.24xlarge", gpus: 16, utilization: () => 85 },
      // A daytime burst on top: must not be committed to.
      {
        nodePool: "burst",
        instanceType: "p4d.24xlarge",
        gpus: (ts) => (hourOf(ts) >= 9 && hourOf(ts) < 17 ? 8 : 0),
        utilization: () => 75,
        team: "team-b",
      },
    ]);
    const reserved = computeRecommendations({ rows, now: NOW, cloud: "aws" }).filter(
      (r) => r.category === "reserved-capacity",
    );
    expect(reserved).toHaveLength(1);
    const nodes = 16 / p4d.gpuCount; // the base, in whole p4d nodes
    expect(reserved[0]!.title).toContain(`${nodes} × p4d.24xlarge`);
    expect(reserved[0]!.currentMonthlyUsd).toBeCloseTo(nodes * p4d.onDemandHourly * hpm, 2);
    expect(reserved[0]!.projectedSavingsUsd).toBeCloseTo(
      nodes * p4d.onDemandHourly * hpm * priceTable("aws").commitmentDiscount1yr,
      2,
    );
  });

  it("commits to no instance type that right-sizing tells the same workload to leave", () => {
    const llm = { nodePool: "llm", instanceType: "p4d.24xlarge", gpus: 64, utilization: () => 12, memoryGiB: 12 };
    const alone = computeRecommendations({ rows: plantRows([llm]), now: NOW, cloud: "aws" });
    expect(alone.map((r) => r.category)).toContain("right-sizing");
    expect(alone.some((r) => r.category === "reserved-capacity")).toBe(false);
    // Beside a steady p4d base of another team, the commitment covers that base alone, not the workload that moves.
    const rows = plantRows([
      llm,
      { nodePool: "base", instanceType: "p4d.24xlarge", gpus: 16, utilization: () => 85, team: "team-b" },
    ]);
    const reserved = computeRecommendations({ rows, now: NOW, cloud: "aws" }).filter(
      (r) => r.category === "reserved-capacity",
    );
    expect(reserved).toHaveLength(1);
    expect(reserved[0]!.title).toContain(`${16 / p4d.gpuCount} × p4d.24xlarge`);
    expect(reserved[0]!.resources.map((r) => r.nodePool)).toEqual(["base"]);
  });

  it.each([
    { utilization: 85, rightSized: false },
    { utilization: 15, rightSized: true },
  ])("right-sizes a p4d workload at $utilization% utilization: $rightSized", ({ utilization, rightSized }) => {
    const rows = plantRows([
      { nodePool: "llm", instanceType: "p4d.24xlarge", gpus: 8, utilization: () => utilization, memoryGiB: 10 },
    ]);
    const rs = computeRecommendations({ rows, now: NOW, cloud: "aws" }).filter((r) => r.category === "right-sizing");
    expect(rs.length > 0).toBe(rightSized);
  });

  it("does not right-size when the peak GPU memory only fits the current GPU", () => {
    const rows = plantRows([
      { nodePool: "llm", instanceType: "p4d.24xlarge", gpus: 8, utilization: () => 15, memoryGiB: 38 },
    ]);
    expect(computeRecommendations({ rows, now: NOW, cloud: "aws" }).some((r) => r.category === "right-sizing")).toBe(
      false,
    );
  });

  it("turns a diurnal pattern into scheduled scaling with the off-hours savings", () => {
    const day = (ts: number) => hourOf(ts) >= 8 && hourOf(ts) < 20;
    const rows = plantRows([
      { nodePool: "chat", instanceType: "g5.xlarge", gpus: 10, utilization: (ts) => (day(ts) ? 80 : 10) },
    ]);
    const sched = computeRecommendations({ rows, now: NOW, cloud: "aws" }).filter(
      (r) => r.category === "scheduled-scaling",
    );
    expect(sched).toHaveLength(1);
    // Daytime needs 10 × 80% / 80% = 10 GPUs; nights need ceil(10 × 10% / 80%) = 2: 8 GPUs × 12 h × 7 days a week spare.
    const weeklySpare = 8 * 12 * 7;
    expect(sched[0]!.projectedSavingsUsd).toBeCloseTo(weeklySpare * g5.onDemandHourly * (hpm / 168), 2);
    expect(sched[0]!.title).toContain("needs 2–10 GPUs, holds 10");
    expect(sched[0]!.title).toContain("down off-hours and at weekends");
  });

  it("sizes an inference workload's schedule as the inference table does: the week's peak and lowest hour", () => {
    const day = (ts: number) => hourOf(ts) >= 8 && hourOf(ts) < 20;
    const rows = plantRows([
      {
        team: "recsys",
        nodePool: "inference-a10g",
        instanceType: "g5.xlarge",
        workloadType: "inference",
        gpus: 10,
        utilization: (ts) => (day(ts) ? 80 : 10),
      },
    ]);
    const [alone] = computeRecommendations({ rows, now: NOW, cloud: "aws" }).filter(
      (r) => r.category === "scheduled-scaling",
    );
    assert(alone, "no alone recommendation");
    // From the rows alone the need is 10 → 2 GPUs (p90 at 80% target).
    expect(alone.title).toMatch(/: needs 2–10 GPUs, holds 10$/);
    // The table's queue-based sizing says the week's peak is 10 and nights need 3: the card names the same counts and
    // keeps 3 GPUs at night, saving 7 a night-hour instead of 8.
    const inferenceSizing = new Map([["recsys|inference-a10g", { peakGpus: 10, floorGpus: 3 }]]);
    const [sized] = computeRecommendations({ rows, now: NOW, cloud: "aws", inferenceSizing }).filter(
      (r) => r.category === "scheduled-scaling",
    );
    assert(sized, "no sized recommendation");
    expect(sized.title).toMatch(/: needs 3–10 GPUs, holds 10$/);
    expect(sized.projectedSavingsUsd).toBeCloseTo(7 * 12 * 7 * g5.onDemandHourly * (hpm / 168), 2);
    expect(sized.rationale).toContain("Sized as the inference scaling table");
  });

  it("makes no scheduled-scaling card from an inference table floor no sized hour reaches: a flat surplus is right-sizing", () => {
    const day = (ts: number) => hourOf(ts) >= 8 && hourOf(ts) < 20;
    // 8 GPUs held every hour; p90 need is ceil(8 × 18% / 80%) = 2 by day and ceil(8 × 12% / 80%) = 2 at night.
    const rows = plantRows([
      {
        team: "nlp",
        nodePool: "inference-a100",
        instanceType: "p4d.24xlarge",
        workloadType: "inference",
        gpus: 8,
        utilization: (ts) => (day(ts) ? 18 : 12),
      },
    ]);
    // The table's floor (1) is below every hour's need: clamped, every hour needs 2, so there is no off-hours pattern.
    const inferenceSizing = new Map([["nlp|inference-a100", { peakGpus: 2, floorGpus: 1 }]]);
    const recs = computeRecommendations({ rows, now: NOW, cloud: "aws", inferenceSizing });
    expect(recs.filter((r) => r.category === "scheduled-scaling")).toEqual([]);
    // The 8 → 2 surplus every hour is the right-size card's, counted once.
    expect(recs.filter((r) => r.category === "right-sizing").map((r) => r.resources[0]!.nodePool)).toEqual([
      "inference-a100",
    ]);
  });

  it("names the sized hourly needs on a scheduled-scaling card: title, hours and saving agree", () => {
    const day = (ts: number) => hourOf(ts) >= 8 && hourOf(ts) < 20;
    // 10 GPUs held; need 10 by day and ceil(10 × 10% / 80%) = 2 at night.
    const rows = plantRows([
      {
        team: "recsys",
        nodePool: "inference-a10g",
        instanceType: "g5.xlarge",
        workloadType: "inference",
        gpus: 10,
        utilization: (ts) => (day(ts) ? 80 : 10),
      },
    ]);
    // A table floor of 1 that no hour needs: the card must not promise a 1-GPU hour.
    const inferenceSizing = new Map([["recsys|inference-a10g", { peakGpus: 10, floorGpus: 1 }]]);
    const [card] = computeRecommendations({ rows, now: NOW, cloud: "aws", inferenceSizing }).filter(
      (r) => r.category === "scheduled-scaling",
    );
    assert(card, "no scheduled-scaling card");
    const [, low, peak] = /: needs (\d+)–(\d+) GPUs, holds 10$/.exec(card.title)!.map(Number);
    expect([peak, low]).toEqual([10, 2]);
    const [, lowHours, lowCount] = /(\d+) of 168 weekly hours need only (\d+)/.exec(card.rationale)!.map(Number);
    expect([lowHours, lowCount]).toEqual([12 * 7, 2]);
    // The saving recomputed from the card's own numbers: (held − low) GPUs in each of the low hours.
    expect(card.projectedSavingsUsd).toBeCloseTo((10 - low!) * lowHours! * g5.onDemandHourly * (hpm / 168), 2);
  });

  it("titles scheduled scaling by when its saving falls: weekends only, or every night too", () => {
    const weekend = (ts: number) => [0, 6].includes(new Date(ts).getUTCDay());
    const weekdayOffHours = (ts: number) => !weekend(ts) && (hourOf(ts) < 8 || hourOf(ts) >= 20);
    const titleOf = (utilization: (ts: number) => number) =>
      computeRecommendations({
        rows: plantRows([
          { nodePool: "train", instanceType: "g5.xlarge", workloadType: "inference", gpus: 8, utilization },
        ]),
        now: NOW,
        cloud: "aws",
      }).find((r) => r.category === "scheduled-scaling")?.title;
    expect(titleOf((ts) => (weekend(ts) ? 5 : 90))).toMatch(/down at weekends: needs 1–8 GPUs, holds 8$/);
    // Busy only on weekday daytimes: the saving is in 123 of the week's 168 hours, not only at weekends.
    expect(titleOf((ts) => (weekend(ts) || weekdayOffHours(ts) ? 5 : 90))).toMatch(
      /down off-hours and at weekends: needs 1–8 GPUs, holds 8$/,
    );
    expect(titleOf((ts) => (hourOf(ts) < 8 || hourOf(ts) >= 20 ? 5 : 90))).toMatch(/down off-hours and at weekends/);
  });

  it("saves no more on a workload with gaps than the off-hours it actually ran, and never more than it costs", () => {
    // 8 GPUs busy 14:00–17:00, running only the first 14 of 28 days, plus one restart hour just before now.
    const start = NOW - 28 * 24 * 3_600_000;
    const running = (ts: number) => ts < start + 14 * 24 * 3_600_000 || ts >= NOW - 3_600_000;
    const busy = (ts: number) => hourOf(ts) >= 14 && hourOf(ts) < 17;
    const rows = plantRows([
      {
        nodePool: "p",
        instanceType: "g5.xlarge",
        gpus: (ts) => (running(ts) ? 8 : 0),
        days: 28,
        utilization: (ts) => (busy(ts) ? 95 : 3),
      },
    ]);
    const sched = computeRecommendations({ rows, now: NOW, cloud: "aws" }).filter(
      (r) => r.category === "scheduled-scaling",
    );
    expect(sched).toHaveLength(1);
    expect(sched[0]!.title).toContain("needs 1–8 GPUs, holds 8");
    // Off-hours actually run: 21 a day for 14 days, and the restart hour; each keeps 1 of its 8 GPUs. The span is 4 weeks.
    const spanHours = 28 * 24;
    const ranHours = 24 * 14 + 1;
    const offHoursRun = 21 * 14 + 1;
    expect(sched[0]!.currentMonthlyUsd).toBeCloseTo((8 * ranHours * g5.onDemandHourly * hpm) / spanHours, 2);
    expect(sched[0]!.projectedSavingsUsd).toBeCloseTo((7 * offHoursRun * g5.onDemandHourly * hpm) / spanHours, 2);
    expect(sched[0]!.projectedSavingsUsd).toBeLessThanOrEqual(sched[0]!.currentMonthlyUsd);
  });

  it("does not schedule a flat workload", () => {
    const rows = plantRows([{ nodePool: "chat", instanceType: "g5.xlarge", gpus: 10, utilization: () => 70 }]);
    expect(
      computeRecommendations({ rows, now: NOW, cloud: "aws" }).some((r) => r.category === "scheduled-scaling"),
    ).toBe(false);
  });

  it("recommends spot only for on-demand training and batch, with the price difference as savings", () => {
    const rows = plantRows([
      { nodePool: "train", instanceType: "p4d.24xlarge", gpus: 8, utilization: () => 90, workloadType: "training" },
      {
        nodePool: "serve",
        instanceType: "p4d.24xlarge",
        gpus: 8,
        utilization: () => 90,
        workloadType: "inference",
        team: "team-b",
      },
    ]);
    const spot = computeRecommendations({ rows, now: NOW, cloud: "aws" }).filter((r) => r.category === "spot");
    expect(spot.map((r) => r.resources[0]!.nodePool)).toEqual(["train"]);
    expect(spot[0]!.projectedSavingsUsd).toBeCloseTo(8 * hpm * ((p4d.onDemandHourly - p4d.spotHourly!) / 8), 2);
  });

  it("gives every recommendation a stable fingerprint and a request draft the plan engine accepts", () => {
    const rows = plantRows([
      { nodePool: "notebooks", instanceType: "g5.xlarge", gpus: 4, utilization: () => 2 },
      { nodePool: "train", instanceType: "p4d.24xlarge", gpus: 16, utilization: () => 90, workloadType: "training" },
      { nodePool: "llm", instanceType: "p4d.24xlarge", gpus: 8, utilization: () => 15, team: "team-b" },
    ]);
    const a = computeRecommendations({ rows, now: NOW, cloud: "aws" });
    const b = computeRecommendations({ rows, now: NOW + 3_600_000, cloud: "aws" });
    expect(a.length).toBeGreaterThan(2);
    expect(new Set(a.map((r) => r.fingerprint)).size).toBe(a.length);
    expect(b.map((r) => r.fingerprint).sort()).toEqual(a.map((r) => r.fingerprint).sort());
    for (const r of a) {
      expect(r.requestDraft).not.toBeNull();
      const parsed = planInputSchema.safeParse(r.requestDraft);
      expect(parsed.success, `${r.category}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });
});

describe("team names in what people read", () => {
  const rows = plantRows([
    // Idle (release), on-demand training (spot) and a day/night inference pattern (scheduled scaling).
    { team: "nlp", nodePool: "notebooks", instanceType: "g5.xlarge", gpus: 4, utilization: () => 2 },
    {
      team: "recsys",
      workloadType: "training",
      nodePool: "train",
      instanceType: "g5.xlarge",
      gpus: 4,
      utilization: () => 90,
    },
    {
      team: "vision",
      nodePool: "serve",
      instanceType: "g5.xlarge",
      gpus: 8,
      utilization: (ts) => (hourOf(ts) >= 8 && hourOf(ts) < 20 ? 30 : 5),
    },
  ]);
  const teamNames = new Map([
    ["nlp", "Natural language"],
    ["recsys", "Recommender systems"],
    ["vision", "Imaging"],
  ]);
  const recs = computeRecommendations({ rows, now: NOW, cloud: "aws", teamNames });

  it.each([
    ["idle", "Release 4 idle g5.xlarge GPUs of Natural language (notebooks)"],
    ["spot", "Run Recommender systems training in train on spot g5.xlarge"],
  ])("titles %s advice by the team's name", (category, title) => {
    expect(recs.filter((r) => r.category === category).map((r) => r.title)).toContain(title);
  });

  it("never shows a team slug as a word in a title, rationale or action item", () => {
    expect(recs.map((r) => r.category)).toEqual(expect.arrayContaining(["idle", "spot", "scheduled-scaling"]));
    for (const r of recs)
      for (const text of [r.title, r.rationale, ...r.actionItems]) expect(text).not.toMatch(/\b(nlp|recsys|vision)\b/);
    // The slug stays what the data is keyed by.
    expect(recs.find((r) => r.category === "idle")!.team).toBe("nlp");
  });

  it("says what a scheduled-scaling workload holds, not only what it needs", () => {
    const sched = recs.find((r) => r.category === "scheduled-scaling");
    assert(sched, "no scheduled-scaling card");
    expect(sched.title).toBe("Scale Imaging inference (serve) down off-hours and at weekends: needs 1–3 GPUs, holds 8");
    expect(sched.rationale).toContain("but holds 8 when it runs");
  });
});

describe("consolidation wording", () => {
  it("counts whole nodes as whole numbers: 1 of its 6 nodes, not 1.0 of its nodes", () => {
    // The demo's pool: 5 nodes' worth of requested GPUs and one p4d nobody requested, every hour.
    const pool = { nodePool: "training-a100", instanceType: "p4d.24xlarge" };
    const rows = plantRows([
      { ...pool, team: "nlp", workloadType: "training", gpus: 40, utilization: () => 90, memoryGiB: 36 },
      { ...pool, team: "unallocated", workloadType: "none", gpus: 8, utilization: () => 0, memoryGiB: 0 },
    ]);
    const consolidation = computeRecommendations({ rows, now: NOW, cloud: "aws" }).filter(
      (r) => r.category === "consolidation",
    );
    expect(consolidation.map((r) => r.title)).toEqual([
      "Consolidate training-a100: 1 of its 6 p4d.24xlarge nodes is not needed",
    ]);
    expect(consolidation[0]!.rationale).toMatch(/^On average 1 more 8-GPU node ran than/);
    // Weighed against the pool's cost (6 nodes), as the rationale says, not against the freed node's own cost.
    const poolMonthly = 6 * p4d.onDemandHourly * hpm;
    expect(consolidation[0]!.currentMonthlyUsd).toBeCloseTo(poolMonthly, 0);
    expect(consolidation[0]!.projectedSavingsUsd).toBeCloseTo(poolMonthly / 6, 0);
    expect(consolidation[0]!.rationale).toContain(
      `of the pool's $${poolMonthly.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`,
    );
  });

  it.each([
    [2, 4, "Consolidate pool: 2 of its 4 p4d.24xlarge nodes are not needed"],
    [0.98, 3.02, "Consolidate pool: 1 of its 3 p4d.24xlarge nodes is not needed"],
    [1.44, 4, "Consolidate pool: on average 1.4 p4d.24xlarge nodes more than its pods need"],
    [2, 5.5, "Consolidate pool: on average 2 p4d.24xlarge nodes more than its pods need"],
    [1, 5.4, "Consolidate pool: on average 1 p4d.24xlarge node more than its pods need"],
  ])("titles %s of %s nodes as %j", (excess, running, title) => {
    expect(consolidationTitle("pool", "p4d.24xlarge", excess, running)).toBe(title);
  });
});

describe("recommendations for capacity of unknown type (no capacity label)", () => {
  const rows = plantRows([
    {
      team: "vision",
      workloadType: "batch",
      nodePool: "batch",
      instanceType: "g5.xlarge",
      capacityType: "unknown",
      gpus: 4,
      utilization: () => 20,
      memoryGiB: 4,
    },
  ]);
  const recs = computeRecommendations({ rows, now: NOW, cloud: "aws" });

  it("advises no spot: the capacity may already be spot", () => {
    expect(recs.filter((r) => r.category === "spot")).toEqual([]);
  });

  it("promises the smaller of the on-demand and spot savings of a move", () => {
    const [move] = recs.filter((r) => r.category === "right-sizing");
    assert(move, "no move recommendation");
    const to = lookupPrice("aws", move.title.split(" to ")[1]!)!;
    const perHour = Math.min(g5.onDemandHourly - to.onDemandHourly, g5.spotHourly! - to.spotHourly!);
    expect(move.projectedSavingsUsd).toBeCloseTo(4 * hpm * perHour, 1);
  });
});

describe("recommendations priced at the costs' live prices", () => {
  // A p5 training pool whose live (price API) on-demand price is 45% below the offline table's (issue 13's review).
  const p5 = lookupPrice("aws", "p5.48xlarge")!;
  const livePrices = {
    region: "us-west-2",
    prices: new Map([
      [
        "p5.48xlarge",
        { instanceType: "p5.48xlarge", onDemandHourly: p5.onDemandHourly * 0.55, gpuCount: 8, fetchedAt: NOW },
      ],
    ]),
  };
  const rate = liveGpuRate("aws", livePrices.prices);
  const rows = plantRows([
    {
      team: "nlp",
      workloadType: "training",
      nodePool: "train-h100",
      instanceType: "p5.48xlarge",
      gpus: 8,
      days: 15,
      utilization: () => 90,
      memoryGiB: 60,
    },
  ]).map((r) => ({ ...r, costUsd: r.gpuHoursAllocated * rate("p5.48xlarge", "on_demand") }));

  it("saves what spot saves at the live price and quotes the price the costs page charges", () => {
    const liveOd = rate("p5.48xlarge", "on_demand");
    const liveSpot = rate("p5.48xlarge", "spot");
    expect(liveOd).toBeCloseTo((p5.onDemandHourly * 0.55) / 8, 9);
    const [spot] = computeRecommendations({ rows, now: NOW, cloud: "aws", livePrices }).filter(
      (r) => r.category === "spot",
    );
    assert(spot, "no spot recommendation");
    expect(spot.projectedSavingsUsd).toBeCloseTo(8 * hpm * (liveOd - liveSpot), 1);
    // Not the whole cost: at the table's on-demand price the saving was capped at everything the pool costs.
    expect(spot.projectedSavingsUsd).toBeLessThan(spot.currentMonthlyUsd * 0.9);
    expect(spot.rationale).toContain(`$${liveOd.toFixed(2)} on demand`);
    expect(spot.rationale).toContain("live price API, us-west-2");
  });

  it("without live prices, quotes the offline table", () => {
    const [spot] = computeRecommendations({ rows, now: NOW, cloud: "aws" }).filter((r) => r.category === "spot");
    assert(spot, "no spot recommendation");
    expect(spot.rationale).toContain(`$${(p5.onDemandHourly / 8).toFixed(2)} on demand`);
    expect(spot.rationale).toContain(`offline table, ${priceTable("aws").region}`);
  });
});
