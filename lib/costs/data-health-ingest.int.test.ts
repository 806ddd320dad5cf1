// The ingestion job passes Settings' team key to the Prometheus source, prices a type the table lacks as its pool's,
// and stores the run's data health for the costs page and Settings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { startPrometheus, type RunningPrometheus } from "@/test-support/prometheus/start-prometheus";
import { dcgmHistory } from "@/test-support/prometheus/dcgm-history";
import { ingestUsage, latestDataHealth } from "./ingest-usage.server";
import { gpuHourlyRate } from "./gpu-rates";
import { HOUR_MS } from "./schema";

const now = Date.now();
const end = Math.floor(now / HOUR_MS) * HOUR_MS;
let prom: RunningPrometheus;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("costs_health"));
  prom = await startPrometheus(
    dcgmHistory(
      [
        { node: "n1", instanceType: "g5.xlarge", capacityType: "on-demand", nodePool: "inference-a10g" },
        // A type the price table does not list, in the same pool.
        { node: "n2", instanceType: "g5.4xlarge-preview", capacityType: "on-demand", nodePool: "inference-a10g" },
      ],
      [
        { node: "n1", gpu: "0", pod: { namespace: "ns-a", name: "llm-0", team: "nlp", workloadType: "inference" }, utilization: () => 40, memoryUsedMiB: 8000 },
        { node: "n2", gpu: "0", pod: { namespace: "ns-a", name: "llm-1", team: "nlp", workloadType: "inference" }, utilization: () => 40, memoryUsedMiB: 8000 },
      ],
      end - 3 * HOUR_MS,
      end,
      60_000,
      { teamLabelColumn: "label_team_name" },
    ),
  );
  await getPrisma().setting.create({ data: { key: "costs.source", value: { sources: ["prometheus"], prometheusUrl: prom.url, prometheusAllow: ["127.0.0.1"], teamTagKey: "teamName" } } });
}, 90_000);

afterAll(async () => {
  await prom?.stop();
  await disconnectPrisma();
  await drop();
});

describe("data health of an ingestion", () => {
  it("reads the team from Settings' key, prices the unlisted type as its pool's, and stores the health", async () => {
    const db = getPrisma();
    await ingestUsage(db, { now });
    const rows = await db.gpuUsageHourly.findMany({ where: { source: "prometheus" } });
    expect(new Set(rows.map((r) => r.team))).toEqual(new Set(["nlp"]));
    const gpuHours = rows.reduce((s, r) => s + r.gpuHoursAllocated, 0);
    expect(gpuHours).toBeCloseTo(6, 6);
    expect(rows.reduce((s, r) => s + r.costUsd, 0)).toBeCloseTo(6 * gpuHourlyRate("aws", "g5.xlarge", "on_demand"), 6);
    const health = await latestDataHealth(db, "prometheus");
    expect(health).toMatchObject({ teamGpuHours: 6, poolGpuHours: 6, pricedGpuHours: 3, estimatedPriceGpuHours: 3, unpricedGpuHours: 0 });
    expect(health?.issues.map((i) => [i.code, i.cause])).toEqual([["price-estimated", "no list price for g5.4xlarge-preview (priced as g5.xlarge): an estimate"]]);
  });
});
