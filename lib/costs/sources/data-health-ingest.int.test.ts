// The ingestion job passes Settings' team key to the Prometheus source, prices a type the table lacks as its pool's,
// and stores the run's data health for the costs page and Settings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { startPrometheus, type RunningPrometheus } from "@/test-support/prometheus/start-prometheus";
import { dcgmHistory } from "@/test-support/prometheus/dcgm-history";
import { ingestUsage, latestDataHealth } from "./ingest-usage.server";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import { fetchAwsPrices } from "@/lib/pricing/aws-price-list.server";
import { startPriceListDouble, type PriceListDouble } from "@/test-support/aws-price-list-double/price-list-double";
import { HOUR_MS } from "@/lib/costs/schema";
import { ingestedNodeRegion } from "@/lib/costs/rollups/cost-queries.server";
import { URL_ALLOW_LIST_KEY } from "@/lib/net/schema";

const now = Date.now();
const end = Math.floor(now / HOUR_MS) * HOUR_MS;
let prom: RunningPrometheus;
let drop: () => Promise<void>;
let priceApi: PriceListDouble;

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
        {
          node: "n1",
          gpu: "0",
          pod: { namespace: "ns-a", name: "llm-0", team: "nlp", workloadType: "inference" },
          utilization: () => 40,
          memoryUsedMiB: 8000,
        },
        {
          node: "n2",
          gpu: "0",
          pod: { namespace: "ns-a", name: "llm-1", team: "nlp", workloadType: "inference" },
          utilization: () => 40,
          memoryUsedMiB: 8000,
        },
      ],
      end - 3 * HOUR_MS,
      end,
      60_000,
      { teamLabelColumn: "label_team_name" },
    ),
  );
  priceApi = await startPriceListDouble({
    products: [
      { instanceType: "g5.xlarge", regionCode: "us-west-2", onDemandHourly: 1.2, gpu: 1 },
      { instanceType: "g5.xlarge", regionCode: "us-east-1", onDemandHourly: 1.006, gpu: 1 },
    ],
    throttleFirst: 1,
  });
  await getPrisma().setting.create({
    data: { key: "costs.source", value: { sources: ["prometheus"], prometheusUrl: prom.url, teamTagKey: "teamName" } },
  });
  await getPrisma().setting.create({ data: { key: URL_ALLOW_LIST_KEY, value: { entries: [new URL(prom.url).host] } } });
}, 90_000);

