import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import { dayString, type DailyGroupCost } from "@/lib/costs/reports/dashboard";
import { shareIdleCost, type SharedIdleCost, type TeamCostBothWays } from "./share-idle";
import { DAY_MS, HOUR_MS, UNALLOCATED_TEAM, type GroupBy } from "@/lib/costs/schema";
import { capacitySql, dailyByGroupSql, dailyFilter, heatMapSql, utilizationByGroupSql, type Sql } from "./summary-sql";

// Reads of the daily rollups behind the costs page, shared by the page (computed on a request) and by ingestion
// (computed once and stored in IngestionResult, ingestion-results.server.ts), so both give the same answer.

export interface RangeWindow {
  start: number;
  end: number;
  days: number;
}

/** The last `days` calendar days (UTC) up to the current hour. */
export function rangeWindow(days: number, now: number): RangeWindow {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { start: today - (days - 1) * DAY_MS, end: Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS, days };
}

/**
 * The days the summary reads: the range, plus the month so far and the 28 days before the data ends that the
 * forecast's weekday averages need (`dataUntil`: end of the newest ingested hour, null without data). Every bound
 * is a UTC midnight; `endDay` is the last day read (the daily rollup holds whole days).
 */
export interface SummaryDays {
  earliest: number;
  start: number;
  endDay: number;
}

export function summaryDays(w: RangeWindow, now: number, dataUntil: number | null): SummaryDays {
  const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
  const until = dataUntil ?? now;
  const earliest = Math.min(w.start, monthStart, Math.floor(Math.min(until, now) / DAY_MS) * DAY_MS - 28 * DAY_MS);
  return { earliest, start: w.start, endDay: Math.floor((w.end - 1) / DAY_MS) * DAY_MS };
}

type Num = number | string | null;
const n = (v: Num) => (v === null ? 0 : Number(v));

export async function dailyByGroup(
  db: Db,
  source: string,
  groupBy: GroupBy,
  start: number,
  end: number,
  teams: readonly string[] | null,
): Promise<DailyGroupCost[]> {
  const q = dailyByGroupSql(groupBy, dailyFilter(source, start, end, teams));
  const rows = await db.$queryRawUnsafe<{ day: Date; grp: string; cost: Num; idle: Num; alloc: Num; used: Num }[]>(
    q.sql,
    ...q.args,
  );
  return rows.map((r) => ({
    day: dayString(new Date(r.day).getTime()),
    group: r.grp,
    costUsd: n(r.cost),
    idleCostUsd: n(r.idle),
    gpuHoursAllocated: n(r.alloc),
    gpuHoursUsed: n(r.used),
  }));
}

/** One group's utilization over the range (utilizationByGroupSql), as numbers. */
export interface GroupUtilization {
  grp: string;
  alloc: number;
  used: number;
  p50: number;
  p90: number;
  u10: number;
  u50: number;
  cost: number;
  idle: number;
}

/** What the summary reads from the rollups: plain numbers, so a stored copy (JSON) equals a computed one. */
export interface SummaryRollups {
  /** Daily cost per group from `earliest` to `endDay`. */
  daily: DailyGroupCost[];
  /** The same per team, for the budgets; null when the grouping is by team (then it is `daily`). */
  byTeam: DailyGroupCost[] | null;
  utilization: GroupUtilization[];
  heat: { dow: number; hour: number; alloc: number; used: number }[];
  capacity: { it: string; ct: string; alloc: number; cost: number }[];
}

/** The summary's reads of the daily rollups over `d`, for the teams (null: all). */
export async function computeSummaryRollups(
  db: Db,
  source: string,
  groupBy: GroupBy,
  d: SummaryDays,
  teams: readonly string[] | null,
): Promise<SummaryRollups> {
  const end = d.endDay + DAY_MS;
  const fd = dailyFilter(source, d.start, end, teams);
  const run = <T>(q: Sql) => db.$queryRawUnsafe<T[]>(q.sql, ...q.args);
  const [daily, byTeam, util, heat, capacity] = await Promise.all([
    dailyByGroup(db, source, groupBy, d.earliest, end, teams),
    groupBy === "team" ? null : dailyByGroup(db, source, "team", d.earliest, end, teams),
    run<{ grp: string; alloc: Num; used: Num; p50: Num; p90: Num; u10: Num; u50: Num; cost: Num; idle: Num }>(
      utilizationByGroupSql(groupBy, fd),
    ),
    run<{ dow: Num; hour: Num; alloc: Num; used: Num }>(heatMapSql(fd)),
    run<{ it: string; ct: string; alloc: Num; cost: Num }>(capacitySql(fd)),
  ]);
  return {
    daily,
    byTeam,
    utilization: util.map((r) => ({
      grp: r.grp,
      alloc: n(r.alloc),
      used: n(r.used),
      p50: n(r.p50),
      p90: n(r.p90),
      u10: n(r.u10),
      u50: n(r.u50),
      cost: n(r.cost),
      idle: n(r.idle),
    })),
    heat: heat.map((h) => ({ dow: n(h.dow), hour: n(h.hour), alloc: n(h.alloc), used: n(h.used) })),
    capacity: capacity.map((c) => ({ it: c.it, ct: c.ct, alloc: n(c.alloc), cost: n(c.cost) })),
  };
}

