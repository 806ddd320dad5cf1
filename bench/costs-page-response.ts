// Issue 13 benchmark: the costs page's server-side data (everything /costs awaits before it renders: the 30-day
// summary, recommendations, team lists, inference scaling with its week, data health, idle kept apart and shared) on
// the 2.16 M-sample fleet (1,000 GPUs × 90 days, as costs-ingest-and-query.ts builds it). Target p95 300 ms.
// Prints figures; asserts nothing. Run: npx tsx --conditions=react-server bench/costs-page-response.ts
import { performance } from "node:perf_hooks";
import pg from "pg";
import { HourlyRollup, percentile } from "@/lib/costs/rollups/allocation";
import { demoFleet, demoSamples, type FleetWorkload } from "@/lib/costs/sources/demo-fleet";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import { demoInferenceLoad } from "@/lib/costs/sources/inference-load";
import { refreshDailySql, refreshTeamDaySql, upsertUsageArgs, upsertUsageSql } from "@/lib/costs/rollups/summary-sql";
import type { GpuSample } from "@/lib/costs/schema";
import { migrateDatabase } from "@/lib/db/migrate";
import { createEmptyDatabase, migrationsDir } from "@/test-support/test-database";

const DAYS = 90;
const now = Date.UTC(2026, 10, 29, 0);
const fleet: FleetWorkload[] = Array.from({ length: 8 }, (_, i) =>
  demoFleet(1).map((w) => ({ ...w, team: `${w.team}-${i}` })),
).flat();
const rate = (s: GpuSample) => gpuHourlyRate("aws", s.instanceType, s.capacityType);

async function main(): Promise<void> {
  const db = await createEmptyDatabase("bench_costs_page");
  await migrateDatabase(db.url, migrationsDir);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const rollup = new HourlyRollup("demo", rate);
    let samples = 0;
    let hour = -1;
    for (const s of demoSamples({ now, days: DAYS, fleet })) {
      if (s.ts !== hour) rollup.seal((hour = s.ts));
      rollup.add(s);
      samples++;
    }
    const rows = rollup.rows();
    for (let i = 0; i < rows.length; i += 5000)
      await client.query(upsertUsageSql, upsertUsageArgs(rows.slice(i, i + 5000)));
    for (const q of [
      refreshDailySql("demo", now - DAYS * 86_400_000, now),
      refreshTeamDaySql("demo", now - DAYS * 86_400_000, now),
    ])
      await client.query(q.sql, q.args);
    await client.query(`ANALYZE`);
    console.log(
      `fleet: ${samples.toLocaleString("en-US")} samples → ${rows.length.toLocaleString("en-US")} hourly rollup rows`,
    );

    // The services read the database through Prisma: point them at the bench database, then load them.
    process.env.DATABASE_URL = db.url;
    const { getPrisma, disconnectPrisma } = await import("@/lib/db/prisma.server");
    const { upsertInferenceLoad } = await import("@/lib/costs/rollups/inference-load-store.server");
    const { refreshRecommendations } = await import("@/lib/costs/recommendations/refresh-recommendations.server");
    const { refreshIngestionResults } = await import("@/lib/costs/rollups/ingestion-results.server");
    const { costSummary, teamCostsBothWays, teamsInData } = await import("@/lib/costs/rollups/cost-queries.server");
    const { listRecommendations } = await import("@/lib/costs/recommendations/list-recommendations.server");
    const { inferenceScalingRows } = await import("@/lib/costs/rollups/cost-metrics.server");
    const { latestDataHealth } = await import("@/lib/costs/sources/ingest-usage.server");
    const prisma = getPrisma();
    await upsertInferenceLoad(prisma, demoInferenceLoad({ now, days: 8, fleet, source: "demo" }));
    await prisma.ingestionRun.create({
      data: {
        source: "demo",
        status: "succeeded",
        rows: rows.length,
        startedAt: new Date(now),
        finishedAt: new Date(now),
        rangeStart: new Date(now - DAYS * 86_400_000),
        rangeEnd: new Date(now),
      },
    });
    const tr = performance.now();
    await refreshRecommendations(prisma, { now, source: "demo", cloud: "aws" });
    await refreshIngestionResults(prisma, { now, source: "demo" });
    console.log(
      `recommendations and stored page results refreshed in ${((performance.now() - tr) / 1000).toFixed(1)} s (ingestion, not the page)`,
    );

    // What /costs awaits for a finance user (all teams), 30 days by team.
    const page = () =>
      Promise.all([
        costSummary(prisma, { days: 30, groupBy: "team", teams: null, now }),
        listRecommendations(prisma, { teams: null, now }),
        prisma.team.findMany({ orderBy: { name: "asc" }, select: { slug: true, name: true } }),
        teamsInData(prisma, null, now),
        inferenceScalingRows(prisma, now, null),
        latestDataHealth(prisma, "prometheus"),
        teamCostsBothWays(prisma, { days: 30, teams: null, now }),
      ]);
    await page(); // warm-up: connection pool, plans
    const times: number[] = [];
    // This process's CPU (Prisma, JSON, the page's arithmetic), apart from PostgreSQL's: a loaded machine stretches
    // wall time but not this.
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await page();
      times.push(performance.now() - t);
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000 / times.length;
    const parts: [string, () => Promise<unknown>][] = [
      ["summary", () => costSummary(prisma, { days: 30, groupBy: "team", teams: null, now })],
      ["recommendations", () => listRecommendations(prisma, { teams: null, now })],
      ["teams in data", () => teamsInData(prisma, null, now)],
      ["inference scaling (week)", () => inferenceScalingRows(prisma, now, null)],
      ["data health", () => latestDataHealth(prisma, "prometheus")],
      ["idle apart and shared", () => teamCostsBothWays(prisma, { days: 30, teams: null, now })],
    ];
    for (const [name, run] of parts) {
      const t: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await run();
        t.push(performance.now() - t0);
      }
      console.log(`  ${name}: p50 ${percentile(t, 50).toFixed(0)} ms alone`);
    }
    // An engineer sees only their teams: that summary is computed from the rollups per request (p50/p90 of some teams
    // are not a sum of stored per-team figures), so it is measured apart: one team, and a quarter of the teams.
    const teamNames = [...new Set(fleet.map((w) => w.team))].sort();
    for (const [name, scope] of [
      ["one team", teamNames.slice(0, 1)],
      [
        `${Math.ceil(teamNames.length / 4)} of ${teamNames.length} teams`,
        teamNames.slice(0, Math.ceil(teamNames.length / 4)),
      ],
    ] as const) {
      const t: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        await costSummary(prisma, { days: 30, groupBy: "team", teams: [...scope], now });
        t.push(performance.now() - t0);
      }
      console.log(
        `  summary scoped to ${name}: p50 ${percentile(t, 50).toFixed(0)} ms, p95 ${percentile(t, 95).toFixed(0)} ms`,
      );
    }
    console.log(
      `costs page server data: p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms over ${times.length} runs; target p95 300 ms; server process CPU ${cpuMs.toFixed(0)} ms a page`,
    );
    await disconnectPrisma();
  } finally {
    await client.end();
    await db.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