afterAll(async () => {
  await priceApi?.stop();
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
    expect(health).toMatchObject({
      teamGpuHours: 6,
      poolGpuHours: 6,
      pricedGpuHours: 3,
      estimatedPriceGpuHours: 3,
      unpricedGpuHours: 0,
    });
    expect(health?.issues.map((i) => [i.code, i.cause])).toEqual([
      ["price-estimated", "no list price for g5.4xlarge-preview (priced as g5.xlarge): an estimate"],
    ]);
  });

  /** Ingests the whole history again under changed settings. */
  async function reingest(
    settings: Record<string, unknown>,
    fetchPrices?: Parameters<typeof ingestUsage>[1]["fetchPrices"],
  ) {
    const db = getPrisma();
    await db.setting.update({
      where: { key: "costs.source" },
      data: { value: { sources: ["prometheus"], prometheusUrl: prom.url, teamTagKey: "teamName", ...settings } },
    });
    await db.ingestionRun.deleteMany({});
    await db.gpuUsageHourly.deleteMany({});
    await ingestUsage(db, { now, fetchPrices });
    const rows = await db.gpuUsageHourly.findMany({ where: { source: "prometheus" } });
    return { cost: rows.reduce((s, r) => s + r.costUsd, 0), health: (await latestDataHealth(db, "prometheus"))! };
  }

  it("shows that a us-west-2 cluster is priced from the us-east-1 table when the live refresh fails", async () => {
    const { cost, health } = await reingest({ clusterRegion: "us-west-2", livePrices: true }, async () => {
      throw new Error("connect ETIMEDOUT api.pricing.us-east-1.amazonaws.com");
    });
    expect(cost).toBeCloseTo(6 * gpuHourlyRate("aws", "g5.xlarge", "on_demand"), 6);
    expect(health.prices).toMatchObject({
      kind: "table",
      region: "us-east-1",
      clusterRegion: "us-west-2",
      refreshError: "connect ETIMEDOUT api.pricing.us-east-1.amazonaws.com",
    });
    const mismatch = health.issues.find((i) => i.code === "price-region-mismatch");
    expect(mismatch?.gpuHours).toBeCloseTo(6, 6);
    expect(mismatch?.cause).toMatch(
      /^the cluster runs in us-west-2 but these GPU-hours are priced from the offline table of us-east-1 \(as of [\d-]+\); the live price refresh failed: connect ETIMEDOUT/,
    );
  });

  it("without a region in Settings, reads it from the nodes' region label and shows the table's other region", async () => {
    const regional = await startPrometheus(
      dcgmHistory(
        [
          {
            node: "n1",
            instanceType: "g5.xlarge",
            capacityType: "on-demand",
            nodePool: "inference-a10g",
            region: "us-west-2",
          },
        ],
        [
          {
            node: "n1",
            gpu: "0",
            pod: { namespace: "ns-a", name: "llm-0", team: "nlp", workloadType: "inference" },
            utilization: () => 40,
            memoryUsedMiB: 8000,
          },
        ],
        end - 3 * HOUR_MS,
        end,
        60_000,
        { teamLabelColumn: "label_team_name" },
      ),
    );
    try {
      await getPrisma().setting.update({
        where: { key: URL_ALLOW_LIST_KEY },
        data: { value: { entries: [new URL(prom.url).host, new URL(regional.url).host] } },
      });
      const { health } = await reingest({ prometheusUrl: regional.url });
      expect(health.prices).toMatchObject({ kind: "table", region: "us-east-1", clusterRegion: "us-west-2" });
      expect(health.issues.find((i) => i.code === "price-region-mismatch")?.gpuHours).toBeCloseTo(3, 6);
    } finally {
      await regional.stop();
    }
  });

  it("prices from the AWS Price List API for the cluster's region, cached in Postgres with its date", async () => {
    const fetchPrices = (region: string, types: readonly string[]) =>
      fetchAwsPrices(
        { region, endpoint: priceApi.endpoint, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" } },
        types,
      );
    const { cost, health } = await reingest({ clusterRegion: "us-west-2", livePrices: true }, fetchPrices);
    // Both GPUs at us-west-2's live g5.xlarge price: the unlisted type is priced as its pool's g5.xlarge.
    expect(cost).toBeCloseTo(6 * 1.2, 6);
    expect(health.prices).toMatchObject({ kind: "live", region: "us-west-2", liveAsOf: new Date(now).toISOString() });
    expect(health.issues.map((i) => i.code)).toEqual(["price-estimated"]);
    const cached = await getPrisma().gpuPrice.findMany();
    expect(cached.map((p) => [p.region, p.instanceType, p.onDemandHourly, p.fetchedAt.getTime()])).toEqual([
      ["us-west-2", "g5.xlarge", 1.2, now],
    ]);
    expect(priceApi.throttled).toBe(1);
    // Within a day of the refresh the cache is fresh: the API is not asked again.
    const asked = priceApi.requests.length;
    await reingest({ clusterRegion: "us-west-2", livePrices: true }, fetchPrices);
    expect(priceApi.requests.length).toBe(asked);
  });
  it("with live prices on and no region in Settings, fetches and labels the region the nodes name", async () => {
    const regional = await startPrometheus(
      dcgmHistory(
        [
          {
            node: "n1",
            instanceType: "g5.xlarge",
            capacityType: "on-demand",
            nodePool: "inference-a10g",
            region: "us-west-2",
          },
        ],
        [
          {
            node: "n1",
            gpu: "0",
            pod: { namespace: "ns-a", name: "llm-0", team: "nlp", workloadType: "inference" },
            utilization: () => 40,
            memoryUsedMiB: 8000,
          },
        ],
        end - 3 * HOUR_MS,
        end,
        60_000,
        { teamLabelColumn: "label_team_name" },
      ),
    );
    try {
      const db = getPrisma();
      await db.setting.update({
        where: { key: URL_ALLOW_LIST_KEY },
        data: { value: { entries: [new URL(prom.url).host, new URL(regional.url).host] } },
      });
      // A fresh us-east-1 cache must not stand in for the cluster's region.
      await db.gpuPrice.deleteMany({});
      await db.priceRefresh.deleteMany({});
      const asked: string[] = [];
      const fetchPrices = (region: string, types: readonly string[]) => {
        asked.push(region);
        return fetchAwsPrices(
          { region, endpoint: priceApi.endpoint, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" } },
          types,
        );
      };
      const { cost, health } = await reingest({ prometheusUrl: regional.url, livePrices: true }, fetchPrices);
      expect(asked).toEqual(["us-west-2"]);
      expect(cost).toBeCloseTo(3 * 1.2, 6);
      expect(health.prices).toMatchObject({ kind: "live", region: "us-west-2", clusterRegion: "us-west-2" });
      expect(health.issues.map((i) => i.code)).toEqual([]);
      // The costs page prices at the region stored with the ingestion's results, not re-read from the run's health
      // on each request: a health unreadable since still gives it.
      expect(await ingestedNodeRegion(db, "prometheus", now)).toBe("us-west-2");
      await db.ingestionRun.updateMany({ where: { source: "prometheus" }, data: { health: {} } });
      expect(await latestDataHealth(db, "prometheus")).toBeNull();
      expect(await ingestedNodeRegion(db, "prometheus", now)).toBe("us-west-2");
    } finally {
      await regional.stop();
    }
  });
});
