// Issue 13 benchmark: ingestion of 14 days × 56 GPUs at 60 s from a real Prometheus (target 60 s). The history
// (DCGM and kube-state-metrics series, 7 Karpenter nodes of 8 GPUs) is generated node by node and streamed to
// promtool (no single string), backfilled with --max-block-duration=24h; then the portal's Prometheus source reads
// it and the hourly rollups are written, as the usage.ingest job does. Prints figures; asserts nothing.
// Run: npx tsx --conditions=react-server bench/costs-prometheus-ingest.ts   (PostgreSQL on 127.0.0.1:5432, /usr/bin/prometheus)
import { performance } from "node:perf_hooks";
import { createMigratedDatabase } from "@/test-support/test-database";
import { dcgmHistory, type PlantedGpu, type PlantedNode } from "@/test-support/prometheus/dcgm-history";
import { startPrometheus, type OpenMetricsSeries } from "@/test-support/prometheus/start-prometheus";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { URL_ALLOW_LIST_KEY } from "@/lib/net/schema";
import { ingestUsage } from "@/lib/costs/sources/ingest-usage.server";
import { DAY_MS, HOUR_MS } from "@/lib/costs/schema";

const DAYS = 14;
const NODES = 7;
const GPUS_PER_NODE = 8;
const end = Math.floor(Date.UTC(2026, 11, 7, 0) / HOUR_MS) * HOUR_MS;
const start = end - DAYS * DAY_MS;
const teams = ["nlp", "vision", "recsys", "search"];

function* fleetHistory(): Generator<OpenMetricsSeries> {
  for (let n = 0; n < NODES; n++) {
    const node: PlantedNode = {
      node: `ip-10-0-0-${n + 1}`,
      instanceType: "p4d.24xlarge",
      capacityType: n % 3 === 0 ? "spot" : "on-demand",
      nodePool: `pool-${n % 3}`,
    };
    const gpus: PlantedGpu[] = Array.from({ length: GPUS_PER_NODE }, (_, g) => {
      const team = teams[(n * GPUS_PER_NODE + g) % teams.length]!;
      // Daily swing, different per GPU, so the rollups have real percentiles to compute.
      return {
        node: node.node,
        gpu: String(g),
        pod: { namespace: team, name: `${team}-train-${n}-${g}`, team, workloadType: "training" },
        utilization: (t: number) => 30 + ((Math.floor(t / HOUR_MS) + g * 3) % 24) * 2.5,
        memoryUsedMiB: 20_000 + g * 1000,
      };
    })!;
    yield* dcgmHistory([node], gpus, start, end);
  }
}

async function main(): Promise<void> {
  const { drop } = await createMigratedDatabase("bench_prom_ingest");
  const t0 = performance.now();
  const prom = await startPrometheus(fleetHistory(), { maxBlockDuration: "24h" });
  const tBackfill = performance.now() - t0;
  console.log(`backfill done in ${(tBackfill / 1000).toFixed(1)} s`);
  try {
    const db = getPrisma();
    await db.setting.create({
      data: { key: "costs.source", value: { sources: ["prometheus"], prometheusUrl: prom.url } },
    });
    await db.setting.create({ data: { key: URL_ALLOW_LIST_KEY, value: { entries: [new URL(prom.url).host] } } });
    const t1 = performance.now();
    const results = await ingestUsage(db, { now: end + 5 * 60_000 });
    const tIngest = performance.now() - t1;
    const rows = await db.gpuUsageHourly.count({ where: { source: "prometheus" } });
    const gpuHours = await db.gpuUsageHourly.aggregate({
      _sum: { gpuHoursAllocated: true },
      where: { source: "prometheus" },
    });
    console.log(
      `fleet: ${NODES * GPUS_PER_NODE} GPUs on ${NODES} nodes, ${DAYS} days at 60 s (${(NODES * GPUS_PER_NODE * DAYS * 1440).toLocaleString("en-US")} samples per DCGM metric)`,
    );
    console.log(
      `backfill (streamed OpenMetrics, promtool --max-block-duration=24h, Prometheus ready): ${(tBackfill / 1000).toFixed(1)} s (test set-up, not the product)`,
    );
    console.log(
      `ingestion (usage.ingest from Prometheus: queries, join, pricing, upsert, daily rollups, recommendations): ${(tIngest / 1000).toFixed(1)} s; target 60 s`,
    );
    console.log(
      `result: ${results.map((r) => `${r.source} ${r.status}${r.error ? ` (${r.error})` : ""}`).join(", ")}; ${rows.toLocaleString("en-US")} hourly rows, ${(gpuHours._sum.gpuHoursAllocated ?? 0).toFixed(0)} GPU-hours (expected ${NODES * GPUS_PER_NODE * DAYS * 24})`,
    );
  } finally {
    await prom.stop();
    await disconnectPrisma();
    await drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
