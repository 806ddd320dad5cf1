// Issue 5 benchmark: ingest 1,000 GPUs × 90 days of hourly samples (2.16 M) into a fresh database (target 60 s),
// then time the dashboard's 90-day query grouped by team from the rollups (daily rollups) (target p95 100 ms) against the same
// answer computed from the raw samples in the same run. Prints figures; asserts nothing.
// Run: npx tsx bench/costs-ingest-and-query.ts   (PostgreSQL on 127.0.0.1:5432, or TEST_DATABASE_URL)
import { performance } from "node:perf_hooks";
import pg from "pg";
import { HourlyRollup, percentile } from "@/lib/costs/rollups/allocation";
import { demoFleet, demoSamples, type FleetWorkload } from "@/lib/costs/sources/demo-fleet";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import {
  capacitySql,
  dailyByGroupSql,
  dailyFilter,
  heatMapSql,
  refreshDailySql,
  refreshTeamDaySql,
  upsertUsageArgs,
  upsertUsageSql,
  utilizationByGroupSql,
} from "@/lib/costs/rollups/summary-sql";
import type { GpuSample } from "@/lib/costs/schema";
import { migrateDatabase } from "@/lib/db/migrate";
import { createEmptyDatabase, migrationsDir } from "@/test-support/test-database";

const DAYS = 90;
const now = Date.UTC(2026, 10, 29, 0);
// Eight copies of the demo fleet under different team names: 1,000 GPUs in 72 workload groups and 32 teams.
const fleet: FleetWorkload[] = Array.from({ length: 8 }, (_, i) =>
  demoFleet(1).map((w) => ({ ...w, team: `${w.team}-${i}` })),
).flat();
const gpus = fleet.reduce((s, w) => s + w.gpus, 0);
const rate = (s: GpuSample) => gpuHourlyRate("aws", s.instanceType, s.capacityType);

async function timeIt<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

