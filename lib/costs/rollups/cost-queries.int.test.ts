import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/generated/prisma/client";
import { COST_SETTINGS_KEY, seedDemoUsage } from "@/lib/costs/sources/ingest-usage.server";
import { costSummary, teamCostsBothWays, teamsInData } from "./cost-queries.server";
import { scopeFor } from "@/lib/costs/scope.server";
import { getCostSummary } from "./get-cost-summary.server";
import { getCostTimeseries } from "./get-cost-timeseries.server";
import { getCostHeatmap } from "./get-cost-heatmap.server";
import { exportDailyCosts } from "@/lib/costs/reports/export-daily-costs.server";
import { getMonthlyReport } from "@/lib/costs/reports/get-monthly-report.server";
import { listTeamBudgets } from "@/lib/costs/list-team-budgets.server";
import { getCostsOverview } from "@/lib/costs/get-costs-overview.server";
import { getTeamCosts } from "@/lib/costs/get-team-costs.server";
import { listVisibleRecommendations } from "@/lib/costs/recommendations/list-visible-recommendations.server";
import { dailyByTeamSharingIdle } from "./rollup-reads.server";
import { inferenceScalingRows, teamUnitEconomics } from "./cost-metrics.server";
import { computeInferenceScaling, refreshIngestionResults } from "./ingestion-results.server";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import { groupBys, rangeDays } from "@/lib/costs/schema";
import { listRecommendations } from "@/lib/costs/recommendations/list-recommendations.server";
import { changeRecommendationState } from "@/lib/costs/recommendations/change-recommendation-state.server";
import { buildMonthlyReport } from "@/lib/costs/reports/build-report.server";
import { monthlyReportMarkdown, reportTotals } from "@/lib/costs/reports/monthly-report";

const now = Date.UTC(2026, 10, 29, 7, 30);
let drop: () => Promise<void>;
let engineer: PortalUser;
let finance: PortalUser;

beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("costs_queries"));
  const db = getPrisma();
  const recsys = await db.team.create({ data: { slug: "recsys", name: "Recommendations", monthlyBudgetUsd: 1000 } });
  await db.team.create({ data: { slug: "vision", name: "Vision", monthlyBudgetUsd: 50_000 } });
  await db.team.create({ data: { slug: "nlp", name: "NLP" } });
  const u = await db.user.create({
    data: {
      email: "eng@example.com",
      name: "Eng",
      role: "ml_engineer",
      memberships: { create: { teamId: recsys.id } },
    },
  });
  const f = await db.user.create({ data: { email: "fin@example.com", name: "Fin", role: "finance" } });
  engineer = { id: u.id, email: u.email, name: u.name, role: "ml-engineer", teamIds: [recsys.id] };
  finance = { id: f.id, email: f.email, name: f.name, role: "finance", teamIds: [] };
  await seedDemoUsage(db, now);
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

