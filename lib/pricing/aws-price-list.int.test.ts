// The AWS Price List client against a local endpoint answering GetProducts in the documented shape.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPriceListDouble, type PriceListDouble } from "@/test-support/aws-price-list-double/price-list-double";
import { fetchAwsPrices } from "./aws-price-list.server";

let double: PriceListDouble;
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };

beforeAll(async () => {
  double = await startPriceListDouble({
    products: [
      { instanceType: "p5.48xlarge", regionCode: "us-west-2", onDemandHourly: 55.04, gpu: 8 },
      { instanceType: "p5.48xlarge", regionCode: "us-east-1", onDemandHourly: 55.04, gpu: 8 },
      // Same type, other variants the filters must exclude: Windows, and a dedicated host.
      {
        instanceType: "p5.48xlarge",
        regionCode: "us-west-2",
        onDemandHourly: 70,
        gpu: 8,
        attributes: { operatingSystem: "Windows" },
      },
      {
        instanceType: "p5.48xlarge",
        regionCode: "us-west-2",
        onDemandHourly: 90,
        gpu: 8,
        attributes: { tenancy: "Dedicated" },
      },
      { instanceType: "g5.xlarge", regionCode: "us-west-2", onDemandHourly: 1.006, gpu: 1 },
      // Two SKUs of one type that the filters do not tell apart (license models): two pages at one product a page.
      {
        instanceType: "g6.xlarge",
        regionCode: "us-west-2",
        onDemandHourly: 0.8048,
        gpu: 1,
        attributes: { licenseModel: "No License required" },
      },
      {
        instanceType: "g6.xlarge",
        regionCode: "us-west-2",
        onDemandHourly: 0.8048,
        gpu: 1,
        attributes: { licenseModel: "Bring your own license" },
      },
    ],
    pageSize: 1,
    throttleFirst: 2,
  });
});
afterAll(async () => double?.stop());

describe("AWS Price List client", () => {
  it("reads the region's Linux shared on-demand price of each type, across pages and throttling", async () => {
    const { prices, skipped, pages } = await fetchAwsPrices(
      { region: "us-west-2", endpoint: double.endpoint, credentials, maxAttempts: 5 },
      ["p5.48xlarge", "g5.xlarge", "x9.nothing"],
    );
    expect(prices).toEqual([
      { instanceType: "g5.xlarge", region: "us-west-2", onDemandHourly: 1.006, gpuCount: 1 },
      { instanceType: "p5.48xlarge", region: "us-west-2", onDemandHourly: 55.04, gpuCount: 8 },
    ]);
    expect(skipped).toEqual([]);
    expect(double.throttled).toBe(2); // retried, not failed
    expect(pages).toBe(3); // one page each; the unknown type answers an empty page
    expect(
      double.requests.some(
        (r) =>
          r.NextToken === undefined &&
          (r.Filters as { Field: string; Value: string }[]).some(
            (f) => f.Field === "regionCode" && f.Value === "us-west-2",
          ),
      ),
    ).toBe(true);
  });

  it("follows NextToken when a type has more products than a page holds", async () => {
    const before = double.requests.length;
    const { prices, pages } = await fetchAwsPrices({ region: "us-west-2", endpoint: double.endpoint, credentials }, [
      "g6.xlarge",
    ]);
    expect(prices).toEqual([{ instanceType: "g6.xlarge", region: "us-west-2", onDemandHourly: 0.8048, gpuCount: 1 }]);
    expect(pages).toBe(2);
    const mine = double.requests.slice(before);
    expect(mine.map((r) => r.NextToken === undefined)).toEqual([true, false]);
  });
});
