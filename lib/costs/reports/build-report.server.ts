import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import { workloadRefsOf } from "@/lib/costs/recommendations/combined-savings";
import { dayString } from "./dashboard";
import { readCostSettings, usageCoverage, usageSourceOf } from "@/lib/costs/sources/ingest-usage.server";
import { listRecommendations } from "@/lib/costs/recommendations/list-recommendations.server";
import type { ReportInput } from "./monthly-report";
import { HOUR_MS } from "@/lib/costs/schema";
import type { ComputedRecommendation } from "@/lib/costs/recommendations/recommendation-types";
import { usageFilter, utilizationOverallSql } from "@/lib/costs/rollups/summary-sql";

type Num = number | string | null;
const n = (v: Num) => (v === null ? 0 : Number(v));

/** The report's figures for one calendar month (YYYY-MM; the current month runs to the current hour). */
export async function buildMonthlyReport(
  db: Db,
  o: { month: string; teams: string[] | null; now: number },
): Promise<ReportInput> {
  const source = usageSourceOf(await readCostSettings(db));
  const coverage = await usageCoverage(db, source, o.now);
  // month is YYYY-MM (the route's schema checks it).
  const y = Number(o.month.slice(0, 4));
  const m = Number(o.month.slice(5, 7));
  const start = Date.UTC(y, m - 1, 1);
  const end = Math.min(Date.UTC(y, m, 1), Math.floor(o.now / HOUR_MS) * HOUR_MS + HOUR_MS);
  const f = usageFilter(source, start, end, o.teams);
  const utilization = utilizationOverallSql(f);
  const [daily, teams, util] = await Promise.all([
    db.$queryRawUnsafe<{ day: Date; cost: Num }[]>(
      `SELECT date_trunc('day', "hour") AS day, sum("costUsd") AS cost FROM "GpuUsageHourly" WHERE ${f.sql} GROUP BY 1 ORDER BY 1`,
      ...f.args,
    ),
    db.$queryRawUnsafe<{ team: string; cost: Num; idle: Num }[]>(
      `SELECT "team", sum("costUsd") AS cost, sum("idleCostUsd") AS idle FROM "GpuUsageHourly" WHERE ${f.sql} GROUP BY 1 ORDER BY 2 DESC`,
      ...f.args,
    ),
    db.$queryRawUnsafe<{ alloc: Num; used: Num; p50: Num; p90: Num; u10: Num; u50: Num }[]>(
      utilization.sql,
      ...utilization.args,
    ),
  ]);
  // An aggregate without GROUP BY answers one row; its sums are null when no hour matched.
  const u = util[0] ?? { alloc: null, used: null, p50: null, p90: null, u10: null, u50: null };
  const recs = (await listRecommendations(db, { teams: o.teams, states: ["open", "accepted"], now: o.now })).map(
    (r) => ({
      category: r.category as ComputedRecommendation["category"],
      title: r.title,
      currentMonthlyUsd: r.currentMonthlyUsd,
      projectedSavingsUsd: r.projectedSavingsUsd,
      effort: r.effort as ComputedRecommendation["effort"],
      confidence: r.confidence as ComputedRecommendation["confidence"],
      rationale: r.rationale,
      actionItems: r.actionItems as string[],
      resources: workloadRefsOf(r.resources),
    }),
  );
  return {
    generatedAt: o.now,
    periodStart: dayString(start),
    periodEnd: dayString(Math.max(start, end - 1)),
    source,
    dailyTotals: daily.map((d) => ({ day: dayString(new Date(d.day).getTime()), costUsd: n(d.cost) })),
    // The hours the data covers, not whole days: the current month's today (or a first day that starts mid-day) is
    // a fraction of a day, and a covered day without rows cost $0 rather than being left out.
    coveredHours: coverage ? Math.max(0, Math.min(end, coverage.until) - Math.max(start, coverage.from)) / HOUR_MS : 0,
    utilization: {
      avg: n(u.alloc) ? (n(u.used) / n(u.alloc)) * 100 : 0,
      p50: n(u.p50),
      p90: n(u.p90),
      // Shares of GPU-hours, not of samples: a sample may cover part of an hour. Every sample is charged its whole
      // GPU (requestedGpus 1, see GpuSample), so the allocated GPU-hours are exactly the summed sample hours.
      idlePercent: n(u.alloc) ? (n(u.u10) / n(u.alloc)) * 100 : 0,
      underutilizedPercent: n(u.alloc) ? (n(u.u50) / n(u.alloc)) * 100 : 0,
    },
    byTeam: teams.map((t) => ({ team: t.team, costUsd: n(t.cost), idleCostUsd: n(t.idle) })),
    recommendations: recs,
  };
}
