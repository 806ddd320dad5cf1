import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/prisma.server";
import { loadInferenceLoad } from "./inference-load-store.server";
import {
  computeSharedIdleTotals,
  computeSummaryRollups,
  rangeWindow,
  summaryDays,
  type SharedIdleTotals,
  type SummaryDays,
  type SummaryRollups,
} from "./rollup-reads.server";
import { DAY_MS, groupBys, HOUR_MS, rangeDays, UNALLOCATED_TEAM, type GroupBy } from "@/lib/costs/schema";
import { loadUsageRows } from "./usage-store.server";
import { weeklyInferenceScaling, type WeeklyScalingRow } from "./weekly-scaling";

/** How far back the weekly inference sizing looks: a week holds every weekday's peak. */
export const THROUGHPUT_HISTORY_MS = 7 * 24 * HOUR_MS;

/**
 * Results of a whole week or range of usage that the costs page would otherwise recompute on every request (about
 * 0.5 s for the week's hourly rows on a 1,000-GPU fleet): computed once after each ingestion, stored with the run
 * that produced the data, and served only while that run and its newest hour are still the source's latest.
 */
type Kinds = {
  /** Every team's weekly inference sizing (weeklyInferenceScaling); a scope filters it, as each row is one team's. */
  "inference-scaling": WeeklyScalingRow[];
  /** The teams the daily rollup names, in the database's order, without "unallocated". */
  "teams-in-data": string[];
  /** The summary's rollup reads for every team (summaryKind), with the days they cover. */
  [kind: `summary:${string}`]: { days: SummaryDays; rollups: SummaryRollups };
  /** Every team's cost with idle apart and shared (sharedIdleKind), with the days it covers. */
  [kind: `shared-idle:${string}`]: { days: SummaryDays; totals: SharedIdleTotals };
  /** The region the nodes' labels named at the ingestion (null: none), which live prices are read for. */
  "node-region": { region: string | null };
};
type Kind = keyof Kinds;

export const summaryKind = (days: number, groupBy: GroupBy) => `summary:${days}:${groupBy}` as const;
export const sharedIdleKind = (days: number) => `shared-idle:${days}` as const;

/** Same days read: the stored result of a range holds while the range starts and ends on the same days. */
export const sameDays = (a: SummaryDays, b: SummaryDays) =>
  a.earliest === b.earliest && a.start === b.start && a.endDay === b.endDay;

/** The latest complete ingested hour of a usage source (start, epoch ms), or null when there is none. */
export async function latestUsageHour(db: Db, source: string, now: number): Promise<number | null> {
  const last = await db.gpuUsageHourly.findFirst({
    where: { source, hour: { lt: new Date(now) } },
    orderBy: { hour: "desc" },
    select: { hour: true },
  });
  return last ? last.hour.getTime() : null;
}

/**
 * The source's newest ingestion run, whatever its state: a run that is still writing, or failed after writing rows,
 * may have changed the data since the stored results, so only the run that stored them makes them current.
 */
async function latestRunId(db: Db, source: string): Promise<string | null> {
  const run = await db.ingestionRun.findFirst({
    where: { source },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  return run?.id ?? null;
}

/** The weekly inference sizing of every team, from the hourly rows and model-server load of the week ending at `hour`. */
export async function computeInferenceScaling(
  db: Db,
  source: string,
  hour: number,
  teams: readonly string[] | null,
): Promise<WeeklyScalingRow[]> {
  const window = { source, since: hour + HOUR_MS - THROUGHPUT_HISTORY_MS, until: hour + HOUR_MS, teams };
  const [weekRows, load] = await Promise.all([
    loadUsageRows(db, { ...window, workloadType: "inference" }),
    loadInferenceLoad(db, window),
  ]);
  return weeklyInferenceScaling(weekRows, load, hour);
}

/** The teams the daily rollup of a source names, within the scope; "unallocated" is no team. */
export async function computeTeamsInData(db: Db, source: string, scope: readonly string[] | null): Promise<string[]> {
  const rows = await db.gpuUsageDaily.findMany({
    where: {
      source,
      team: scope === null ? { not: UNALLOCATED_TEAM } : { in: scope.filter((t) => t !== UNALLOCATED_TEAM) },
    },
    distinct: ["team"],
    select: { team: true },
    orderBy: { team: "asc" },
  });
  return rows.map((r) => r.team);
}

/**
 * Computes and stores the page's results for a usage source after an ingestion (or the demo seed) wrote its rows
 * and recorded its IngestionRun. Without a successful run or data there is nothing to store.
 */
export async function refreshIngestionResults(
  db: Db,
  o: { source: string; now: number; nodeRegion?: string },
): Promise<void> {
  // Called after the run is recorded as succeeded, so the newest run is the one whose data this reads.
  const [runId, hour] = await Promise.all([latestRunId(db, o.source), latestUsageHour(db, o.source, o.now)]);
  if (runId === null || hour === null) return;
  const results: [Kind, unknown][] = [
    ["inference-scaling", await computeInferenceScaling(db, o.source, hour, null)],
    ["teams-in-data", await computeTeamsInData(db, o.source, null)],
    ["node-region", { region: o.nodeRegion ?? null }],
  ];
  // Every range and grouping the page offers, for all teams; a scoped page filters (idle) or computes (summary).
  for (const days of rangeDays) {
    const d = summaryDays(rangeWindow(days, o.now), o.now, hour + HOUR_MS);
    for (const groupBy of groupBys)
      results.push([
        summaryKind(days, groupBy),
        { days: d, rollups: await computeSummaryRollups(db, o.source, groupBy, d, null) },
      ]);
    results.push([
      sharedIdleKind(days),
      { days: d, totals: await computeSharedIdleTotals(db, o.source, d.start, d.endDay + DAY_MS) },
    ]);
  }
  const common = { ingestionRunId: runId, dataHour: new Date(hour), computedAt: new Date(o.now) };
  await db.$transaction(
    results.map(([kind, data]) =>
      db.ingestionResult.upsert({
        where: { source_kind: { source: o.source, kind } },
        create: { source: o.source, kind, ...common, data: data as Prisma.InputJsonValue },
        update: { ...common, data: data as Prisma.InputJsonValue },
      }),
    ),
  );
}

/**
 * The stored result of `kind` when it was computed from the source's latest successful ingestion and newest usage
 * hour before `now` (and `fits` it, e.g. covers the days asked); otherwise `compute(newest hour)` from the rollups
 * (null hour: no data).
 */
export async function ingestionResult<K extends Kind>(
  db: Db,
  o: { source: string; kind: K; now: number; fits?: (stored: Kinds[K]) => boolean },
  compute: (hour: number | null) => Promise<Kinds[K]>,
): Promise<Kinds[K]> {
  const [stored, runId, hour] = await Promise.all([
    db.ingestionResult.findUnique({ where: { source_kind: { source: o.source, kind: o.kind } } }),
    latestRunId(db, o.source),
    latestUsageHour(db, o.source, o.now),
  ]);
  // Written by refreshIngestionResults for this kind only, so its shape is the kind's.
  const data: unknown = stored?.data ?? null;
  const current =
    stored !== null &&
    hour !== null &&
    stored.ingestionRunId === runId &&
    stored.dataHour.getTime() === hour &&
    typeof data === "object" &&
    data !== null &&
    (o.fits?.(data as Kinds[K]) ?? true);
  return current ? (data as Kinds[K]) : compute(hour);
}
