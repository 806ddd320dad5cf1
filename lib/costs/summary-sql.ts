// The dashboard's aggregate SQL over GpuUsageHourly, as text + parameters. Pure, so the API (through Prisma) and the
// benchmark (through pg) run exactly the same statements.
import type { GroupBy } from "./schema";

export interface Sql {
  sql: string;
  args: unknown[];
}

export const groupColumn: Record<GroupBy, string> = { team: `"team"`, workloadType: `"workloadType"`, nodePool: `"nodePool"` };

export function usageFilter(source: string, start: number, end: number, teams: readonly string[] | null): Sql {
  const args: unknown[] = [source, new Date(start).toISOString(), new Date(end).toISOString()];
  let sql = `"source" = $1 AND "hour" >= $2::timestamp AND "hour" < $3::timestamp`;
  if (teams) {
    args.push([...teams]);
    sql += ` AND "team" = ANY($4::text[])`;
  }
  return { sql, args };
}

export function dailyByGroupSql(groupBy: GroupBy, f: Sql): Sql {
  return {
    sql: `SELECT date_trunc('day', "hour") AS day, ${groupColumn[groupBy]} AS grp, sum("costUsd") AS cost, sum("idleCostUsd") AS idle,
                 sum("gpuHoursAllocated") AS alloc, sum("gpuHoursUsed") AS used
            FROM "GpuUsageHourly" WHERE ${f.sql} GROUP BY 1, 2 ORDER BY 1, 2`,
    args: f.args,
  };
}

export function utilizationByGroupSql(groupBy: GroupBy, f: Sql): Sql {
  return {
    sql: `SELECT ${groupColumn[groupBy]} AS grp, sum("gpuHoursAllocated") AS alloc, sum("gpuHoursUsed") AS used,
                 percentile_cont(0.5) WITHIN GROUP (ORDER BY "utilizationAvg") AS p50, percentile_cont(0.9) WITHIN GROUP (ORDER BY "utilizationAvg") AS p90,
                 sum("gpuHoursUnder10") AS u10, sum("gpuHoursUnder50") AS u50, sum("sampleCount") AS samples, sum("costUsd") AS cost, sum("idleCostUsd") AS idle
            FROM "GpuUsageHourly" WHERE ${f.sql} GROUP BY 1 ORDER BY sum("costUsd") DESC`,
    args: f.args,
  };
}

export function heatMapSql(f: Sql): Sql {
  return {
    sql: `SELECT extract(dow FROM "hour") AS dow, extract(hour FROM "hour") AS hour, sum("gpuHoursAllocated") AS alloc, sum("gpuHoursUsed") AS used
            FROM "GpuUsageHourly" WHERE ${f.sql} GROUP BY 1, 2`,
    args: f.args,
  };
}

export function capacitySql(f: Sql): Sql {
  return {
    sql: `SELECT "instanceType" AS it, "capacityType" AS ct, sum("gpuHoursAllocated") AS alloc, sum("costUsd") AS cost FROM "GpuUsageHourly" WHERE ${f.sql} GROUP BY 1, 2`,
    args: f.args,
  };
}

const usageColumns = [
  ["hour", "timestamp(3)"], ["source", "text"], ["team", "text"], ["workloadType", "text"], ["nodePool", "text"], ["instanceType", "text"], ["capacityType", "text"],
  ["gpuHoursAllocated", "float8"], ["gpuHoursUsed", "float8"], ["utilizationAvg", "float8"], ["utilizationP50", "float8"], ["utilizationP90", "float8"],
  ["memoryUsedMiBAvg", "float8"], ["memoryUsedMiBMax", "float8"], ["idleGpuHours", "float8"], ["gpuHoursUnder10", "float8"], ["gpuHoursUnder50", "float8"],
  ["sampleCount", "int4"], ["costUsd", "float8"], ["idleCostUsd", "float8"],
] as const;
const usageKey = ["hour", "source", "team", "workloadType", "nodePool", "instanceType", "capacityType"];

/** Bulk upsert of rollup rows through unnest(): parameters are one array per column. */
export const upsertUsageSql = (() => {
  const cols = usageColumns.map(([c]) => `"${c}"`).join(", ");
  const params = usageColumns.map(([, t], i) => `$${i + 1}::${t}[]`).join(", ");
  const updates = usageColumns.filter(([c]) => !usageKey.includes(c)).map(([c]) => `"${c}" = EXCLUDED."${c}"`).join(", ");
  return `INSERT INTO "GpuUsageHourly" (${cols}) SELECT * FROM unnest(${params}) ON CONFLICT (${usageKey.map((c) => `"${c}"`).join(", ")}) DO UPDATE SET ${updates}`;
})();

export function upsertUsageArgs(chunk: ReadonlyArray<import("./schema").UsageRow>): unknown[] {
  return usageColumns.map(([c]) => chunk.map((r) => (c === "hour" ? new Date(r.hour).toISOString() : r[c])));
}
