import { describe, expect, it } from "vitest";
import { parsePriceList } from "./aws-price-list";

const doc = (instanceType: string, usd: string, unit = "Hrs", regionCode = "us-west-2") =>
  JSON.stringify({
    product: { attributes: { instanceType, regionCode, gpu: "8" } },
    terms: { OnDemand: { "A.B": { priceDimensions: { "A.B.C": { unit, pricePerUnit: { USD: usd } } } } } },
  });

describe("parsePriceList", () => {
  it("reads the hourly USD on-demand rate and the GPU count", () => {
    expect(parsePriceList([doc("p5.48xlarge", "55.0400000000")], "us-west-2")).toEqual({
      prices: [{ instanceType: "p5.48xlarge", region: "us-west-2", onDemandHourly: 55.04, gpuCount: 8 }],
      skipped: [],
    });
  });
  it("skips, and names, entries it cannot price instead of failing the refresh; ignores other regions", () => {
    const out = parsePriceList(
      [
        doc("a", "0.0000000000"),
        doc("b", "1", "Quantity"),
        "not json",
        JSON.stringify({ product: {} }),
        doc("c", "2", "Hrs", "eu-west-1"),
      ],
      "us-west-2",
    );
    expect(out.prices).toEqual([]);
    expect(out.skipped).toEqual([
      "a: no hourly USD on-demand rate",
      "b: no hourly USD on-demand rate",
      "a PriceList entry that is not JSON",
      "a PriceList entry without product attributes or terms (product.attributes)",
    ]);
  });
});
