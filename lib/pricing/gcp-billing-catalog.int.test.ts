// The Cloud Billing Catalog client (@google-cloud/billing over its REST transport) against a local endpoint answering
// ListSkus in the documented shape, every request through the URL policy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCatalogDouble, type CatalogDouble } from "@/test-support/gcp-billing-catalog-double/catalog-double";
import { lookupPrice } from "./lookup-price";
import { fetchGcpPrices } from "./gcp-billing-catalog.server";

let double: CatalogDouble;
const a3 = lookupPrice("gcp", "a3-highgpu-8g")!;
const g2 = lookupPrice("gcp", "g2-standard-8")!;

beforeAll(async () => {
  double = await startCatalogDouble({
    parts: [
      { description: "A3 Instance Core running in Virginia", region: "us-east4", usd: 0.0295, unit: "h" },
      { description: "A3 Instance Ram running in Virginia", region: "us-east4", usd: 0.00396, unit: "GiBy.h" },
      { description: "Nvidia H100 80GB GPU running in Virginia", region: "us-east4", usd: 9.7, unit: "h" },
      // Other markets and regions the parse must leave out.
      {
        description: "Nvidia H100 80GB GPU attached to Spot Preemptible VMs running in Virginia",
        region: "us-east4",
        usd: 2.5,
        unit: "h",
        usageType: "Preemptible",
      },
      {
        description: "Commitment v1: Nvidia H100 80GB GPU running in Virginia",
        region: "us-east4",
        usd: 6.1,
        unit: "h",
        usageType: "Commit1Yr",
      },
      { description: "Nvidia H100 80GB GPU running in Americas", region: "us-central1", usd: 9.0, unit: "h" },
      { description: "G2 Instance Core running in Virginia", region: "us-east4", usd: 0.0245, unit: "h" },
      { description: "G2 Instance Ram running in Virginia", region: "us-east4", usd: 0.00287, unit: "GiBy.h" },
      { description: "Nvidia L4 GPU running in Virginia", region: "us-east4", usd: 0.56, unit: "h" },
    ],
    pageSize: 4,
    throttleFirst: 2,
  });
});
afterAll(async () => double?.stop());

describe("Cloud Billing Catalog client", () => {
  it("prices machine types from their parts' SKUs in the region, across pageToken pages and RESOURCE_EXHAUSTED", async () => {
    const { prices, skipped, pages } = await fetchGcpPrices(
      {
        region: "us-east4",
        endpoint: double.endpoint,
        apiKey: "test-key",
        policy: { allow: [new URL(double.endpoint).host] },
        baseDelayMs: 1,
      },
      [a3, g2, lookupPrice("gcp", "a2-highgpu-1g")!],
    );
    const expectA3 = Math.round((0.0295 * a3.vcpu + 0.00396 * a3.memoryGib + 9.7 * 8) * 1e4) / 1e4;
    const expectG2 = Math.round((0.0245 * g2.vcpu + 0.00287 * g2.memoryGib + 0.56) * 1e4) / 1e4;
    expect(prices).toEqual([
      { instanceType: "a3-highgpu-8g", region: "us-east4", onDemandHourly: expectA3, gpuCount: 8 },
      { instanceType: "g2-standard-8", region: "us-east4", onDemandHourly: expectG2, gpuCount: 1 },
    ]);
    expect(skipped).toEqual(["a2-highgpu-1g: no core, RAM, GPU SKU in us-east4"]);
    expect(double.throttled).toBe(2);
    expect(pages).toBe(3); // nine SKUs at four a page
    const tokens = double.requests.map((r) => new URL(r, "http://x").searchParams.get("pageToken") ?? "");
    expect(tokens.slice(-3)).toEqual(["", "4", "8"]);
    expect(double.headers.every((h) => h["x-goog-api-key"] === "test-key")).toBe(true);
  });

  it("names RESOURCE_EXHAUSTED once the retries are spent", async () => {
    const busy = await startCatalogDouble({ parts: [], throttleFirst: 10 });
    try {
      await expect(
        fetchGcpPrices(
          {
            region: "us-east4",
            endpoint: busy.endpoint,
            policy: { allow: [new URL(busy.endpoint).host] },
            maxAttempts: 2,
            baseDelayMs: 1,
          },
          [g2],
        ),
      ).rejects.toThrow(/RESOURCE_EXHAUSTED/);
      expect(busy.throttled).toBe(2);
    } finally {
      await busy.stop();
    }
  });

  it("fetches nothing the URL allow-list does not list", async () => {
    const before = double.requests.length;
    await expect(
      fetchGcpPrices({ region: "us-east4", endpoint: double.endpoint, policy: { allow: [] } }, [g2]),
    ).rejects.toThrow(/allow-list/i);
    expect(double.requests.length).toBe(before);
  });
});
