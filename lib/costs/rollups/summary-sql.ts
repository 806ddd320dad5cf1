// The dashboard's aggregate SQL over GpuUsageHourly, as text + parameters. Pure, so the API (through Prisma) and the
// benchmark (through pg) run exactly the same statements.
import type { GroupBy } from "@/lib/costs/schema";

export interface Sql {
  sql: string;
  args: unknown[];
}

const groupColumn: Record<GroupBy, string> = { team: `"team"`, workloadType: `"workloadType"`, nodePool: `"nodePool"` };

/** Hourly rows of one source in [start, end), optionally of some teams only. */
export function usageFilter(source: string, start: number, end: number, teams: readonly string[] | null): Sql {
  const args: unknown[] = [source, new Date(start).toISOString(), new Date(end).toISOString()];
  let sql = `"source" = $1 AND "hour" >= $2::timestamp AND "hour" < $3::timestamp`;
  if (teams) {
    args.push([...teams]);
    sql += ` AND "team" = ANY($4::text[])`;
  }
  return { sql, args };
}

/** The same filter over GpuUsageDaily (whole UTC days: start is rounded down to its day). */
export function dailyFilter(source: string, start: number, end: number, teams: readonly string[] | null): Sql {
  const f = usageFilter(source, start, end, teams);
  return {
    sql: f.sql.replace(
      `"hour" >= $2::timestamp AND "hour" < $3::timestamp`,
      `"day" >= $2::timestamp::date AND "day" <= ($3::timestamp - interval '1 microsecond')::date`,
    ),
    args: f.args,
  };
}

/** Daily cost per group, from the daily rollup. */
export function dailyByGroupSql(groupBy: GroupBy, daily: Sql): Sql {
  return {
    sql: `SELECT "day"::timestamp AS day, ${groupColumn[groupBy]} AS grp, sum("costUsd") AS cost, sum("idleCostUsd") AS idle,
                 sum("gpuHoursAllocated") AS alloc, sum("gpuHoursUsed") AS used
            FROM "GpuUsageDaily" WHERE ${daily.sql} GROUP BY 1, 2 ORDER BY 1, 2`,
    args: daily.args,
  };
}

/**
 * Utilization p50/p90 over GPU-hours, the one definition the dashboard and the monthly report share: each hourly
 * row's utilization (used ÷ allocated GPU-hours) counts for its allocated GPU-hours, so a 32-GPU group weighs 32
 * times a 1-GPU one, and pN is the lowest utilization at which the running sum of GPU-hours, in order of
 * utilization, reaches N% of the group's total (weighted nearest rank: utilizationPercentiles in
 * utilization-percentiles.ts, with the same slack).
 */
const reachedSql = (value: string, p: number) => `min(${value}) FILTER (WHERE cum >= ${p} * total * (1 - 1e-12))`;

/**
 * The dashboard's utilization per group. Sums (average, idle and under-50% shares, cost) come from the daily
 * rollup; p50/p90 from GpuUtilizationDailyHistogram, the GPU-hours of the hourly rows per whole-percent bucket,
 * summed over the range per group and bucket: the bucket where the running sum reaches 50%/90%. That is the
 * report's exact figure rounded to the nearest percent (bucketedUtilizationPercentiles), ranking at most 101
 * buckets a group instead of every hourly row (about 0.6 s on 90 days).
 */
export function utilizationByGroupSql(groupBy: GroupBy, daily: Sql): Sql {
  const grp = groupColumn[groupBy];
  return {
    sql: `WITH totals AS (
            SELECT ${grp} AS grp, sum("gpuHoursAllocated") AS alloc, sum("gpuHoursUsed") AS used, sum("gpuHoursUnder10") AS u10, sum("gpuHoursUnder50") AS u50,
                   sum("costUsd") AS cost, sum("idleCostUsd") AS idle
              FROM "GpuUsageDaily" WHERE ${daily.sql} GROUP BY 1
          ), buckets AS (
            SELECT ${grp} AS grp, "utilization" AS util, sum("gpuHours") AS hours FROM "GpuUtilizationDailyHistogram" WHERE ${daily.sql} GROUP BY 1, 2
          ), percentiles AS (
            SELECT grp, ${reachedSql("util", 0.5)} AS p50, ${reachedSql("util", 0.9)} AS p90
              FROM (SELECT grp, util, sum(hours) OVER (PARTITION BY grp ORDER BY util) AS cum, sum(hours) OVER (PARTITION BY grp) AS total FROM buckets) AS w
             GROUP BY grp
          )
          SELECT t.grp, t.alloc, t.used, p.p50, p.p90, t.u10, t.u50, t.cost, t.idle FROM totals t LEFT JOIN percentiles p ON p.grp = t.grp ORDER BY t.cost DESC`,
    args: daily.args,
  };
}

