// An existing database gets the dashboard's utilization histogram from its migration: hourly rows ingested before
// GpuUtilizationDailyHistogram existed are in it, bucketed as the ingestion's refresh buckets them.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate";
import { createEmptyDatabase, migrationsDir } from "@/test-support/test-database";
import { rollupSamples } from "./allocation";
import { plantSamples } from "@/lib/costs/planted-fleet.test-helper";
import { DAY_MS, HOUR_MS, type UsageRow } from "@/lib/costs/schema";
import { refreshDailySql, upsertUsageArgs, upsertUsageSql } from "./summary-sql";
import { utilizationBucket } from "./utilization-percentiles";

const HISTOGRAM_MIGRATION = /_utilization_daily_histogram$/;
const DEC_8 = Date.UTC(2026, 11, 8);
const hourOfDay = (ts: number) => Math.floor((ts % DAY_MS) / HOUR_MS);

const rows: UsageRow[] = [
  ...rollupSamples(
    plantSamples(
      {
        team: "a",
        workloadType: "batch",
        nodePool: "p",
        instanceType: "g5.xlarge",
        gpus: 3,
        days: 3,
        utilization: (ts) => (hourOfDay(ts) < 6 ? 90.4 : 2.6),
      },
      DEC_8,
    ),
    "demo",
    () => 2,
  ),
  ...rollupSamples(
    plantSamples(
      {
        team: "b",
        workloadType: "inference",
        nodePool: "q",
        instanceType: "g6.xlarge",
        gpus: 2,
        days: 2,
        utilization: (ts) => 10 + 3.3 * hourOfDay(ts),
      },
      DEC_8,
    ),
    "prometheus",
    () => 1,
  ),
  // No allocation: no utilization, no bucket.
  {
    ...rollupSamples(
      plantSamples(
        { team: "c", nodePool: "r", instanceType: "g5.xlarge", gpus: 1, days: 1, utilization: () => 50 },
        DEC_8,
      ),
      "demo",
      () => 2,
    )[0]!, // one GPU for a day: 24 hourly rows
    gpuHoursAllocated: 0,
    gpuHoursUsed: 0,
  },
];

/** What the histogram should hold for `rows`: allocated GPU-hours per source, day, group and whole-percent bucket. */
function expectedHistogram(planted: readonly UsageRow[]) {
  const out = new Map<string, number>();
  for (const r of planted.filter((p) => p.gpuHoursAllocated > 0)) {
    const day = new Date(Math.floor(r.hour / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
    const key = [
      r.source,
      day,
      r.team,
      r.workloadType,
      r.nodePool,
      utilizationBucket((r.gpuHoursUsed / r.gpuHoursAllocated) * 100),
    ].join("|");
    out.set(key, (out.get(key) ?? 0) + r.gpuHoursAllocated);
  }
  return [...out].map(([key, gpuHours]) => ({ key, gpuHours })).sort((x, y) => x.key.localeCompare(y.key));
}

let db: { url: string; drop: () => Promise<void> };
let client: pg.Client;
let before: string;

async function histogram() {
  const { rows: found } = await client.query<{ key: string; gpuHours: number }>(
    `SELECT concat_ws('|', "source", to_char("day", 'YYYY-MM-DD'), "team", "workloadType", "nodePool", "utilization") AS key, "gpuHours" FROM "GpuUtilizationDailyHistogram"`,
  );
  return found.sort((x, y) => x.key.localeCompare(y.key));
}

beforeAll(async () => {
  // The database as it was before the histogram: every migration up to it.
  const names = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  expect(names.filter((n) => HISTOGRAM_MIGRATION.test(n))).toHaveLength(1);
  before = mkdtempSync(path.join(os.tmpdir(), "migrations-before-histogram-"));
  for (const name of names.filter((n) => !HISTOGRAM_MIGRATION.test(n)))
    cpSync(path.join(migrationsDir, name), path.join(before, name), { recursive: true });
  db = await createEmptyDatabase("costs_util_backfill");
  await migrateDatabase(db.url, before);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(upsertUsageSql, upsertUsageArgs(rows));
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
  if (before) rmSync(before, { recursive: true, force: true });
});

describe("the utilization histogram's migration", () => {
  it("fills the histogram from the hourly rows already ingested, as the ingestion's refresh would", async () => {
    const applied = await migrateDatabase(db.url, migrationsDir);
    expect(applied.applied).toEqual([expect.stringMatching(HISTOGRAM_MIGRATION)]);
    const filled = await histogram();
    const expected = expectedHistogram(rows);
    // Team a: 3 days × 2 buckets (90 and 3); team b: 2 days × 24 hours at 10 + 3.3 h %, some hours sharing a bucket.
    expect(filled.filter((h) => h.key.includes("|a|"))).toHaveLength(6);
    expect(filled.map((h) => h.key)).toEqual(expected.map((h) => h.key));
    for (const [i, h] of filled.entries()) expect(h.gpuHours, h.key).toBeCloseTo(expected[i]!.gpuHours, 9);
    expect(filled.some((h) => h.key.includes("|c|"))).toBe(false);

    // The refresh rebuilds the same histogram.
    for (const source of ["demo", "prometheus"]) {
      const q = refreshDailySql(source, DEC_8 - 3 * DAY_MS, DEC_8);
      await client.query(q.sql, q.args);
    }
    expect(await histogram()).toEqual(filled);
  });
});
