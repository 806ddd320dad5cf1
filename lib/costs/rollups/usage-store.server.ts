import "server-only";
import type { Db, Tx } from "@/lib/db/prisma.server";
import type { CostLine } from "@/lib/costs/sources/cost-explorer-rows";
import { refreshDailySql, refreshTeamDaySql, upsertUsageArgs, upsertUsageSql } from "./summary-sql";
import type { CapacityType, UsageRow } from "@/lib/costs/schema";

// Bulk upserts through unnest(): one statement per few thousand rows keeps 100k-row ingests in seconds and makes
// re-runs idempotent (the primary key is the rollup's identity).

type Client = Db | Tx;

export async function upsertUsageRows(db: Client, rows: readonly UsageRow[], chunkSize = 5000): Promise<number> {
  let written = 0;
  for (let i = 0; i < rows.length; i += chunkSize) {
    written += await db.$executeRawUnsafe(upsertUsageSql, ...upsertUsageArgs(rows.slice(i, i + chunkSize)));
  }
  return written;
}

/**
 * Rebuilds GpuUsageDaily with its utilization histogram (GpuUtilizationDailyHistogram, the dashboard's p50/p90) and
 * GpuUsageTeamDay for the days that [start, end) touches.
 */
export async function refreshDailyRollup(db: Client, source: string, start: number, end: number): Promise<number> {
  const daily = refreshDailySql(source, start, end);
  const teamDay = refreshTeamDaySql(source, start, end);
  return (
    (await db.$executeRawUnsafe(daily.sql, ...daily.args)) + (await db.$executeRawUnsafe(teamDay.sql, ...teamDay.args))
  );
}

export async function upsertCostLines(
  db: Client,
  lines: readonly CostLine[],
  source: string,
  chunkSize = 5000,
): Promise<number> {
  let written = 0;
  for (let i = 0; i < lines.length; i += chunkSize) {
    const c = lines.slice(i, i + chunkSize);
    written += await db.$executeRawUnsafe(
      `INSERT INTO "CostDaily" ("day", "source", "service", "team", "workloadType", "amountUsd", "currency")
       SELECT d::date, s, sv, t, w, a, cur FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[]) AS x(d, s, sv, t, w, a, cur)
       ON CONFLICT ("day", "source", "service", "team", "workloadType") DO UPDATE SET "amountUsd" = EXCLUDED."amountUsd", "currency" = EXCLUDED."currency"`,
      c.map((l) => l.day),
      c.map(() => source),
      c.map((l) => l.service),
      c.map((l) => l.team),
      c.map((l) => l.workloadType),
      c.map((l) => l.amountUsd),
      c.map((l) => l.currency),
    );
  }
  return written;
}

interface RawUsageRow extends Omit<UsageRow, "hour" | "capacityType"> {
  hour: Date;
  capacityType: string;
}

export async function loadUsageRows(
  db: Client,
  where: { source: string; since: number; until: number; teams?: readonly string[] | null; workloadType?: string },
): Promise<UsageRow[]> {
  const rows = await db.gpuUsageHourly.findMany({
    where: {
      source: where.source,
      hour: { gte: new Date(where.since), lt: new Date(where.until) },
      ...(where.teams ? { team: { in: [...where.teams] } } : {}),
      ...(where.workloadType ? { workloadType: where.workloadType } : {}),
    },
    orderBy: { hour: "asc" },
  });
  return (rows as RawUsageRow[]).map((r) => ({
    ...r,
    hour: r.hour.getTime(),
    capacityType: r.capacityType as CapacityType,
  }));
}
