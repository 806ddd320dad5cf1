// The ingestion job end to end against the real Prometheus and the Cost Explorer double.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { URL_ALLOW_LIST_KEY } from "@/lib/net/schema";
import { startPrometheus, type RunningPrometheus } from "@/test-support/prometheus/start-prometheus";
import { dcgmHistory } from "@/test-support/prometheus/dcgm-history";
import { vllmHistory } from "@/test-support/prometheus/model-server-history";
import {
  startCostExplorerDouble,
  type CostExplorerDouble,
} from "@/test-support/aws-cost-explorer-double/cost-explorer-double";
import { ingestionStatus, ingestUsage } from "./ingest-usage.server";
import { clearCostExplorerMemo } from "./cost-explorer.server";
import { HOUR_MS, DAY_MS } from "@/lib/costs/schema";

const now = Date.now();
const end = Math.floor(now / HOUR_MS) * HOUR_MS;
let prom: RunningPrometheus;
let ce: CostExplorerDouble;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("costs_sources"));
  prom = await startPrometheus([
    ...dcgmHistory(
      [{ node: "n1", instanceType: "g5.xlarge", capacityType: "on-demand", nodePool: "inference-a10g" }],
      [
        {
          node: "n1",
          gpu: "0",
          pod: { namespace: "nlp", name: "llm-0", team: "nlp", workloadType: "inference" },
          utilization: () => 40,
          memoryUsedMiB: 8000,
        },
      ],
      end - 4 * HOUR_MS,
      end,
    ),
    // The last hour's queue (120 waiting at 12 req/s) outgrows the single replica: the queue-based count wins.
    ...vllmHistory(
      [
        {
          namespace: "nlp",
          pod: "llm-0",
          model: "llama",
          requestsPerSecond: (t) => (t >= end - HOUR_MS ? 12 : 30),
          waiting: (t) => (t >= end - HOUR_MS ? 120 : 0),
          tokensPerSecond: () => 600,
        },
      ],
      end - 4 * HOUR_MS,
      end,
    ),
  ]);
  const today = new Date(Math.floor(now / DAY_MS) * DAY_MS);
  const day = (offset: number) => new Date(today.getTime() - offset * DAY_MS).toISOString().slice(0, 10);
  ce = await startCostExplorerDouble({
    lines: [1, 2, 3].map((d) => ({
      day: day(d),
      service: "Amazon Elastic Compute Cloud - Compute",
      tags: { team: "nlp", "workload-type": "inference" },
      amount: 100 * d,
    })),
    pageSize: 2,
    throttleFirst: 1,
  });
  process.env.AWS_ACCESS_KEY_ID = "AKIDTEST";
  process.env.AWS_SECRET_ACCESS_KEY = "secret";
  await getPrisma().setting.create({
    data: {
      key: "costs.source",
      value: {
        sources: ["prometheus", "aws-cost-explorer"],
        prometheusUrl: prom.url,
        awsEndpoint: ce.endpoint,
        modelServer: "vllm",
      },
    },
  });
  // Both sources are fetched under the URL policy: their host:port must be on the admin's list.
  await getPrisma().setting.create({
    data: { key: URL_ALLOW_LIST_KEY, value: { entries: [new URL(prom.url).host, new URL(ce.endpoint).host] } },
  });
}, 90_000);

afterAll(async () => {
  clearCostExplorerMemo();
  await prom?.stop();
  await ce?.stop();
  await disconnectPrisma();
  await drop();
});