/** The monthly report's utilization of everything the filter selects, from the hourly rows (exact). One row. */
export function utilizationOverallSql(hourly: Sql): Sql {
  return {
    sql: `SELECT sum(alloc) AS alloc, sum(used) AS used, ${reachedSql("util", 0.5)} AS p50, ${reachedSql("util", 0.9)} AS p90, sum(u10) AS u10, sum(u50) AS u50
            FROM (SELECT alloc, used, util, u10, u50, sum(alloc) OVER (ORDER BY util) AS cum, sum(alloc) OVER () AS total
                    FROM (SELECT "gpuHoursAllocated" AS alloc, "gpuHoursUsed" AS used, "gpuHoursUsed" / NULLIF("gpuHoursAllocated", 0) * 100 AS util,
                                 "gpuHoursUnder10" AS u10, "gpuHoursUnder50" AS u50
                            FROM "GpuUsageHourly" WHERE ${hourly.sql}) AS r) AS w`,
    args: hourly.args,
  };
}

/**
 * An hourly row's utilization bucket: round(used ÷ allocated × 100), half up, 0–100 (utilizationBucket in
 * utilization-percentiles.ts; the same float operations in the same order, so both pick the same bucket). The
 * migration that created GpuUtilizationDailyHistogram filled it with this expression too.
 */
const utilizationBucketSql = `least(100, greatest(0, floor("gpuHoursUsed" / "gpuHoursAllocated" * 100 + 0.5)))::smallint`;

/**
 * Rebuilds the daily rollup for the days touched by [start, end) from the hourly rows, in one statement (so a
 * reader never sees one without the other): GpuUsageDaily, and GpuUtilizationDailyHistogram, whose buckets no
 * hourly row of those days falls in any more (a re-read hour moved to another bucket) are deleted. Idempotent.
 */
export function refreshDailySql(source: string, start: number, end: number): Sql {
  const hours = `"source" = $1 AND "hour" >= date_trunc('day', $2::timestamp) AND "hour" < date_trunc('day', $3::timestamp - interval '1 microsecond') + interval '1 day'`;
  const days = `"source" = $1 AND "day" >= date_trunc('day', $2::timestamp)::date AND "day" <= date_trunc('day', $3::timestamp - interval '1 microsecond')::date`;
  const bucketKey = `"day", "team", "workloadType", "nodePool", "utilization"`;
  return {
    sql: `WITH buckets AS (
            SELECT date_trunc('day', "hour")::date AS "day", "team", "workloadType", "nodePool", ${utilizationBucketSql} AS "utilization", sum("gpuHoursAllocated") AS "gpuHours"
              FROM "GpuUsageHourly" WHERE ${hours} AND "gpuHoursAllocated" > 0
             GROUP BY 1, 2, 3, 4, 5
          ), stale AS (
            DELETE FROM "GpuUtilizationDailyHistogram" h WHERE ${days}
               AND NOT EXISTS (SELECT 1 FROM buckets b WHERE b."day" = h."day" AND b."team" = h."team" AND b."workloadType" = h."workloadType" AND b."nodePool" = h."nodePool" AND b."utilization" = h."utilization")
          ), histogram AS (
            INSERT INTO "GpuUtilizationDailyHistogram" ("source", ${bucketKey}, "gpuHours") SELECT $1, ${bucketKey}, "gpuHours" FROM buckets
            ON CONFLICT ("source", ${bucketKey}) DO UPDATE SET "gpuHours" = EXCLUDED."gpuHours"
          )
          INSERT INTO "GpuUsageDaily" ("day", "source", "team", "workloadType", "nodePool", "instanceType", "capacityType", "gpuHoursAllocated", "gpuHoursUsed",
                 "idleGpuHours", "gpuHoursUnder10", "gpuHoursUnder50", "sampleCount", "memoryUsedMiBMax", "costUsd", "idleCostUsd")
          SELECT date_trunc('day', "hour")::date, "source", "team", "workloadType", "nodePool", "instanceType", "capacityType", sum("gpuHoursAllocated"), sum("gpuHoursUsed"),
                 sum("idleGpuHours"), sum("gpuHoursUnder10"), sum("gpuHoursUnder50"), sum("sampleCount"), max("memoryUsedMiBMax"), sum("costUsd"), sum("idleCostUsd")
            FROM "GpuUsageHourly"
           WHERE ${hours}
           GROUP BY 1, 2, 3, 4, 5, 6, 7
          ON CONFLICT ("day", "source", "team", "workloadType", "nodePool", "instanceType", "capacityType") DO UPDATE SET
                 "gpuHoursAllocated" = EXCLUDED."gpuHoursAllocated", "gpuHoursUsed" = EXCLUDED."gpuHoursUsed", "idleGpuHours" = EXCLUDED."idleGpuHours",
                 "gpuHoursUnder10" = EXCLUDED."gpuHoursUnder10", "gpuHoursUnder50" = EXCLUDED."gpuHoursUnder50", "sampleCount" = EXCLUDED."sampleCount",
                 "memoryUsedMiBMax" = EXCLUDED."memoryUsedMiBMax", "costUsd" = EXCLUDED."costUsd", "idleCostUsd" = EXCLUDED."idleCostUsd"`,
    args: [source, new Date(start).toISOString(), new Date(end).toISOString()],
  };
}

