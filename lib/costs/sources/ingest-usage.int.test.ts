import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { upsertUsageRows, loadUsageRows } from "@/lib/costs/rollups/usage-store.server";
import { ingestionStatus, ingestUsage, seedDemoUsage } from "./ingest-usage.server";
import { NOW, plantRows } from "@/lib/costs/planted-fleet.test-helper";

let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("costs_ingest"));
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

describe("usage store", () => {
  it("upserts rollup rows idempotently and reads them back unchanged", async () => {
    const db = getPrisma();
    const rows = plantRows([{ nodePool: "p", instanceType: "g5.xlarge", gpus: 2, days: 2, utilization: () => 40 }]);
    await upsertUsageRows(db, rows, 17);
    await upsertUsageRows(db, rows, 17);
    expect(await db.gpuUsageHourly.count()).toBe(rows.length);
    const back = await loadUsageRows(db, { source: "test", since: NOW - 3 * 86_400_000, until: NOW });
    expect(back).toEqual(rows);
  });
});

describe("demo seeding and ingestion", () => {
  const now = Date.UTC(2026, 10, 29, 7, 30);

  it("seeds 90 days of demo rollups and recommendations", async () => {
    const db = getPrisma();
    const started = Date.now();
    const r = await seedDemoUsage(db, now);
    console.log(`seedDemoUsage: ${r.rows} rows, ${r.recommendations} recommendations in ${Date.now() - started} ms`);
    expect(await db.gpuUsageHourly.count({ where: { source: "demo" } })).toBe(r.rows);
    expect(r.recommendations).toBeGreaterThan(5);
    const status = await ingestionStatus(db, now + 3_600_000);
    expect(status).toEqual([expect.objectContaining({ source: "demo", stale: false })]);
    expect((await ingestionStatus(db, now + 24 * 3_600_000))[0]!.stale).toBe(true);
  });

  it("gives every demo inference card the inference table's peak and its lowest sized hour", async () => {
    const db = getPrisma();
    const { computeInferenceScaling, latestUsageHour } = await import("@/lib/costs/rollups/ingestion-results.server");
    const { inferenceSizingOf } = await import("@/lib/costs/rollups/weekly-scaling");
    const hour = (await latestUsageHour(db, "demo", now))!;
    const sizing = inferenceSizingOf(await computeInferenceScaling(db, "demo", hour, null));
    const cards = await db.recommendation.findMany({ where: { category: "scheduled-scaling" } });
    const inferenceCards = cards.filter((c) => / inference \(/.test(c.title));
    // recsys inference-a10g is the review's case: the table said 22 → 2, the card 21 → 1. Its users' day gives it
    // a peak well above its night, whatever the figures.
    expect(inferenceCards.map((c) => c.title).join("\n")).toContain("recsys inference (inference-a10g)");
    const ranker = sizing.get("recsys|inference-a10g")!;
    expect(ranker.peakGpus).toBeGreaterThan(ranker.floorGpus * 2);
    for (const card of inferenceCards) {
      const [, pool, floor, peak] = /^Scale .+ inference \((.+)\) down .*: needs (\d+)–(\d+) GPUs, holds \d+$/.exec(
        card.title,
      )!;
      const table = sizing.get(`${card.team}|${pool}`)!;
      expect(Number(peak), card.title).toBe(table.peakGpus);
      // The low end is an hour that exists: never below the table's floor, and the rationale counts its hours.
      expect(Number(floor), card.title).toBeGreaterThanOrEqual(table.floorGpus);
      const [, lowHours, lowCount] = /(\d+) of 168 weekly hours need only (\d+)/.exec(card.rationale)!.map(Number);
      expect(lowCount, card.rationale).toBe(Number(floor));
      expect(lowHours, card.rationale).toBeGreaterThan(0);
    }
  });

  it("seeds the demo's model-server load, so /metrics serves every reference metric from data", async () => {
    const db = getPrisma();
    // Three inference workloads with a model × 90 days × 24 hours.
    expect(await db.inferenceLoadHourly.count({ where: { source: "demo" } })).toBe(3 * 90 * 24);
    const { costMetricsText } = await import("@/lib/costs/rollups/cost-metrics.server");
    const text = await costMetricsText(now, db);
    for (const name of [
      "ml_gpu_memory_utilization_percent",
      "ml_model_throughput_requests_per_second",
      "ml_batch_queue_depth",
      "ml_estimated_wait_time_seconds",
      "ml_scaling_recommended_replicas",
    ]) {
      expect(text, name).toMatch(new RegExp(`^${name}\\{`, "m"));
    }
    expect(text).toMatch(
      /^ml_model_throughput_requests_per_second\{model_name="ranker",model_version="2026-11-02"\} [1-9]/m,
    );
  });

  it("re-ingests idempotently and keeps a snoozed recommendation snoozed", async () => {
    const db = getPrisma();
    const before = await db.gpuUsageHourly.aggregate({
      _sum: { costUsd: true },
      _count: true,
      where: { source: "demo" },
    });
    const rec = await db.recommendation.findFirstOrThrow({ where: { category: "idle" } });
    await db.recommendation.update({
      where: { id: rec.id },
      data: { state: "snoozed", snoozedUntil: new Date(now + 7 * 86_400_000) },
    });

    const results = await ingestUsage(db, { now: now + 2 * 3_600_000 });
    expect(results).toEqual([expect.objectContaining({ source: "demo", status: "succeeded" })]);
    const after = await db.gpuUsageHourly.aggregate({
      _sum: { costUsd: true },
      _count: true,
      where: { source: "demo", hour: { lt: new Date(Date.UTC(2026, 10, 29, 7)) } },
    });
    expect(after._count).toBe(before._count);
    expect(after._sum.costUsd).toBeCloseTo(before._sum.costUsd!, 6);
    expect((await db.recommendation.findUniqueOrThrow({ where: { id: rec.id } })).state).toBe("snoozed");
  });

  it("records a failed source with the reason and the fix", async () => {
    const db = getPrisma();
    await db.setting.upsert({
      where: { key: "costs.source" },
      create: { key: "costs.source", value: { sources: ["demo", "prometheus"] } },
      update: { value: { sources: ["demo", "prometheus"] } },
    });
    await expect(ingestUsage(db, { now: now + 3 * 3_600_000 })).rejects.toThrow(/prometheusUrl is not set/);
    const failed = await db.ingestionRun.findFirstOrThrow({ where: { source: "prometheus" } });
    expect(failed.status).toBe("failed");
    expect((await ingestionStatus(db, now + 3 * 3_600_000)).find((s) => s.source === "prometheus")).toMatchObject({
      stale: true,
      lastError: expect.stringMatching(/prometheusUrl/),
    });
    await db.setting.delete({ where: { key: "costs.source" } });
  });
});