describe("usage.ingest from Prometheus and Cost Explorer", () => {
  it("stores hourly rollups, daily billed costs and a successful run per source", async () => {
    const db = getPrisma();
    const results = await ingestUsage(db, { now });
    expect(results.map((r) => [r.source, r.status])).toEqual([
      ["prometheus", "succeeded"],
      ["aws-cost-explorer", "succeeded"],
    ]);
    const rows = await db.gpuUsageHourly.findMany({ where: { source: "prometheus" }, orderBy: { hour: "asc" } });
    expect(rows.map((r) => r.hour.getTime())).toEqual([4, 3, 2, 1].map((h) => end - h * HOUR_MS));
    expect(rows.every((r) => r.team === "nlp" && Math.abs(r.utilizationAvg - 40) < 1e-9)).toBe(true);
    expect(await db.gpuUsageDaily.count({ where: { source: "prometheus" } })).toBeGreaterThan(0);
    const billed = await db.costDaily.aggregate({
      _sum: { amountUsd: true },
      where: { source: "aws-cost-explorer", workloadType: "*" },
    });
    expect(billed._sum.amountUsd).toBeCloseTo(600, 6);
    expect(ce.throttled).toBe(1);
    const status = await ingestionStatus(db, now);
    expect(status.map((s) => [s.source, s.stale])).toEqual([
      ["prometheus", false],
      ["aws-cost-explorer", false],
    ]);
  });

  it("stores the model server's hourly load and serves the reference's metrics from it on /metrics", async () => {
    const db = getPrisma();
    const load = await db.inferenceLoadHourly.findMany({ where: { source: "prometheus" }, orderBy: { hour: "asc" } });
    expect(load.map((r) => [r.hour.getTime(), r.team, r.nodePool, r.model, r.replicas])).toEqual(
      [4, 3, 2, 1].map((h) => [end - h * HOUR_MS, "nlp", "inference-a10g", "llama", 1]),
    );
    const { costMetricsText } = await import("@/lib/costs/rollups/cost-metrics.server");
    const text = await costMetricsText(now, db);
    const value = (re: RegExp) => Number(text.match(re)?.[1]);
    expect(
      value(/^ml_model_throughput_requests_per_second\{model_name="llama",model_version="unknown"\} (\S+)$/m),
    ).toBeCloseTo(12, 0);
    expect(value(/^ml_batch_queue_depth\{model_name="llama"\} (\S+)$/m)).toBe(120);
    expect(value(/^ml_estimated_wait_time_seconds\{model_name="llama"\} (\S+)$/m)).toBeCloseTo(10, 0);
    // 120 waiting ÷ 30 req/s (the busiest hour's throughput of one replica) = 4 replicas; utilization alone says 1.
    expect(
      value(/^ml_scaling_recommended_replicas\{team="nlp",node_pool="inference-a10g",replicas_unit="pods"\} (\S+)$/m),
    ).toBe(4);
  });

  it("prices a million generated tokens per model server and day from vLLM's token counter, for the team page", async () => {
    const db = getPrisma();
    const { teamUnitEconomics } = await import("@/lib/costs/rollups/cost-metrics.server");
    const rows = await teamUnitEconomics(db, "nlp", now);
    const hourly = await db.gpuUsageHourly.findMany({ where: { source: "prometheus", team: "nlp" } });
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const dayCost = hourly
        .filter((h) => h.hour.toISOString().slice(0, 10) === r.day)
        .reduce((s, h) => s + h.costUsd, 0);
      const dayHours = new Set(
        hourly.filter((h) => h.hour.toISOString().slice(0, 10) === r.day).map((h) => h.hour.getTime()),
      ).size;
      expect(r.costUsd).toBeCloseTo(dayCost, 6);
      // 600 tokens a second, every hour of the day's data, within increase()'s extrapolation.
      expect(r.generatedTokens! / (dayHours * 3600 * 600)).toBeGreaterThan(0.98);
      expect(r.generatedTokens! / (dayHours * 3600 * 600)).toBeLessThan(1.02);
      expect(r.costPerMillionTokensUsd).toBeCloseTo((dayCost / r.generatedTokens!) * 1e6, 9);
      expect(r.tokenCoverage).toBeCloseTo(1, 9);
    }
  });

  it("shows the billed amount next to the computed cost", async () => {
    const { costSummary } = await import("@/lib/costs/rollups/cost-queries.server");
    const s = await costSummary(getPrisma(), { days: 7, groupBy: "team", teams: null, now });
    expect(s.billed?.totalUsd).toBeCloseTo(600, 6);
    expect(s.source).toBe("prometheus");
  });

  it("re-runs without duplicating rows", async () => {
    const db = getPrisma();
    const before = await db.gpuUsageHourly.count();
    const billedBefore = await db.costDaily.count();
    const loadBefore = await db.inferenceLoadHourly.count();
    clearCostExplorerMemo();
    await ingestUsage(db, { now: now + 60_000 });
    expect(await db.gpuUsageHourly.count()).toBe(before);
    expect(await db.costDaily.count()).toBe(billedBefore);
    expect(await db.inferenceLoadHourly.count()).toBe(loadBefore);
  });
});
