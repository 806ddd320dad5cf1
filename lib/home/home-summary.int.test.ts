import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { rollupSamples } from "@/lib/costs/allocation";
import { costSummary } from "@/lib/costs/cost-queries.server";
import { seedDemoUsage } from "@/lib/costs/ingest-usage.server";
import { HOUR_MS, type GpuSample } from "@/lib/costs/schema";
import { refreshDailyRollup, upsertUsageRows } from "@/lib/costs/usage-store.server";
import { homeSummary } from "./home-summary.server";

const now = Date.UTC(2026, 10, 20, 12, 30);
const monthStart = Date.UTC(2026, 10, 1);
const finance: PortalUser = { id: "u-fin", email: "fin@example.com", name: "Fin", role: "finance", teamIds: [] };

let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("home_summary"));
  const db = getPrisma();
  // The seed's 90 days of demo data stay in the table after an admin switches to Prometheus.
  await seedDemoUsage(db, now);
  const samples: GpuSample[] = [];
  for (let ts = monthStart; ts < Math.floor(now / HOUR_MS) * HOUR_MS; ts += HOUR_MS) {
    samples.push({ ts, hours: 1, gpuId: "g0", node: "n1", team: "nlp", workloadType: "training", nodePool: "p", instanceType: "g5.xlarge", capacityType: "on_demand", requestedGpus: 1, utilization: 50, memoryUsedMiB: 1024 });
  }
  await upsertUsageRows(db, rollupSamples(samples, "prometheus", () => 10));
  await refreshDailyRollup(db, "prometheus", monthStart, now);
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

describe("home summary", () => {
  it("shows the demo's spend this month while the demo is the source", async () => {
    const db = getPrisma();
    const demo = await db.gpuUsageHourly.aggregate({ where: { source: "demo", hour: { gte: new Date(monthStart), lt: new Date(now) } }, _sum: { costUsd: true } });
    const s = await homeSummary(finance, new Date(now));
    expect(s.spendThisMonthUsd).toBeCloseTo(demo._sum.costUsd!, 6);
  });

  it("shows only Prometheus spend once an admin switches to it, the same as /costs", async () => {
    const db = getPrisma();
    await db.setting.create({ data: { key: "costs.source", value: { sources: ["prometheus"], prometheusUrl: "http://prometheus.example:9090" } } });
    const s = await homeSummary(finance, new Date(now));
    // 19 days and 12 hours at $10/h.
    expect(s.spendThisMonthUsd).toBeCloseTo((19 * 24 + 12) * 10, 6);
    expect(s.idleThisMonthUsd).toBeCloseTo((19 * 24 + 12) * 5, 6);
    const costs = await costSummary(db, { days: 30, groupBy: "team", teams: null, now });
    expect(costs.monthToDate.monthToDateUsd).toBeCloseTo(s.spendThisMonthUsd!, 2);
  });
});
