// The dashboard's and the monthly report's utilization p50/p90 through the real database, against the pure
// definition (utilizationPercentiles) applied to the planted hourly rows: the report exactly, the dashboard from its
// daily histogram to the nearest percent (bucketedUtilizationPercentiles).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { rollupSamples } from "./allocation";
import { buildMonthlyReport } from "@/lib/costs/reports/build-report.server";
import { costSummary } from "./cost-queries.server";
import { DEMO_SOURCE } from "@/lib/costs/sources/demo-fleet";
import { plantSamples, type Plant } from "@/lib/costs/planted-fleet.test-helper";
import { DAY_MS, HOUR_MS, type GpuSample, type UsageRow } from "@/lib/costs/schema";
import { refreshDailyRollup, upsertUsageRows } from "./usage-store.server";
import { bucketedUtilizationPercentiles, utilizationPercentiles } from "./utilization-percentiles";

const NOV_1 = Date.UTC(2026, 10, 1);
const NOV_8 = Date.UTC(2026, 10, 8);
// Late on 7 November: the dashboard's last 7 days and the report's month to date are the same hours, 1–7 November.
const now = NOV_8 - 30 * 60_000;
const dayOf = (ts: number) => Math.floor((ts - NOV_1) / DAY_MS);

// November: utilization changes from day to day but not within a day, where the dashboard's daily rollup is exact.
const november: Plant[] = [
  {
    team: "mixed",
    workloadType: "notebook",
    nodePool: "shared",
    instanceType: "g5.xlarge",
    gpus: 1,
    days: 7,
    utilization: () => 5,
  },
  {
    team: "mixed",
    workloadType: "training",
    nodePool: "shared",
    instanceType: "p4d.24xlarge",
    gpus: 32,
    days: 7,
    utilization: (ts) => 90 - 10 * dayOf(ts),
  },
  {
    team: "solo",
    workloadType: "inference",
    nodePool: "solo",
    instanceType: "g6.xlarge",
    gpus: 4,
    days: 7,
    utilization: (ts) => 20 + 10 * (dayOf(ts) % 2),
  },
];

/** October: per hour, 40 GPUs at 5% all hour and 40 at 90% for half of it (a pod that left half-way). */
function october(): GpuSample[] {
  const base = { instanceType: "g5.xlarge", team: "halves", workloadType: "batch", nodePool: "halves" };
  const whole = plantSamples({ ...base, gpus: 40, days: 7, utilization: () => 5 }, NOV_1);
  const half = plantSamples({ ...base, gpus: 40, days: 7, utilization: () => 90 }, NOV_1).map((s) => ({
    ...s,
    gpuId: `${s.gpuId}-h`,
    hours: 0.5,
  }));
  return [...whole, ...half];
}

// December: utilization swings within the day, which a daily mean hides.
const DEC_1 = Date.UTC(2026, 11, 1);
const DEC_8 = Date.UTC(2026, 11, 8);
const decemberNow = DEC_8 - 30 * 60_000;
const hourOfDay = (ts: number) => Math.floor((ts % DAY_MS) / HOUR_MS);
const december: Plant[] = [
  // A nightly batch: 90% for 6 hours and 3% for 18, every day. Its daily mean is 24.75%, every day.
  {
    team: "nightly",
    workloadType: "batch",
    nodePool: "nightly",
    instanceType: "g5.xlarge",
    gpus: 8,
    days: 7,
    utilization: (ts) => (hourOfDay(ts) < 6 ? 90 : 3),
  },
  // Serving that follows the day, on 2 GPUs at night and 14 by day, at utilizations with fractions.
  {
    team: "serving",
    workloadType: "inference",
    nodePool: "serving",
    instanceType: "g6.xlarge",
    gpus: (ts) => (hourOfDay(ts) >= 8 && hourOfDay(ts) < 20 ? 14 : 2),
    days: 7,
    utilization: (ts) => 37.3 + 41.9 * Math.abs(Math.sin(hourOfDay(ts) * 0.7 + dayOf(ts))),
  },
  {
    team: "serving",
    workloadType: "training",
    nodePool: "shared",
    instanceType: "p4d.24xlarge",
    gpus: 16,
    days: 7,
    utilization: (ts) => 55.3 + 30.2 * Math.cos(hourOfDay(ts) / 3.8),
  },
  {
    team: "nightly",
    workloadType: "notebook",
    nodePool: "shared",
    instanceType: "g5.xlarge",
    gpus: 1,
    days: 7,
    utilization: (ts) => (hourOfDay(ts) % 5) * 11.7,
  },
];

