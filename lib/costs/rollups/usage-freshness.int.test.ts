// Freshness and forecasts from what was actually ingested: a Prometheus source whose data stopped 10 hours ago
// while ingestion runs kept succeeding, a weekday-only team, and samples that cover part of an hour.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { rollupSamples } from "./allocation";
import { costSummary } from "./cost-queries.server";
import { ingestionStatus } from "@/lib/costs/sources/ingest-usage.server";
import { HOUR_MS, type GpuSample } from "@/lib/costs/schema";
import { refreshDailyRollup, upsertUsageRows } from "./usage-store.server";

const from = Date.UTC(2026, 9, 1);
const dataUntil = Date.UTC(2026, 10, 20, 13); // the DCGM exporter stopped at 13:00 on Fri 20 Nov
const now = Date.UTC(2026, 10, 20, 23); // ...and the 22:05 run still succeeded, with no rows
const isWeekend = (ts: number) => new Date(ts).getUTCDay() % 6 === 0;

function samples(): GpuSample[] {
  const base = {
    node: "n1",
    workloadType: "training",
    instanceType: "g5.xlarge",
    capacityType: "on_demand" as const,
    requestedGpus: 1,
    memoryUsedMiB: 1024,
  };
  const out: GpuSample[] = [];
  for (let ts = from; ts < dataUntil; ts += HOUR_MS) {
    // nlp: one GPU, $100/h, that changed pods at half past: two half-hour samples, both at 30% utilization.
    out.push({ ...base, ts, hours: 0.5, gpuId: "g0", team: "nlp", nodePool: "nlp-pool", utilization: 30 });
    out.push({
      ...base,
      ts: ts + HOUR_MS / 2,
      hours: 0.5,
      gpuId: "g0",
      team: "nlp",
      nodePool: "nlp-pool",
      utilization: 30,
    });
    // vision: one GPU on weekdays only ($1,000 a day), idle; nothing at all at weekends, so no rows then.
    if (!isWeekend(ts))
      out.push({ ...base, ts, hours: 1, gpuId: "g1", team: "vision", nodePool: "vision-pool", utilization: 5 });
  }
  return out;
}

let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("costs_freshness"));
  const db = getPrisma();
  await db.team.create({ data: { slug: "nlp", name: "NLP" } });
  // November 2026 has 21 weekdays: vision will spend $21,000, under this budget.
  await db.team.create({ data: { slug: "vision", name: "Vision", monthlyBudgetUsd: 22_000 } });
  await db.setting.create({
    data: {
      key: "costs.source",
      value: { sources: ["prometheus"], prometheusUrl: "http://prometheus.example:9090", staleAfterHours: 3 },
    },
  });
  const rows = rollupSamples(samples(), "prometheus", (s) => (s.team === "nlp" ? 100 : 1000 / 24));
  await upsertUsageRows(db, rows);
  await refreshDailyRollup(db, "prometheus", from, dataUntil);
  await db.ingestionRun.create({
    data: {
      source: "prometheus",
      status: "succeeded",
      rows: 0,
      startedAt: new Date(now - 55 * 60_000),
      finishedAt: new Date(now - 55 * 60_000),
      rangeStart: new Date(now - 2 * HOUR_MS),
      rangeEnd: new Date(now - HOUR_MS),
    },
  });
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

describe("usage freshness", () => {
  it("is stale when the newest ingested hour is older than the stale setting, though the last run succeeded an hour ago", async () => {
    const [status] = await ingestionStatus(getPrisma(), now);
    expect(status).toEqual({
      source: "prometheus",
      lastSuccessAt: new Date(now - 55 * 60_000).toISOString(),
      dataUntil: new Date(dataUntil).toISOString(),
      dataAgeHours: 10,
      stale: true,
      lastError: null,
    });
  });

  it("is fresh while the newest hour is within the stale setting", async () => {
    const [status] = await ingestionStatus(getPrisma(), dataUntil + 2.5 * HOUR_MS);
    expect(status).toMatchObject({ dataAgeHours: 2, stale: false });
  });

  it("forecasts the month from where the data ends, counting the weekday-only team's weekends as $0", async () => {
    const s = await costSummary(getPrisma(), { days: 7, groupBy: "team", teams: null, now });
    // Known: 19 days and 13 hours of nlp ($100/h) and 14 weekdays and 13 hours of vision.
    expect(s.monthToDate.monthToDateUsd).toBeCloseTo((19 * 24 + 13) * 100 + 14 * 1000 + (13 / 24) * 1000, 1);
    expect(s.monthToDate.dataUntil).toBe(new Date(dataUntil).toISOString());
    // True month: nlp 30 × $2,400; vision 21 weekdays × $1,000.
    expect(s.monthToDate.seasonalUsd).toBeCloseTo(30 * 2400 + 21_000, 1);
    expect(s.monthToDate.teamBudgets).toEqual([
      { team: "vision", budgetUsd: 22_000, forecastUsd: 21_000, overByUsd: 0, alert: false },
    ]);
    expect(s.ingestion[0]).toMatchObject({ stale: true, dataAgeHours: 10 });
  });

  it("gives idle and under-50% shares of sample hours, not of samples", async () => {
    const s = await costSummary(getPrisma(), { days: 7, groupBy: "team", teams: null, now });
    const byTeam = Object.fromEntries(s.utilization.map((u) => [u.group, u]));
    // nlp ran at 30% every hour in two half-hour samples: all of its GPU-hours are under 50%, none idle.
    expect(byTeam.nlp).toMatchObject({ idleShare: 0, underutilizedShare: 1 });
    expect(byTeam.vision).toMatchObject({ idleShare: 1, underutilizedShare: 1 });
    const nlpHours = byTeam.nlp!.costUsd / 100;
    const visionHours = byTeam.vision!.costUsd / (1000 / 24);
    expect(s.totals.idleShare).toBeCloseTo(visionHours / (nlpHours + visionHours), 6);
    expect(s.totals.underutilizedShare).toBeCloseTo(1, 6);
  });
});