describe("cost queries", () => {
  it("offers the teams the data names, registered or not, within the viewer's scope", async () => {
    const db = getPrisma();
    // A team label value nobody registered as a portal team.
    await db.gpuUsageDaily.create({
      data: {
        day: new Date(Date.UTC(2026, 10, 20)),
        source: "demo",
        team: "ml-speech",
        workloadType: "batch",
        nodePool: "p",
        instanceType: "g5.xlarge",
        capacityType: "on_demand",
        gpuHoursAllocated: 1,
        gpuHoursUsed: 1,
        idleGpuHours: 0,
        gpuHoursUnder10: 0,
        gpuHoursUnder50: 0,
        sampleCount: 1,
        memoryUsedMiBMax: 1,
        costUsd: 1,
        idleCostUsd: 0,
      },
    });
    // The list the seed stored predates this row: a newer ingestion run makes it stale, so it is read from the rollup.
    await db.ingestionRun.create({
      data: { source: "demo", status: "succeeded", startedAt: new Date(now + 1000), finishedAt: new Date(now + 1000) },
    });
    expect(await teamsInData(db, null, now)).toEqual(["ml-speech", "nlp", "recsys", "vision"]); // never "unallocated"
    // Stored again for the newest run, it is what the page reads.
    await refreshIngestionResults(db, { source: "demo", now });
    const stored = await db.ingestionResult.findUniqueOrThrow({
      where: { source_kind: { source: "demo", kind: "teams-in-data" } },
    });
    expect(stored.data).toEqual(["ml-speech", "nlp", "recsys", "vision"]);
    expect(await teamsInData(db, null, now)).toEqual(["ml-speech", "nlp", "recsys", "vision"]);
    expect(await teamsInData(db, await scopeFor(engineer, db), now)).toEqual(["recsys"]);
    await db.gpuUsageDaily.deleteMany({ where: { team: "ml-speech" } });
    await db.ingestionRun.create({
      data: { source: "demo", status: "succeeded", startedAt: new Date(now + 2000), finishedAt: new Date(now + 2000) },
    });
    await refreshIngestionResults(db, { source: "demo", now });
  });

  it("serves the inference sizing ingestion stored, equal to computing it from the week's rows", async () => {
    const db = getPrisma();
    const stored = await db.ingestionResult.findUniqueOrThrow({
      where: { source_kind: { source: "demo", kind: "inference-scaling" } },
    });
    const hour = stored.dataHour.getTime();
    const computed = await computeInferenceScaling(db, "demo", hour, null);
    expect(computed.length).toBeGreaterThan(0);
    expect(stored.data).toEqual(computed);
    expect(await inferenceScalingRows(db, now)).toEqual(computed);
    expect(await inferenceScalingRows(db, now, ["recsys"])).toEqual(computed.filter((r) => r.team === "recsys"));
    // Before the stored hour ends (another `now`), the stored rows are not current: computed for that hour instead.
    const earlier = await inferenceScalingRows(db, hour - 5 * 3_600_000);
    expect(earlier).toEqual(await computeInferenceScaling(db, "demo", hour - 6 * 3_600_000, null));
  });

  it("serves the summary and idle tables ingestion stored, equal to computing them, for every scope", async () => {
    const db = getPrisma();
    const kinds = (await db.ingestionResult.findMany({ select: { kind: true } })).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(["summary:7:team", "summary:90:nodePool", "shared-idle:30"]));
    const teamsNow = await teamsInData(db, null, now);
    for (const days of rangeDays) {
      // The computed answers: the same reads with nothing stored for this run.
      const saved = await db.ingestionResult.findMany({ where: { kind: { not: "teams-in-data" } } });
      await db.ingestionResult.deleteMany({ where: { kind: { in: saved.map((r) => r.kind) } } });
      const computed = {
        summary: await Promise.all(groupBys.map((groupBy) => costSummary(db, { days, groupBy, teams: null, now }))),
        idle: await teamCostsBothWays(db, { days, teams: null, now }),
        scoped: await Promise.all(
          [["recsys"], ["nlp", "vision"], ["unallocated", "recsys"], []].map((teams) =>
            teamCostsBothWays(db, { days, teams, now }),
          ),
        ),
      };
      await db.ingestionResult.createMany({
        data: saved.map((r) => ({ ...r, data: r.data as Prisma.InputJsonValue })),
      });
      // Stored answers, made unreadable by the rollups: a page that computed instead would now see no cost at all.
      const rollup = await db.gpuUsageDaily.findMany();
      await db.gpuUsageDaily.deleteMany();
      try {
        expect(
          await Promise.all(groupBys.map((groupBy) => costSummary(db, { days, groupBy, teams: null, now }))),
        ).toEqual(computed.summary);
        expect(computed.summary[0]!.totals.costUsd).toBeGreaterThan(0);
        expect(await teamCostsBothWays(db, { days, teams: null, now })).toEqual(computed.idle);
        expect(computed.idle.length).toBeGreaterThan(1);
        const scoped = await Promise.all(
          [["recsys"], ["nlp", "vision"], ["unallocated", "recsys"], []].map((teams) =>
            teamCostsBothWays(db, { days, teams, now }),
          ),
        );
        expect(scoped).toEqual(computed.scoped);
        expect(scoped[1]!.map((r) => r.team).sort()).toEqual(["nlp", "vision"]);
      } finally {
        await db.gpuUsageDaily.createMany({ data: rollup });
      }
    }
    expect(await teamsInData(db, null, now)).toEqual(teamsNow);
    const rollup = await db.gpuUsageDaily.findMany();
    await db.gpuUsageDaily.deleteMany();
    try {
      // Another day (the range starts a day later) is not what was stored: computed from the (now empty) rollup.
      const tomorrow = now + 86_400_000;
      expect((await costSummary(db, { days: 30, groupBy: "team", teams: null, now: tomorrow })).totals.costUsd).toBe(0);
      expect(await teamCostsBothWays(db, { days: 30, teams: null, now: tomorrow })).toEqual([]);
      expect((await costSummary(db, { days: 30, groupBy: "team", teams: null, now })).totals.costUsd).toBeGreaterThan(
        0,
      );
      // A newer ingestion run makes the stored answers stale as well.
      await db.ingestionRun.create({
        data: {
          source: "demo",
          status: "succeeded",
          startedAt: new Date(now + 3000),
          finishedAt: new Date(now + 3000),
        },
      });
      expect((await costSummary(db, { days: 30, groupBy: "team", teams: null, now })).totals.costUsd).toBe(0);
      expect(await teamCostsBothWays(db, { days: 30, teams: null, now })).toEqual([]);
    } finally {
      await db.gpuUsageDaily.createMany({ data: rollup });
    }
    await refreshIngestionResults(db, { source: "demo", now });
  });

  it("shows an ML engineer only their teams' costs", async () => {
    const db = getPrisma();
    const scope = await scopeFor(engineer, db);
    expect(scope).toEqual(["recsys"]);
    const s = await costSummary(db, { days: 30, groupBy: "team", teams: scope, now });
    expect(s.daily.keys).toEqual(["recsys"]);
    const asked = await costSummary(db, { days: 30, groupBy: "team", team: "vision", teams: scope, now });
    expect(asked.daily.totalUsd).toBe(0);
    // recsys' budget (1,000) is far below its forecast: the alert is raised for its scope.
    expect(s.monthToDate.budget).toMatchObject({ budgetUsd: 1000, alert: true });
    const recs = await listRecommendations(db, { teams: scope, now });
    expect(recs.length).toBeGreaterThan(0);
    expect(recs.every((r) => r.team === "recsys")).toBe(true);
    // The services scope by the actor themselves: asking for another team yields nothing.
    expect((await getCostSummary({ actor: engineer, days: 30, groupBy: "team", now })).daily.keys).toEqual(["recsys"]);
    expect(
      (await getCostSummary({ actor: engineer, days: 30, groupBy: "team", team: "vision", now })).daily.totalUsd,
    ).toBe(0);
    const visible = await listVisibleRecommendations({ actor: engineer, now });
    expect(visible.items.map((r) => r.id)).toEqual(recs.map((r) => r.id));
  });

  it("scopes every cost service by the actor it is given, whatever the caller asks", async () => {
    const days = 30;
    const series = await getCostTimeseries({ actor: engineer, days, groupBy: "team", now });
    expect(series.keys).toEqual(["recsys"]);
    expect((await getCostTimeseries({ actor: finance, days, groupBy: "team", now })).keys).toContain("vision");
    const heat = await getCostHeatmap({ actor: engineer, days, groupBy: "team", now });
    expect(heat.utilizationPercent).toEqual(
      (await getCostSummary({ actor: engineer, days, groupBy: "team", now })).heatMap,
    );
    const { csv } = await exportDailyCosts({
      actor: engineer,
      days,
      groupBy: "team",
      team: "vision",
      shareIdle: false,
      now,
    });
    expect(csv.trim().split("\r\n")).toHaveLength(1); // the header alone: vision is outside the engineer's teams
    const own = await exportDailyCosts({ actor: engineer, days, groupBy: "team", shareIdle: false, now });
    expect(
      new Set(
        own.csv
          .trim()
          .split("\r\n")
          .slice(1)
          .map((line) => line.split(",")[1]),
      ),
    ).toEqual(new Set(["recsys"]));
    const report = await getMonthlyReport({ actor: engineer, format: "csv", now });
    expect(report.text).toContain("team,cost_usd,recsys,");
    expect(report.text).not.toContain("team,cost_usd,vision,");
    expect((await listTeamBudgets({ actor: engineer })).items.map((t) => t.slug)).toEqual(["recsys"]);
    const overview = await getCostsOverview({ actor: engineer, days, groupBy: "team", now });
    expect(overview.scoped).toBe(true);
    expect(overview.teamLinks.map((t) => t.slug)).toEqual(["recsys"]);
    expect(overview.recommendations.every((r) => r.team === "recsys")).toBe(true);
    await expect(getTeamCosts({ actor: engineer, slug: "vision", days, groupBy: "team", now })).rejects.toThrow(
      /not found/,
    );
    expect(
      (await getTeamCosts({ actor: engineer, slug: "recsys", days, groupBy: "team", now })).summary.daily.keys,
    ).toEqual(["recsys"]);
  });

  it("adds up: the daily series total equals the sum by group and the demo's 90 days are all there", async () => {
    const db = getPrisma();
    const s = await costSummary(db, { days: 90, groupBy: "nodePool", teams: await scopeFor(finance, db), now });
    expect(s.daily.points).toHaveLength(90);
    expect(s.demo).toBe(true);
    const byGroup = s.utilization.reduce((a, u) => a + u.costUsd, 0);
    expect(byGroup).toBeCloseTo(s.daily.totalUsd, 0);
    // The daily rollup the dashboard reads holds exactly what the hourly rows hold.
    const hourly = await db.gpuUsageHourly.aggregate({
      _sum: { costUsd: true },
      where: { source: "demo", hour: { gte: new Date(s.range.start), lt: new Date(s.range.end) } },
    });
    expect(s.daily.totalUsd).toBeCloseTo(hourly._sum.costUsd!, 0);
    expect(s.spot.spotShare).toBeGreaterThan(0);
    expect(s.heatMap.flat().filter((c) => c !== null)).toHaveLength(168);
    // Budgets of all teams count only when every team has one; nlp has none here.
    expect(s.monthToDate.budget.budgetUsd).toBeNull();
    // ...but each budgeted team is still checked on its own, whatever the grouping: recsys (1,000) overruns, vision does not.
    expect(s.monthToDate.teamBudgets.map((t) => [t.team, t.budgetUsd, t.alert])).toEqual([
      ["recsys", 1000, true],
      ["vision", 50_000, false],
    ]);
    const byTeam = await costSummary(db, { days: 7, groupBy: "team", teams: null, now });
    const recsys = byTeam.monthToDate.teamBudgets[0]!;
    const own = await costSummary(db, { days: 7, groupBy: "team", teams: ["recsys"], now });
    expect(recsys.forecastUsd).toBeCloseTo(own.monthToDate.budget.forecastUsd, 2);
  });

  it("compares the demo's budgets with the demo's data only, never with real usage", async () => {
    const db = getPrisma();
    await db.team.update({ where: { slug: "recsys" }, data: { budgetIsDemo: true } });
    try {
      const onDemo = await costSummary(db, { days: 30, groupBy: "team", teams: ["recsys"], now });
      expect(onDemo.monthToDate.budget).toMatchObject({ budgetUsd: 1000, alert: true });
      await db.setting.upsert({
        where: { key: COST_SETTINGS_KEY },
        create: { key: COST_SETTINGS_KEY, value: { sources: ["prometheus"] } },
        update: { value: { sources: ["prometheus"] } },
      });
      const onReal = await costSummary(db, { days: 30, groupBy: "team", teams: null, now });
      expect(onReal.monthToDate.budget).toMatchObject({ budgetUsd: null, alert: false });
      expect(onReal.monthToDate.teamBudgets.map((t) => t.team)).toEqual(["vision"]);
    } finally {
      await db.setting.deleteMany({ where: { key: COST_SETTINGS_KEY } });
      await db.team.update({ where: { slug: "recsys" }, data: { budgetIsDemo: false } });
    }
  });

  it("snoozes, and rejects a recommendation outside the caller's teams as not found", async () => {
    const db = getPrisma();
    const [first] = await listRecommendations(db, { teams: null, states: ["open"], now });
    assert(first, "an open recommendation");
    const snoozed = await changeRecommendationState({
      actor: finance,
      id: first.id,
      action: { action: "snooze", days: 30 },
      now,
    });
    expect(snoozed.state).toBe("snoozed");
    expect(snoozed.snoozedUntil?.getTime()).toBe(now + 30 * 86_400_000);
    expect(await db.auditEvent.count({ where: { action: "recommendation.snooze", targetId: first.id } })).toBe(1);
    const other = (await listRecommendations(db, { teams: null, now })).find((r) => r.team !== "recsys")!;
    await expect(
      changeRecommendationState({ actor: engineer, id: other.id, action: { action: "accept" }, now }),
    ).rejects.toThrow(/not found/);
  });

  it("prices each of a team's model servers per 1,000 requests, per day", async () => {
    const rows = await teamUnitEconomics(getPrisma(), "recsys", now);
    const yesterday = rows.filter((r) => r.day === "2026-11-28");
    expect(yesterday.map((r) => `${r.model}/${r.nodePool}`)).toEqual([
      "embedder/inference-l4",
      "ranker/inference-a10g",
    ]);
    const embedder = yesterday[0]!;
    // The demo's embedder pool: 16 g6.xlarge GPUs all day, one model, so it carries the pool's whole cost.
    expect(embedder.costUsd).toBeCloseTo(16 * 24 * gpuHourlyRate("aws", "g6.xlarge", "on_demand"), 4);
    expect(embedder.costPer1kRequestsUsd).toBeCloseTo((embedder.costUsd / embedder.requests) * 1000, 9);
    expect(embedder.requests).toBeGreaterThan(0);
  });

  it("shares each pool's idle cost among its teams by GPU-hours, with the same total both ways", async () => {
    const db = getPrisma();
    const rows = await teamCostsBothWays(db, { days: 30, teams: null, now });
    const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + pick(r), 0);
    expect(sum((r) => r.withSharedIdleUsd)).toBeCloseTo(
      sum((r) => r.ownUsd),
      4,
    );
    // The demo's training pool has unallocated GPUs and only nlp on it: nlp carries their cost when shared.
    const nlp = rows.find((r) => r.team === "nlp")!;
    const unallocated = rows.find((r) => r.team === "unallocated")!;
    expect(nlp.sharedIdleUsd).toBeGreaterThan(0);
    expect(nlp.sharedIdleUsd).toBeCloseTo(unallocated.ownUsd - unallocated.withSharedIdleUsd, 4);
    // An engineer's scoped view shares the same way: recsys' share is computed from every team's GPU-hours.
    const scoped = await teamCostsBothWays(db, { days: 30, teams: ["recsys"], now });
    expect(scoped.map((r) => r.team)).toEqual(["recsys"]);
    expect(scoped[0]!.withSharedIdleUsd).toBeCloseTo(rows.find((r) => r.team === "recsys")!.withSharedIdleUsd, 6);
    expect(
      (await dailyByTeamSharingIdle(db, "demo", now - 2 * 86_400_000, now, ["recsys"])).every(
        (r) => r.group === "recsys",
      ),
    ).toBe(true);
  });

  it("builds the monthly report from the data", async () => {
    const db = getPrisma();
    const input = await buildMonthlyReport(db, { month: "2026-11", teams: null, now });
    expect(input.dailyTotals).toHaveLength(29);
    // 28 whole days and the 7 hours of the 29th that have ended by 07:30: the daily average divides by 28 + 7/24 days.
    expect(input.coveredHours).toBe(28 * 24 + 7);
    const md = monthlyReportMarkdown(input);
    expect(md).toMatch(/## Total Projected Savings: \$[\d,]+\.\d\d\/month/);
    // The stored resources come along, so advice on the same workload is combined rather than added.
    expect(
      input.recommendations.every((r) => r.resources.length > 0 && r.resources.every((w) => w.team && w.nodePool)),
    ).toBe(true);
    const t = reportTotals(input);
    // The demo's on-demand recsys batch gets spot and scheduled-scaling advice at once (nlp training's spot advice,
    // the largest, was snoozed above; consolidation of its pool names only the unallocated capacity it frees).
    expect(t.overlappingWorkloads).toContain("recsys / batch-on-demand / batch");
    expect(t.overlappingWorkloads).not.toContain("unallocated / training-a100 / none");
    expect(t.savingsUsd).toBeLessThan(t.individualSavingsSumUsd);
    expect(md).toContain(`they overlap on ${t.overlappingWorkloads.length} workload`);
    expect(input.byTeam.map((t) => t.team)).toContain("nlp");
  });
});

describe("heat map from the per-team day profiles", () => {
  it("equals the heat map computed from the hourly rows", async () => {
    const db = getPrisma();
    const s = await costSummary(db, { days: 30, groupBy: "team", teams: null, now });
    const rows = await db.$queryRawUnsafe<{ dow: number; hour: number; u: number }[]>(
      `SELECT extract(dow FROM "hour")::int AS dow, extract(hour FROM "hour")::int AS hour, sum("gpuHoursUsed") / sum("gpuHoursAllocated") * 100 AS u
         FROM "GpuUsageHourly" WHERE "source" = 'demo' AND "hour" >= $1::timestamp AND "hour" < $2::timestamp GROUP BY 1, 2`,
      s.range.start,
      s.range.end,
    );
    expect(rows).toHaveLength(168);
    for (const r of rows) expect(s.heatMap[r.dow]![r.hour]).toBeCloseTo(Number(r.u), 1);
  });
});