async function main(): Promise<void> {
  const db = await createEmptyDatabase("bench_costs");
  await migrateDatabase(db.url, migrationsDir);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    // 1. Ingestion: samples → hourly rollups → bulk upsert, as the ingestion job does.
    const t0 = performance.now();
    const rollup = new HourlyRollup("demo", rate);
    let samples = 0;
    let hour = -1;
    for (const s of demoSamples({ now, days: DAYS, fleet })) {
      if (s.ts !== hour) rollup.seal((hour = s.ts)); // the demo emits hour by hour
      rollup.add(s);
      samples++;
    }
    const rows = rollup.rows();
    const tRollup = performance.now() - t0;
    for (let i = 0; i < rows.length; i += 5000)
      await client.query(upsertUsageSql, upsertUsageArgs(rows.slice(i, i + 5000)));
    const tUpsert = performance.now() - t0;
    for (const q of [
      refreshDailySql("demo", now - DAYS * 86_400_000, now),
      refreshTeamDaySql("demo", now - DAYS * 86_400_000, now),
    ])
      await client.query(q.sql, q.args);
    const tIngest = performance.now() - t0;
    console.log(`fleet: ${gpus} GPUs, ${fleet.length} workload groups, ${DAYS} days`);
    console.log(
      `ingestion: ${samples.toLocaleString("en-US")} raw samples → ${rows.length.toLocaleString("en-US")} rollup rows in ${(tIngest / 1000).toFixed(1)} s (rollup ${(tRollup / 1000).toFixed(1)} s, upsert ${((tUpsert - tRollup) / 1000).toFixed(1)} s, daily rollups ${((tIngest - tUpsert) / 1000).toFixed(1)} s); target 60 s`,
    );

    // 2. The raw samples themselves, to compute the same answer without rollups (BENCH_SKIP_RAW=1 skips it while iterating).
    const skipRaw = process.env.BENCH_SKIP_RAW === "1";
    const tr = performance.now();
    await client.query(
      `CREATE UNLOGGED TABLE raw_samples (ts timestamp(3), team text, workload text, pool text, instance text, capacity text, requested float8, util float8, mem float8)`,
    );
    await client.query(
      `CREATE TABLE rates (instance text, capacity text, rate float8, PRIMARY KEY (instance, capacity))`,
    );
    const rateRows = [...new Set(fleet.map((w) => `${w.instanceType}|${w.capacityType}`))].map((k) => k.split("|"));
    for (const [it, ct] of rateRows)
      await client.query(`INSERT INTO rates VALUES ($1, $2, $3)`, [
        it,
        ct,
        gpuHourlyRate("aws", it!, ct as "spot" | "on_demand"),
      ]);
    let batch: GpuSample[] = [];
    const flush = async () => {
      const b = batch;
      batch = [];
      await client.query(
        `INSERT INTO raw_samples SELECT * FROM unnest($1::timestamp[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::float8[])`,
        [
          b.map((s) => new Date(s.ts).toISOString()),
          b.map((s) => s.team),
          b.map((s) => s.workloadType),
          b.map((s) => s.nodePool),
          b.map((s) => s.instanceType),
          b.map((s) => s.capacityType),
          b.map((s) => s.requestedGpus),
          b.map((s) => s.utilization),
          b.map((s) => s.memoryUsedMiB),
        ],
      );
    };
    for (const s of skipRaw ? [] : demoSamples({ now, days: DAYS, fleet })) {
      batch.push(s);
      if (batch.length === 20_000) await flush();
    }
    if (batch.length) await flush();
    await client.query(`CREATE INDEX ON raw_samples (ts)`);
    await client.query(
      `ANALYZE raw_samples; ANALYZE "GpuUsageHourly"; ANALYZE "GpuUsageDaily"; ANALYZE "GpuUsageTeamDay"; ANALYZE "GpuUtilizationDailyHistogram"`,
    );
    console.log(
      `raw samples loaded for comparison in ${((performance.now() - tr) / 1000).toFixed(1)} s (not part of ingestion)`,
    );

    // 3. The dashboard query: 90 days grouped by team (daily cost, utilization by team, heat map, spot share).
    const start = now - DAYS * 86_400_000;
    const fd = dailyFilter("demo", start, now, null);
    const rollupQueries = [
      dailyByGroupSql("team", fd),
      utilizationByGroupSql("team", fd),
      heatMapSql(fd),
      capacitySql(fd),
    ];
    const rawCost = `greatest(r.requested, r.util / 100) * rt.rate`;
    const rawUsed = `(r.util / 100)`;
    const rawFrom = `FROM raw_samples r JOIN rates rt ON rt.instance = r.instance AND rt.capacity = r.capacity WHERE r.ts >= $1::timestamp AND r.ts < $2::timestamp`;
    const rawArgs = [new Date(start).toISOString(), new Date(now).toISOString()];
    const rawQueries = [
      `SELECT date_trunc('day', r.ts) AS day, r.team, sum(${rawCost}), sum(${rawCost} - ${rawUsed} * rt.rate), sum(greatest(r.requested, ${rawUsed})), sum(${rawUsed}) ${rawFrom} GROUP BY 1, 2`,
      `SELECT team, sum(greatest(r.requested, ${rawUsed})), sum(${rawUsed}), percentile_cont(0.5) WITHIN GROUP (ORDER BY util), percentile_cont(0.9) WITHIN GROUP (ORDER BY util),
              count(*) FILTER (WHERE util < 10), count(*) FILTER (WHERE util < 50), count(*), sum(${rawCost}) ${rawFrom} GROUP BY 1`,
      `SELECT extract(dow FROM r.ts), extract(hour FROM r.ts), sum(greatest(r.requested, ${rawUsed})), sum(${rawUsed}) ${rawFrom} GROUP BY 1, 2`,
      `SELECT r.instance, r.capacity, sum(greatest(r.requested, ${rawUsed})), sum(${rawCost}) ${rawFrom} GROUP BY 1, 2`,
    ];
    // As in the API: the four statements run concurrently on a small pool.
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    const runRollup = () => Promise.all(rollupQueries.map((q) => pool.query(q.sql, q.args)));
    const runRaw = async () => {
      for (const q of rawQueries) await client.query(q, rawArgs);
    };
    const [check] = await timeIt(runRollup);
    const rollupTimes: number[] = [];
    for (let i = 0; i < 40; i++) rollupTimes.push((await timeIt(runRollup))[1]);
    // The rollup's four statements run concurrently in the API through a pool; here one connection runs them in turn.
    const rawTimes: number[] = [];
    if (!skipRaw) await runRaw();
    for (let i = 0; i < (skipRaw ? 0 : 3); i++) rawTimes.push((await timeIt(runRaw))[1]);
    const names = ["daily cost by team", "utilization by team", "heat map", "spot share"];
    for (const [i, q] of rollupQueries.entries()) {
      const t: number[] = [];
      for (let k = 0; k < 10; k++) t.push((await timeIt(() => pool.query(q.sql, q.args)))[1]);
      console.log(`  ${names[i]}: p50 ${percentile(t, 50).toFixed(1)} ms alone`);
    }
    await pool.end();
    const p95 = percentile(rollupTimes, 95);
    const rawP50 = percentile(rawTimes, 50);
    console.log(
      `dashboard query (90 days by team) from rollups: p50 ${percentile(rollupTimes, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${rollupTimes.length} runs; target p95 100 ms`,
    );
    if (skipRaw) return console.log("raw comparison skipped (BENCH_SKIP_RAW=1)");
    console.log(`same answer from raw samples: p50 ${rawP50.toFixed(0)} ms over ${rawTimes.length} runs`);
    console.log(`ratio raw / rollup (p50): ${(rawP50 / percentile(rollupTimes, 50)).toFixed(0)}×`);

    // Sanity: both paths agree on the 90-day total.
    const rollTotal = check[0]!.rows.reduce((s: number, r: { cost: string }) => s + Number(r.cost), 0);
    const rawTotal = Number((await client.query(`SELECT sum(${rawCost}) AS c ${rawFrom}`, rawArgs)).rows[0].c);
    console.log(
      `90-day total: rollups $${rollTotal.toFixed(2)} vs raw $${rawTotal.toFixed(2)} (difference ${Math.abs(rollTotal - rawTotal).toExponential(2)})`,
    );
  } finally {
    await client.end();
    await db.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