let drop: () => Promise<void>;
let novemberRows: UsageRow[];
let decemberRows: UsageRow[];

beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("costs_util_pct"));
  const db = getPrisma();
  const rate = () => 2;
  novemberRows = rollupSamples(
    november.flatMap((p) => plantSamples(p, NOV_8)),
    DEMO_SOURCE,
    rate,
  );
  decemberRows = rollupSamples(
    december.flatMap((p) => plantSamples(p, DEC_8)),
    DEMO_SOURCE,
    rate,
  );
  await upsertUsageRows(db, [...rollupSamples(october(), DEMO_SOURCE, rate), ...novemberRows, ...decemberRows]);
  await refreshDailyRollup(db, DEMO_SOURCE, NOV_1 - 7 * DAY_MS, NOV_8);
  await refreshDailyRollup(db, DEMO_SOURCE, DEC_1, DEC_8);
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

describe("utilization p50/p90 over GPU-hours", () => {
  it("the 1-GPU group at 5% weighs 1/32 of the 32-GPU group in both the dashboard and the report", async () => {
    const db = getPrisma();
    // mixed: 1 GPU at 5% and 32 GPUs at 90, 80, ..., 30% on 1–7 November: half the GPU-hours are at 60% or less.
    const byPool = await costSummary(db, { days: 7, groupBy: "nodePool", teams: null, now });
    expect(byPool.utilization.find((u) => u.group === "shared")).toMatchObject({ p50: 60, p90: 90 });
    const report = (await buildMonthlyReport(db, { month: "2026-11", teams: ["mixed"], now })).utilization;
    expect(report.p50).toBeCloseTo(60, 9);
    expect(report.p90).toBeCloseTo(90, 9);
  });

  it("the dashboard's figure for each team is the report's for that team, and both are the definition's", async () => {
    const db = getPrisma();
    const dashboard = await costSummary(db, { days: 7, groupBy: "team", teams: null, now });
    expect(dashboard.utilization.map((u) => u.group).sort()).toEqual(["mixed", "solo"]);
    for (const team of ["mixed", "solo"]) {
      const expected = utilizationPercentiles(novemberRows.filter((r) => r.team === team));
      const shown = dashboard.utilization.find((u) => u.group === team)!;
      const report = (await buildMonthlyReport(db, { month: "2026-11", teams: [team], now })).utilization;
      // Whole percents here: the dashboard's nearest percent is the exact figure.
      expect([shown.p50, shown.p90], team).toEqual([expected.p50, expected.p90].map((v) => Math.round(v * 100) / 100));
      expect(report.p50, team).toBeCloseTo(expected.p50, 9);
      expect(report.p90, team).toBeCloseTo(expected.p90, 9);
    }
    // solo: 4 GPUs at 20% on 4 days and 30% on 3.
    expect(dashboard.utilization.find((u) => u.group === "solo")).toMatchObject({ p50: 20, p90: 30 });
  });

  it("the report's fleet figures cover its month only", async () => {
    const db = getPrisma();
    const report = await buildMonthlyReport(db, { month: "2026-11", teams: null, now });
    const expected = utilizationPercentiles(novemberRows);
    expect(report.utilization.p50).toBeCloseTo(expected.p50, 9);
    expect(report.utilization.p90).toBeCloseTo(expected.p90, 9);
    // October (60 GPU-hours an hour at 33%) would pull November's median down to 33%.
    expect(expected.p50).toBe(50);
  });

  it("shares idle and underutilized GPU-hours, not samples, when samples cover part of an hour", async () => {
    const db = getPrisma();
    // Each October hour: 40 GPU-hours at 5% and 20 at 90% (40 half-hour samples): 2/3 of the GPU-hours, half the samples.
    const u = (await buildMonthlyReport(db, { month: "2026-10", teams: null, now })).utilization;
    expect(u.idlePercent).toBeCloseTo(200 / 3, 9);
    expect(u.underutilizedPercent).toBeCloseTo(200 / 3, 9);
    // All of it is one rollup row an hour, at (40 × 5% + 20 × 90%) / 60 = 33.3%.
    expect(u.avg).toBeCloseTo(100 / 3, 9);
    expect(u.p50).toBeCloseTo(100 / 3, 9);
    expect(u.p90).toBeCloseTo(100 / 3, 9);
  });

  it("within the day: the dashboard shows each group's hourly utilization to the nearest percent, the report's figure", async () => {
    const db = getPrisma();
    const inGroup = (groupBy: "team" | "workloadType" | "nodePool", group: string) =>
      decemberRows.filter((r) => r[groupBy] === group);
    for (const groupBy of ["team", "workloadType", "nodePool"] as const) {
      const dashboard = await costSummary(db, { days: 7, groupBy, teams: null, now: decemberNow });
      const groups = [...new Set(decemberRows.map((r) => r[groupBy]))].sort();
      expect(dashboard.utilization.map((u) => u.group).sort(), groupBy).toEqual(groups);
      for (const group of groups) {
        const shown = dashboard.utilization.find((u) => u.group === group)!;
        const bucketed = bucketedUtilizationPercentiles(inGroup(groupBy, group));
        const exact = utilizationPercentiles(inGroup(groupBy, group));
        expect([shown.p50, shown.p90], `${groupBy} ${group}`).toEqual([bucketed.p50, bucketed.p90]);
        expect(Math.abs(shown.p50 - exact.p50), `${groupBy} ${group} p50`).toBeLessThanOrEqual(0.5);
        expect(Math.abs(shown.p90 - exact.p90), `${groupBy} ${group} p90`).toBeLessThanOrEqual(0.5);
      }
    }
    for (const team of ["nightly", "serving"]) {
      const shown = (await costSummary(db, { days: 7, groupBy: "team", teams: [team], now: decemberNow })).utilization;
      const report = (await buildMonthlyReport(db, { month: "2026-12", teams: [team], now: decemberNow })).utilization;
      const exact = utilizationPercentiles(inGroup("team", team));
      expect(
        shown.map((u) => u.group),
        team,
      ).toEqual([team]);
      expect(report.p50, team).toBeCloseTo(exact.p50, 9);
      expect(report.p90, team).toBeCloseTo(exact.p90, 9);
      expect(Math.abs(shown[0]!.p50 - report.p50), `${team} p50 ${shown[0]!.p50} vs ${report.p50}`).toBeLessThanOrEqual(
        0.5,
      );
      expect(Math.abs(shown[0]!.p90 - report.p90), `${team} p90 ${shown[0]!.p90} vs ${report.p90}`).toBeLessThanOrEqual(
        0.5,
      );
    }
    // The nightly batch's GPU-hours are 3% for three quarters of the day and 90% for the rest, not 24.75% (its daily mean).
    const byPool = await costSummary(db, { days: 7, groupBy: "nodePool", teams: null, now: decemberNow });
    expect(byPool.utilization.find((u) => u.group === "nightly")).toMatchObject({
      p50: 3,
      p90: 90,
      utilizationAvg: 24.75,
    });
    // The serving pool's figures have fractions, so the nearest percent is not trivially the exact figure.
    const serving = utilizationPercentiles(inGroup("nodePool", "serving"));
    expect([serving.p50 % 1, serving.p90 % 1].every((f) => f > 0.01 && f < 0.99)).toBe(true);
  });

  it("a re-read hour that moves to another bucket leaves no GPU-hours in its old one", async () => {
    const db = getPrisma();
    // Its own source, so the dashboard tests above keep their rows: one day of one group, read twice.
    const day = rollupSamples(
      plantSamples(
        {
          team: "t",
          workloadType: "batch",
          nodePool: "p",
          instanceType: "g5.xlarge",
          gpus: 4,
          days: 1,
          utilization: (ts) => (hourOfDay(ts) < 12 ? 20 : 70),
        },
        DEC_8,
      ),
      "prometheus",
      () => 2,
    );
    const histogram = () =>
      db.gpuUtilizationDailyHistogram.findMany({
        where: { source: "prometheus" },
        orderBy: { utilization: "asc" },
        select: { day: true, utilization: true, gpuHours: true },
      });
    await upsertUsageRows(db, day);
    await refreshDailyRollup(db, "prometheus", DEC_8 - DAY_MS, DEC_8);
    expect(await histogram()).toEqual(
      [20, 70].map((utilization) => ({ day: new Date(DEC_8 - DAY_MS), utilization, gpuHours: 48 })),
    );
    // The afternoon's hours were partial at the first read: they were at 45% all along.
    await upsertUsageRows(
      db,
      day.map((r) => (r.hour >= DEC_8 - 12 * HOUR_MS ? { ...r, gpuHoursUsed: r.gpuHoursAllocated * 0.45 } : r)),
    );
    await refreshDailyRollup(db, "prometheus", DEC_8 - 6 * HOUR_MS, DEC_8);
    expect(await histogram()).toEqual(
      [20, 45].map((utilization) => ({ day: new Date(DEC_8 - DAY_MS), utilization, gpuHours: 48 })),
    );
  });
});
