// The Azure Retail Prices client against a local endpoint answering in the API's documented shape, under the URL policy.
import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import {
  startRetailPricesDouble,
  type RetailPricesDouble,
} from "@/test-support/azure-retail-prices-double/retail-prices-double";
import { fetchAzurePrices } from "./azure-retail-prices.server";

let double: RetailPricesDouble;
let allow: string[];

beforeAll(async () => {
  double = await startRetailPricesDouble({
    items: [
      { armSkuName: "Standard_ND96isr_H100_v5", armRegionName: "westus2", retailPrice: 98.32 },
      { armSkuName: "Standard_ND96isr_H100_v5", armRegionName: "eastus", retailPrice: 98.32 },
      // The same size in other markets and products the parse must leave out.
      {
        armSkuName: "Standard_ND96isr_H100_v5",
        armRegionName: "westus2",
        retailPrice: 39.33,
        meterName: "ND96isr H100 v5 Spot",
        skuName: "ND96isr H100 v5 Spot",
      },
      {
        armSkuName: "Standard_ND96isr_H100_v5",
        armRegionName: "westus2",
        retailPrice: 120,
        productName: "Virtual Machines NDsr H100 v5 Series Windows",
      },
      {
        armSkuName: "Standard_NC24ads_A100_v4",
        armRegionName: "westus2",
        retailPrice: 1.47,
        meterName: "NC24ads A100 v4 Low Priority",
        skuName: "NC24ads A100 v4 Low Priority",
      },
      { armSkuName: "Standard_NC24ads_A100_v4", armRegionName: "westus2", retailPrice: 3.673 },
    ],
    pageSize: 2,
    throttleFirst: 2,
  });
  allow = [new URL(double.endpoint).host];
});
afterAll(async () => double?.stop());

describe("Azure Retail Prices client", () => {
  it("reads the region's Linux pay-as-you-go price of each size across NextPageLink pages and 429s", async () => {
    const { prices, skipped, pages } = await fetchAzurePrices(
      { region: "westus2", endpoint: double.endpoint, policy: { allow }, baseDelayMs: 1 },
      ["Standard_ND96isr_H100_v5", "Standard_NC24ads_A100_v4", "Standard_X_nothing"],
    );
    expect(prices).toEqual([
      { instanceType: "Standard_NC24ads_A100_v4", region: "westus2", onDemandHourly: 3.673, gpuCount: null },
      { instanceType: "Standard_ND96isr_H100_v5", region: "westus2", onDemandHourly: 98.32, gpuCount: null },
    ]);
    expect(skipped).toEqual([]);
    expect(double.throttled).toBe(2); // retried after Retry-After, not failed
    expect(pages).toBe(3); // five westus2 items at two a page
    const [request] = double.requests;
    assert(request, "the double was called");
    const first = new URL(request, "http://x");
    expect(first.searchParams.get("$filter")).toContain("armRegionName eq 'westus2'");
    expect(double.requests.filter((r) => r.includes("%24skip=")).length).toBe(2);
  });

  it("gives up with HTTP 429 named once the attempts are spent", async () => {
    const busy = await startRetailPricesDouble({ items: [], throttleFirst: 10 });
    try {
      await expect(
        fetchAzurePrices(
          {
            region: "westus2",
            endpoint: busy.endpoint,
            policy: { allow: [new URL(busy.endpoint).host] },
            maxAttempts: 3,
            baseDelayMs: 1,
          },
          ["Standard_NC4as_T4_v3"],
        ),
      ).rejects.toThrow(/HTTP 429/);
      expect(busy.throttled).toBe(3);
    } finally {
      await busy.stop();
    }
  });

  it("fetches nothing the URL allow-list does not list", async () => {
    const before = double.requests.length;
    await expect(
      fetchAzurePrices({ region: "westus2", endpoint: double.endpoint, policy: { allow: [] } }, [
        "Standard_NC4as_T4_v3",
      ]),
    ).rejects.toThrow(/allow-list/i);
    expect(double.requests.length).toBe(before);
  });
});
