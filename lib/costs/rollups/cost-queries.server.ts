import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import { narrowScope } from "@/lib/costs/scope.server";
import { effectiveBudgetUsd } from "@/lib/costs/demo-budget";
import { liveGpuRate } from "@/lib/pricing/live-prices";
import { costLivePrices } from "@/lib/pricing/live-prices.server";
import { budgetStatus, heatMapMatrix, pivotDailyCost, round2, spotSummary } from "@/lib/costs/reports/dashboard";
import { forecastMonthEnd, startingAtFirstCost, teamMonthForecast } from "./forecast";
import { requestCostWindows } from "./request-cost-windows";
import {
  ingestionStatus,
  latestDataHealth,
  readCostSettings,
  usageCoverage,
  usageSourceOf,
} from "@/lib/costs/sources/ingest-usage.server";
import {
  computeTeamsInData,
  ingestionResult,
  latestUsageHour,
  sameDays,
  sharedIdleKind,
  summaryKind,
} from "./ingestion-results.server";
import {
  computeSharedIdleTotals,
  computeSummaryRollups,
  rangeWindow,
  sharedIdleView,
  summaryDays,
} from "./rollup-reads.server";
import type { TeamCostBothWays } from "./share-idle";
import { HOUR_MS, type CapacityType, type CostQuery, type CostSummary } from "@/lib/costs/schema";

/**
 * Teams the usage data names (pods' team labels, or namespaces standing in for them) within the scope, whether or not
 * a team of that slug is registered, so the filters offer every team that has costs. "unallocated" is no team.
 */
export async function teamsInData(db: Db, scope: string[] | null, now: number): Promise<string[]> {
  const source = usageSourceOf(await readCostSettings(db));
  // Stored by ingestion for every team (the DISTINCT reads the whole rollup); without a current one, read it.
  const all = await ingestionResult(db, { source, kind: "teams-in-data", now }, () =>
    computeTeamsInData(db, source, null),
  );
  return scope === null ? all : all.filter((t) => scope.includes(t));
}

/** Each team's cost over the range with the pools' unallocated cost kept apart and shared, for the costs page. */
export async function teamCostsBothWays(
  db: Db,
  q: { days: number; teams: string[] | null; now: number },
): Promise<TeamCostBothWays[]> {
  const source = usageSourceOf(await readCostSettings(db));
  const w = rangeWindow(q.days, q.now);
  const latest = await latestUsageHour(db, source, q.now);
  const days = summaryDays(w, q.now, latest === null ? null : latest + HOUR_MS);
  // Each team's line does not depend on the scope: the stored lines of every team, filtered, are exact for any scope.
  const stored = await ingestionResult(
    db,
    { source, kind: sharedIdleKind(q.days), now: q.now, fits: (r) => sameDays(r.days, days) },
    async () => ({ days, totals: await computeSharedIdleTotals(db, source, w.start, w.end) }),
  );
  return sharedIdleView(stored.totals, q.teams);
}

/**
 * The region the nodes' labels named at the source's latest ingestion, as stored with its results; read from that
 * run's data health when the stored one is not current (a newer run, or none stored yet).
 */
export async function ingestedNodeRegion(db: Db, source: string, now: number): Promise<string | undefined> {
  const stored = await ingestionResult(db, { source, kind: "node-region", now }, async () => ({
    region: (await latestDataHealth(db, source))?.prices?.clusterRegion ?? null,
  }));
  return stored.region ?? undefined;
}