/** Heat map cells (day of week × hour of day) from the per-team daily hour profiles. */
export function heatMapSql(daily: Sql): Sql {
  return {
    sql: `SELECT extract(dow FROM "day") AS dow, u.h - 1 AS hour, sum(u.a) AS alloc, sum(u.b) AS used
            FROM "GpuUsageTeamDay" CROSS JOIN LATERAL unnest("allocByHour", "usedByHour") WITH ORDINALITY AS u(a, b, h) WHERE ${daily.sql} GROUP BY 1, 2`,
    args: daily.args,
  };
}

/** Rebuilds GpuUsageTeamDay for the days that [start, end) touches. */
export function refreshTeamDaySql(source: string, start: number, end: number): Sql {
  return {
    sql: `WITH per_hour AS (
            SELECT date_trunc('day', "hour")::date AS d, "team", extract(hour FROM "hour")::int AS h, sum("gpuHoursAllocated") AS a, sum("gpuHoursUsed") AS u
              FROM "GpuUsageHourly"
             WHERE "source" = $1 AND "hour" >= date_trunc('day', $2::timestamp) AND "hour" < date_trunc('day', $3::timestamp - interval '1 microsecond') + interval '1 day'
             GROUP BY 1, 2, 3
          ), keys AS (SELECT DISTINCT d, "team" FROM per_hour)
          INSERT INTO "GpuUsageTeamDay" ("day", "source", "team", "allocByHour", "usedByHour")
          SELECT k.d, $1, k."team", array_agg(coalesce(p.a, 0) ORDER BY g.h), array_agg(coalesce(p.u, 0) ORDER BY g.h)
            FROM keys k CROSS JOIN generate_series(0, 23) AS g(h)
            LEFT JOIN per_hour p ON p.d = k.d AND p."team" = k."team" AND p.h = g.h
           GROUP BY k.d, k."team"
          ON CONFLICT ("day", "source", "team") DO UPDATE SET "allocByHour" = EXCLUDED."allocByHour", "usedByHour" = EXCLUDED."usedByHour"`,
    args: [source, new Date(start).toISOString(), new Date(end).toISOString()],
  };
}

export function capacitySql(daily: Sql): Sql {
  return {
    sql: `SELECT "instanceType" AS it, "capacityType" AS ct, sum("gpuHoursAllocated") AS alloc, sum("costUsd") AS cost FROM "GpuUsageDaily" WHERE ${daily.sql} GROUP BY 1, 2`,
    args: daily.args,
  };
}

const usageColumns = [
  ["hour", "timestamp(3)"],
  ["source", "text"],
  ["team", "text"],
  ["workloadType", "text"],
  ["nodePool", "text"],
  ["instanceType", "text"],
  ["capacityType", "text"],
  ["gpuHoursAllocated", "float8"],
  ["gpuHoursUsed", "float8"],
  ["utilizationAvg", "float8"],
  ["utilizationP50", "float8"],
  ["utilizationP90", "float8"],
  ["memoryUsedMiBAvg", "float8"],
  ["memoryUsedMiBMax", "float8"],
  ["idleGpuHours", "float8"],
  ["gpuHoursUnder10", "float8"],
  ["gpuHoursUnder50", "float8"],
  ["sampleCount", "int4"],
  ["costUsd", "float8"],
  ["idleCostUsd", "float8"],
] as const;
const usageKey = ["hour", "source", "team", "workloadType", "nodePool", "instanceType", "capacityType"];

/** Bulk upsert of rollup rows through unnest(): parameters are one array per column. */
export const upsertUsageSql = (() => {
  const cols = usageColumns.map(([c]) => `"${c}"`).join(", ");
  const params = usageColumns.map(([, t], i) => `$${i + 1}::${t}[]`).join(", ");
  const updates = usageColumns
    .filter(([c]) => !usageKey.includes(c))
    .map(([c]) => `"${c}" = EXCLUDED."${c}"`)
    .join(", ");
  return `INSERT INTO "GpuUsageHourly" (${cols}) SELECT * FROM unnest(${params}) ON CONFLICT (${usageKey.map((c) => `"${c}"`).join(", ")}) DO UPDATE SET ${updates}`;
})();

export function upsertUsageArgs(chunk: ReadonlyArray<import("@/lib/costs/schema").UsageRow>): unknown[] {
  return usageColumns.map(([c]) => chunk.map((r) => (c === "hour" ? new Date(r.hour).toISOString() : r[c])));
}
