import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import { workloadRefsOf } from "./combined-savings";
import { dayString } from "./dashboard";
import { readCostSettings, usageSourceOf } from "./ingest-usage.server";
import { listRecommendations } from "./list-recommendations.server";
import type { ReportInput } from "./monthly-report";
import { HOUR_MS } from "./schema";
import type { ComputedRecommendation } from "./recommendation-types";

type Num = number | string | null;
const n = (v: Num) => (v === null ? 0 : Number(v));

/** The report's figures for one calendar month (YYYY-MM; the current month runs to the current hour). */
export async function buildMonthlyReport(db: Db, o: { month: string; teams: string[] | null; now: number }): Promise<ReportInput> {
  const source = usageSourceOf(await readCostSettings(db));
  const [y, m] = o.month.split("-").map(Number);
  const start = Date.UTC(y, m - 1, 1);
  const end = Math.min(Date.UTC(y, m, 1), Math.floor(o.now / HOUR_MS) * HOUR_MS + HOUR_MS);
  const args: unknown[] = [source, new Date(start).toISOString(), new Date(end).toISOString()];
  let where = `"source" = $1 AND "hour" >= $2::timestamp AND "hour" < $3::timestamp`;
  if (o.teams) {
    args.push(o.teams);
    where += ` AND "team" = ANY($4::text[])`;
  }
  const [daily, teams, util] = await Promise.all([
    db.$queryRawUnsafe<{ day: Date; cost: Num }[]>(`SELECT date_trunc('day', "hour") AS day, sum("costUsd") AS cost FROM "GpuUsageHourly" WHERE ${where} GROUP BY 1 ORDER BY 1`, ...args),
    db.$queryRawUnsafe<{ team: string; cost: Num; idle: Num }[]>(`SELECT "team", sum("costUsd") AS cost, sum("idleCostUsd") AS idle FROM "GpuUsageHourly" WHERE ${where} GROUP BY 1 ORDER BY 2 DESC`, ...args),
    db.$queryRawUnsafe<{ alloc: Num; used: Num; p50: Num; p90: Num; u10: Num; u50: Num; samples: Num }[]>(
      `SELECT sum("gpuHoursAllocated") AS alloc, sum("gpuHoursUsed") AS used, percentile_cont(0.5) WITHIN GROUP (ORDER BY "utilizationAvg") AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY "utilizationAvg") AS p90, sum("gpuHoursUnder10") AS u10, sum("gpuHoursUnder50") AS u50, sum("sampleCount") AS samples
         FROM "GpuUsageHourly" WHERE ${where}`,
      ...args,
    ),
  ]);
  const u = util[0];
  const recs = (await listRecommendations(db, { teams: o.teams, states: ["open", "accepted"], now: o.now })).map((r) => ({
    category: r.category as ComputedRecommendation["category"],
    title: r.title,
    currentMonthlyUsd: r.currentMonthlyUsd,
    projectedSavingsUsd: r.projectedSavingsUsd,
    effort: r.effort as ComputedRecommendation["effort"],
    confidence: r.confidence as ComputedRecommendation["confidence"],
    rationale: r.rationale,
    actionItems: r.actionItems as string[],
    resources: workloadRefsOf(r.resources),
  }));
  return {
    generatedAt: o.now,
    periodStart: dayString(start),
    periodEnd: dayString(Math.max(start, end - 1)),
    source,
    dailyTotals: daily.map((d) => ({ day: dayString(new Date(d.day).getTime()), costUsd: n(d.cost) })),
    utilization: {
      avg: n(u?.alloc) ? (n(u.used) / n(u.alloc)) * 100 : 0,
      p50: n(u?.p50 ?? null),
      p90: n(u?.p90 ?? null),
      idlePercent: n(u?.samples) ? (n(u.u10) / n(u.samples)) * 100 : 0,
      underutilizedPercent: n(u?.samples) ? (n(u.u50) / n(u.samples)) * 100 : 0,
    },
    byTeam: teams.map((t) => ({ team: t.team, costUsd: n(t.cost), idleCostUsd: n(t.idle) })),
    recommendations: recs,
  };
}