export async function costSummary(
  db: Db,
  q: CostQuery & { teams: string[] | null; now: number },
): Promise<CostSummary> {
  const settings = await readCostSettings(db);
  const source = usageSourceOf(settings);
  const teams = narrowScope(q.teams, q.team);
  const w = rangeWindow(q.days, q.now);
  // Forecasts read the source's coverage, not each team's rows: a team with no rows on a covered day spent $0 then
  // (from its first cost on: startingAtFirstCost).
  const known = await usageCoverage(db, source, q.now);
  const coverage = known ?? { from: q.now, until: q.now };
  // The forecast's weekday averages look at the 28 days before the data ends, which may be before today.
  const days = summaryDays(w, q.now, known?.until ?? null);
  // Every team's reads are stored by ingestion; a scope's are computed (a percentile of some teams is not a sum).
  const rollups =
    teams === null
      ? (
          await ingestionResult(
            db,
            { source, kind: summaryKind(q.days, q.groupBy), now: q.now, fits: (r) => sameDays(r.days, days) },
            async () => ({ days, rollups: await computeSummaryRollups(db, source, q.groupBy, days, null) }),
          )
        ).rollups
      : await computeSummaryRollups(db, source, q.groupBy, days, teams);
  const { daily, utilization: util, heat, capacity } = rollups;
  const [budgets, ingestion] = await Promise.all([
    db.team
      .findMany({
        where: teams ? { slug: { in: teams } } : {},
        select: { slug: true, costLabelValues: true, monthlyBudgetUsd: true, budgetIsDemo: true },
      })
      .then((rows) =>
        rows.map((r) => ({
          slug: r.slug,
          costLabelValues: r.costLabelValues,
          monthlyBudgetUsd: effectiveBudgetUsd(r, source),
        })),
      ),
    ingestionStatus(db, q.now, settings, new Map([[source, known ? known.until - HOUR_MS : null]])),
  ]);
  const billed = settings.sources.includes("aws-cost-explorer") ? await billedCost(db, w.start, w.end, teams) : null;
  // Each team against its own budget: the fleet total can be under the sum of budgets while one team overruns.
  const byTeam = rollups.byTeam ?? daily;
  const teamBudgets = budgets
    .filter((b) => b.monthlyBudgetUsd !== null)
    .map((b) => {
      // A team's budget covers every cost label value that is its own, not only its slug.
      const own = new Set([b.slug, ...b.costLabelValues]);
      return {
        team: b.slug,
        ...budgetStatus(teamMonthForecast(byTeam, own, q.now, coverage).seasonalUsd, Number(b.monthlyBudgetUsd)),
      };
    })
    .sort((a, b) => b.overByUsd - a.overByUsd || a.team.localeCompare(b.team));

  const inRange = daily.filter((d) => Date.parse(`${d.day}T00:00:00Z`) >= w.start);
  const series = pivotDailyCost(inRange, w.start, w.days);
  const totals = new Map<string, number>();
  for (const d of daily) totals.set(d.day, (totals.get(d.day) ?? 0) + d.costUsd);
  const forecast = forecastMonthEnd(totals, q.now, startingAtFirstCost(coverage, totals));
  const budgetValues = budgets.map((b) => b.monthlyBudgetUsd);
  const budget =
    budgetValues.length > 0 && budgetValues.every((b) => b !== null)
      ? budgetValues.reduce((s, b) => s! + b!, 0)!
      : null;
  const alloc = util.reduce((s, r) => s + r.alloc, 0);
  const used = util.reduce((s, r) => s + r.used, 0);
  // Shares of sample hours, not of samples: a sample may cover part of an hour (a GPU that changed pods). Every
  // sample is charged requestedGpus 1 (see GpuSample), so its allocated GPU-hours are exactly its hours.
  const u10 = util.reduce((s, r) => s + r.u10, 0);
  const u50 = util.reduce((s, r) => s + r.u50, 0);

  return {
    source,
    demo: source === "demo",
    range: { start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString(), days: w.days },
    groupBy: q.groupBy,
    daily: series,
    totals: {
      costUsd: series.totalUsd,
      idleCostUsd: series.idleUsd,
      gpuHours: round2(alloc),
      utilizationAvg: alloc ? round2((used / alloc) * 100) : 0,
      idleShare: alloc ? u10 / alloc : 0,
      underutilizedShare: alloc ? u50 / alloc : 0,
    },
    utilization: util.map((r) => ({
      group: r.grp,
      utilizationAvg: r.alloc ? round2((r.used / r.alloc) * 100) : 0,
      p50: round2(r.p50),
      p90: round2(r.p90),
      idleShare: r.alloc ? r.u10 / r.alloc : 0,
      underutilizedShare: r.alloc ? r.u50 / r.alloc : 0,
      costUsd: round2(r.cost),
      idleCostUsd: round2(r.idle),
    })),
    heatMap: heatMapMatrix(
      heat.map((h) => ({ dow: h.dow, hour: h.hour, gpuHoursAllocated: h.alloc, gpuHoursUsed: h.used })),
    ),
    spot: spotSummary(
      capacity.map((c) => ({
        instanceType: c.it,
        capacityType: c.ct as CapacityType,
        gpuHoursAllocated: c.alloc,
        costUsd: c.cost,
      })),
      settings.cloud,
      liveGpuRate(
        settings.cloud,
        (source === "prometheus" &&
          (await costLivePrices(db, settings, await ingestedNodeRegion(db, source, q.now)))?.prices) ||
          new Map(),
      ),
    ),
    monthToDate: { ...forecast, budget: budgetStatus(forecast.seasonalUsd, budget), teamBudgets },
    ingestion,
    billed,
  };
}