/**
 * Daily cost per team with each pool's unallocated cost shared among the teams on it (OpenCost shareIdle). The
 * sharing reads every team's rows of the pools, then keeps the scope's teams.
 */
export async function dailyByTeamSharingIdle(
  db: Db,
  source: string,
  start: number,
  end: number,
  teams: readonly string[] | null,
): Promise<SharedIdleCost[]> {
  const f = dailyFilter(source, start, end, null);
  const rows = await db.$queryRawUnsafe<
    { day: Date; team: string; pool: string; cost: Num; idle: Num; alloc: Num; used: Num }[]
  >(
    `SELECT "day"::timestamp AS day, "team", "nodePool" AS pool, sum("costUsd") AS cost, sum("idleCostUsd") AS idle, sum("gpuHoursAllocated") AS alloc, sum("gpuHoursUsed") AS used
       FROM "GpuUsageDaily" WHERE ${f.sql} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    ...f.args,
  );
  const shared = shareIdleCost(
    rows.map((r) => ({
      day: dayString(new Date(r.day).getTime()),
      team: r.team,
      nodePool: r.pool,
      costUsd: n(r.cost),
      idleCostUsd: n(r.idle),
      gpuHoursAllocated: n(r.alloc),
      gpuHoursUsed: n(r.used),
    })),
  );
  return teams === null ? shared : shared.filter((r) => teams.includes(r.group));
}

/**
 * Every team's cost over the days with idle kept apart and shared, before any scope: each team's line (the
 * "unallocated" line is what no team used once shared), and unallocated capacity's whole cost unshared. A team's
 * line does not depend on the scope, so a scope's view is these lines filtered (sharedIdleView).
 */
export interface SharedIdleTotals {
  teams: TeamCostBothWays[];
  unallocatedUsd: number;
}

export async function computeSharedIdleTotals(
  db: Db,
  source: string,
  start: number,
  end: number,
): Promise<SharedIdleTotals> {
  const [shared, unallocated] = await Promise.all([
    dailyByTeamSharingIdle(db, source, start, end, null),
    dailyByGroup(db, source, "team", start, end, [UNALLOCATED_TEAM]),
  ]);
  const byTeam = new Map<string, TeamCostBothWays>();
  for (const r of shared) {
    const t = byTeam.get(r.group) ?? { team: r.group, ownUsd: 0, sharedIdleUsd: 0, withSharedIdleUsd: 0 };
    t.ownUsd += r.costUsd - r.sharedIdleUsd;
    t.sharedIdleUsd += r.sharedIdleUsd;
    t.withSharedIdleUsd += r.costUsd;
    byTeam.set(r.group, t);
  }
  return { teams: [...byTeam.values()], unallocatedUsd: unallocated.reduce((s, r) => s + r.costUsd, 0) };
}

/** The costs page's idle table for a scope (null: every team, with unallocated capacity's own line). */
export function sharedIdleView(totals: SharedIdleTotals, scope: readonly string[] | null): TeamCostBothWays[] {
  const rows = scope === null ? [...totals.teams] : totals.teams.filter((t) => scope.includes(t.team));
  if (scope === null && totals.unallocatedUsd > 0) {
    // Unallocated as it stands unshared: its whole cost; shared, what no team used.
    const left = rows.findIndex((t) => t.team === UNALLOCATED_TEAM);
    const line = {
      team: UNALLOCATED_TEAM,
      ownUsd: totals.unallocatedUsd,
      sharedIdleUsd: 0,
      withSharedIdleUsd: rows[left]?.withSharedIdleUsd ?? 0,
    };
    if (left >= 0) rows[left] = line;
    else rows.push(line);
  }
  return rows
    .map((t) => ({ ...t }))
    .sort((a, b) => b.withSharedIdleUsd - a.withSharedIdleUsd || a.team.localeCompare(b.team));
}
