// Live prices per cloud: the worker's refresh reads the cloud's own price API (here local doubles of Azure's and
// GCP's), under the URL allow-list, caches the region's prices in Postgres and records each refresh for Settings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import {
  startRetailPricesDouble,
  type RetailPricesDouble,
} from "@/test-support/azure-retail-prices-double/retail-prices-double";
import { startCatalogDouble, type CatalogDouble } from "@/test-support/gcp-billing-catalog-double/catalog-double";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { addToUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { lookupPrice } from "./lookup-price";
import { liveGpuRate } from "./live-prices";
import { livePricesFor, priceSourceStates } from "./live-prices.server";
import { costSettingsSchema } from "@/lib/costs/schema";
import { DAY_MS, HOUR_MS } from "@/lib/costs/schema";

let drop: () => Promise<void>;
let azure: RetailPricesDouble;
let gcp: CatalogDouble;
const now = Date.UTC(2026, 11, 7, 10);

beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("costs_live_prices"));
  azure = await startRetailPricesDouble({
    items: [
      { armSkuName: "Standard_ND96isr_H100_v5", armRegionName: "westus2", retailPrice: 90.5 },
      { armSkuName: "Standard_NC4as_T4_v3", armRegionName: "westus2", retailPrice: 0.6 },
    ],
    pageSize: 1,
    throttleFirst: 1,
  });
  gcp = await startCatalogDouble({
    parts: [
      { description: "G2 Instance Core running in Virginia", region: "us-east4", usd: 0.025, unit: "h" },
      { description: "G2 Instance Ram running in Virginia", region: "us-east4", usd: 0.003, unit: "GiBy.h" },
      { description: "Nvidia L4 GPU running in Virginia", region: "us-east4", usd: 0.6, unit: "h" },
    ],
  });
});
afterAll(async () => {
  await Promise.all([azure?.stop(), gcp?.stop()]);
  await disconnectPrisma();
  await drop();
});

describe("live prices from each cloud's price API", () => {
  it("shows the refusal, then prices a westus2 Azure cluster from the Retail Prices API once the allow-list has it", async () => {
    const db = getPrisma();
    const settings = costSettingsSchema.parse({
      cloud: "azure",
      clusterRegion: "westus2",
      livePrices: true,
      priceApiEndpoint: azure.endpoint,
    });
    const refused = await livePricesFor(db, settings, { now, instanceTypes: [] });
    expect(refused.live.size).toBe(0);
    expect(refused.refreshError).toMatch(/allow-list/i);
    expect(azure.requests).toEqual([]);

    await addToUrlAllowList(db, [new URL(azure.endpoint).host]);
    const { live, refreshError } = await livePricesFor(db, settings, { now: now + HOUR_MS, instanceTypes: [] });
    expect(refreshError).toBeUndefined();
    expect([...live.values()].map((p) => [p.instanceType, p.onDemandHourly])).toEqual([
      ["Standard_NC4as_T4_v3", 0.6],
      ["Standard_ND96isr_H100_v5", 90.5],
    ]);
    // Per GPU, over the table's GPU count (the Retail Prices API does not say how many GPUs a size has).
    expect(liveGpuRate("azure", live)("Standard_ND96isr_H100_v5", "on_demand")).toBeCloseTo(90.5 / 8, 9);
    expect(azure.throttled).toBe(1);

    const states = await priceSourceStates(db, settings);
    expect(states.find((s) => s.cloud === "azure")).toMatchObject({
      api: "Azure Retail Prices API",
      region: "westus2",
      enabled: true,
      priceCount: 2,
      error: null,
      refreshedAt: new Date(now + HOUR_MS).toISOString(),
    });

    // Within a day the cache answers; the API is not asked again.
    const asked = azure.requests.length;
    await livePricesFor(db, settings, { now: now + HOUR_MS + DAY_MS - 1, instanceTypes: [] });
    expect(azure.requests.length).toBe(asked);
  });

  it("prices a us-east4 GCP cluster's machine types from the Cloud Billing Catalog's parts", async () => {
    const db = getPrisma();
    await addToUrlAllowList(db, [new URL(gcp.endpoint).host]);
    const settings = costSettingsSchema.parse({
      cloud: "gcp",
      clusterRegion: "us-east4",
      livePrices: true,
      priceApiEndpoint: gcp.endpoint,
    });
    const { live } = await livePricesFor(db, settings, { now, instanceTypes: [] });
    const g2 = lookupPrice("gcp", "g2-standard-8")!;
    expect(live.get("g2-standard-8")?.onDemandHourly).toBeCloseTo(0.025 * g2.vcpu + 0.003 * g2.memoryGib + 0.6, 4);
    expect(live.has("a3-highgpu-8g")).toBe(false); // no A3 parts in the catalog: the table's price stays
    const state = (await priceSourceStates(db, settings)).find((s) => s.cloud === "gcp");
    expect(state).toMatchObject({ api: "Cloud Billing Catalog", region: "us-east4", enabled: true, error: null });
    expect(state?.priceCount).toBe(live.size);
  });
});
