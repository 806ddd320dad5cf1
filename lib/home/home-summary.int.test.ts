import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { rollupSamples } from "@/lib/costs/rollups/allocation";
import { costSummary } from "@/lib/costs/rollups/cost-queries.server";
import { seedDemoUsage } from "@/lib/costs/sources/ingest-usage.server";
import { HOUR_MS, type GpuSample } from "@/lib/costs/schema";
import { refreshDailyRollup, upsertUsageRows } from "@/lib/costs/rollups/usage-store.server";
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
    samples.push({
      ts,
      hours: 1,
      gpuId: "g0",
      node: "n1",
      team: "nlp",
      workloadType: "training",
      nodePool: "p",
      instanceType: "g5.xlarge",
      capacityType: "on_demand",
      requestedGpus: 1,
      utilization: 50,
      memoryUsedMiB: 1024,
    });
  }
  await upsertUsageRows(
    db,
    rollupSamples(samples, "prometheus", () => 10),
  );
  await refreshDailyRollup(db, "prometheus", monthStart, now);
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

describe("home summary", () => {
  it("shows the demo's spend this month while the demo is the source", async () => {
    const db = getPrisma();
    const demo = await db.gpuUsageHourly.aggregate({
      where: { source: "demo", hour: { gte: new Date(monthStart), lt: new Date(now) } },
      _sum: { costUsd: true },
    });
    const s = await homeSummary({ actor: finance, now: new Date(now) });
    expect(s.spendThisMonthUsd).toBeCloseTo(demo._sum.costUsd!, 6);
  });

  it("gives each team the costs page's month-end forecast for the same data, at any minute of the hour", async () => {
    const db = getPrisma();
    await db.team.createMany({
      data: [
        { slug: "nlp", name: "NLP", monthlyBudgetUsd: 1000, costLabelValues: ["nlp-research"] },
        { slug: "vision", name: "Vision", monthlyBudgetUsd: 1_000_000 },
      ],
      skipDuplicates: true,
    });
    const costs = await costSummary(db, { days: 30, groupBy: "team", teams: null, now });
    const forecastOf = new Map(costs.monthToDate.teamBudgets.map((b) => [b.team, b.forecastUsd]));
    expect(forecastOf.size).toBeGreaterThan(0);
    // Engineers and finance load their homes minutes apart; the data stamp is the same, so the figure is too.
    for (const at of [now, now + 7 * 60_000, now + 25 * 60_000]) {
      const home = await homeSummary({ actor: finance, now: new Date(at) });
      for (const t of home.teamBudgets ?? [])
        if (forecastOf.has(t.slug)) expect(t.forecastUsd).toBe(forecastOf.get(t.slug));
      expect(home.teamBudgets?.filter((t) => forecastOf.has(t.slug)).length).toBe(forecastOf.size);
    }
  });

  it("shows only Prometheus spend once an admin switches to it, the same as /costs", async () => {
    const db = getPrisma();
    await db.setting.create({
      data: {
        key: "costs.source",
        value: { sources: ["prometheus"], prometheusUrl: "http://prometheus.example:9090" },
      },
    });
    const s = await homeSummary({ actor: finance, now: new Date(now) });
    // 19 days and 12 hours at $10/h.
    expect(s.spendThisMonthUsd).toBeCloseTo((19 * 24 + 12) * 10, 6);
    expect(s.idleThisMonthUsd).toBeCloseTo((19 * 24 + 12) * 5, 6);
    const costs = await costSummary(db, { days: 30, groupBy: "team", teams: null, now });
    expect(costs.monthToDate.monthToDateUsd).toBeCloseTo(s.spendThisMonthUsd!, 2);
  });

  it("shows an engineer their teams' requests only, and an admin every failed apply with its error", async () => {
    const db = getPrisma();
    const [nlp, vision] = await Promise.all([
      db.team.create({ data: { slug: "h-nlp", name: "H NLP", monthlyBudgetUsd: 1000 } }),
      db.team.create({ data: { slug: "h-vision", name: "H Vision" } }),
    ]);
    const person = await db.user.create({ data: { email: "h-eng@example.com", name: "Eng", role: "ml_engineer" } });
    const base = {
      kind: "inference_scaling" as const,
      requesterId: person.id,
      input: {},
      plan: {},
      planHash: "h",
      monthlyCostUsd: 0,
      securityScore: 100,
      criticalFindings: 0,
    };
    const mine = await db.request.create({ data: { ...base, title: "mine", teamId: nlp.id, status: "apply_failed" } });
    await db.applyRun.create({
      data: {
        requestId: mine.id,
        fieldManager: "ml-portal",
        status: "failed",
        error: "GPU quota exceeded in ml-training",
      },
    });
    await db.request.create({ data: { ...base, title: "theirs", teamId: vision.id, status: "pending_approval" } });
    const engineer: PortalUser = {
      id: person.id,
      email: person.email,
      name: "Eng",
      role: "ml-engineer",
      teamIds: [nlp.id],
    };
    const s = await homeSummary({ actor: engineer, now: new Date(now) });
    expect(s.teamRequests.map((r) => r.title)).toEqual(["mine"]);
    expect(s.requestCounts).toEqual({ apply_failed: 1 });
    expect(s.teamBudgets?.map((t) => t.slug)).toEqual(["h-nlp"]);
    expect(s.pendingApprovals).toEqual([]);
    const admin: PortalUser = {
      id: "u-admin",
      email: "a@example.com",
      name: "Admin",
      role: "platform-admin",
      teamIds: [],
    };
    const a = await homeSummary({ actor: admin, now: new Date(now) });
    expect(a.failedApplies.map((r) => [r.title, r.error])).toEqual([["mine", "GPU quota exceeded in ml-training"]]);
    expect(a.pendingApprovals.map((r) => r.title)).toEqual(["theirs"]);
  });

  it("lists for an SRE the plans bound to a cluster that never passed a live drill", async () => {
    const db = getPrisma();
    const cluster = await db.clusterTarget.create({
      data: { name: "h-cluster", apiServer: "https://127.0.0.1:1", credentialRef: "kubeconfig-context:none" },
    });
    const planRow = { version: 1, description: "", namespaces: ["ml"], rtoMinutes: 30, rpoMinutes: 60, steps: [] };
    await db.drPlan.create({
      data: { ...planRow, key: "h_bound", name: "Bound", isTemplate: true, clusterTargetId: cluster.id },
    });
    await db.drPlan.create({ data: { ...planRow, key: "h_loose", name: "Loose", isTemplate: true } });
    const drilled = await db.drPlan.create({
      data: { ...planRow, key: "h_drilled", name: "Drilled", clusterTargetId: cluster.id },
    });
    await db.drillRun.create({
      data: {
        planId: drilled.id,
        planVersion: 1,
        clusterTargetId: cluster.id,
        mode: "live",
        status: "passed",
        finishedAt: new Date(now - 86_400_000),
        measuredRtoSeconds: 600,
        measuredRpoSeconds: 60,
      },
    });
    const sre: PortalUser = { id: "u-sre", email: "s@example.com", name: "Sre", role: "sre", teamIds: [] };
    const s = await homeSummary({ actor: sre, now: new Date(now) });
    expect(s.drillsDue.map((d) => d.key)).toEqual(["h_bound"]);
    expect(s.drillTrend?.planKey).toBe("h_drilled");
    expect(s.drillTrend?.points.map((p) => p.rtoMinutes)).toEqual([10]);
  });
});