/** What AWS billed in the range (Cost Explorer lines grouped by service × team), by service. */
async function billedCost(db: Db, start: number, end: number, teams: string[] | null) {
  const rows = await db.costDaily.groupBy({
    by: ["service"],
    where: {
      source: "aws-cost-explorer",
      workloadType: "*",
      day: { gte: new Date(start), lt: new Date(end) },
      ...(teams ? { team: { in: teams } } : {}),
    },
    _sum: { amountUsd: true },
  });
  const byService = rows
    .map((r) => ({ service: r.service, amountUsd: round2(r._sum.amountUsd ?? 0) }))
    .sort((a, b) => b.amountUsd - a.amountUsd);
  return { totalUsd: round2(byService.reduce((s, r) => s + r.amountUsd, 0)), byService };
}

/**
 * Cost of each applied request of a team since it was applied: the team's usage in the node pools it applied,
 * until it was reverted or a later request of the team applied the same pool (request-cost-windows.ts), so each
 * pool-hour counts for one request and the column adds up.
 */
export async function appliedRequestCosts(db: Db, teamSlug: string, now: number) {
  const source = usageSourceOf(await readCostSettings(db));
  // Every applied request of the team: a later one ends an earlier one's window even when only the latest 50 show.
  const requests = await db.request.findMany({
    where: { team: { slug: teamSlug }, appliedAt: { not: null } },
    orderBy: { appliedAt: "desc" },
    select: {
      id: true,
      number: true,
      title: true,
      appliedAt: true,
      input: true,
      monthlyCostUsd: true,
      applyRuns: {
        where: { operation: "revert", status: "succeeded" },
        select: { finishedAt: true },
        orderBy: { createdAt: "asc" },
        take: 1,
      },
    },
  });
  const withPools = requests.map((r) => ({
    ...r,
    nodePools: [
      ...new Set(
        ((r.input as { node_pools?: { name?: string }[] } | null)?.node_pools ?? [])
          .map((p) => p.name)
          .filter((p): p is string => !!p),
      ),
    ],
    revertedAt: r.applyRuns[0]?.finishedAt ?? null,
  }));
  const windows = requestCostWindows(
    withPools.map((r) => ({
      id: r.id,
      appliedAt: r.appliedAt!.getTime(),
      revertedAt: r.revertedAt?.getTime() ?? null,
      nodePools: r.nodePools,
    })),
    now,
  );
  const shown = withPools.slice(0, 50);
  const shownIds = new Set(shown.map((r) => r.id));
  const costs = new Map<string, number>();
  await Promise.all(
    windows
      .filter((w) => shownIds.has(w.requestId))
      .map(async (w) => {
        const agg = await db.gpuUsageHourly.aggregate({
          _sum: { costUsd: true },
          where: { source, team: teamSlug, nodePool: w.nodePool, hour: { gte: new Date(w.from), lt: new Date(w.to) } },
        });
        costs.set(w.requestId, (costs.get(w.requestId) ?? 0) + Number(agg._sum.costUsd ?? 0));
      }),
  );
  return shown.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    appliedAt: r.appliedAt!.toISOString(),
    revertedAt: r.revertedAt?.toISOString() ?? null,
    nodePools: r.nodePools,
    costSinceAppliedUsd: round2(costs.get(r.id) ?? 0),
    estimatedMonthlyUsd: Number(r.monthlyCostUsd),
  }));
}
