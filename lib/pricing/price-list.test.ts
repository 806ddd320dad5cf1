import { describe, expect, it } from "vitest";
import { lookupPrice, priceTable } from "./lookup-price";
import { gpuHourlyPrice, priceOf, type PriceList } from "./price-list";

const table = lookupPrice("aws", "p5.48xlarge")!;
const list: PriceList = {
  cloud: "aws",
  region: "us-west-2",
  prices: [{ instanceType: "p5.48xlarge", onDemandHourly: 50, gpuCount: 8, fetchedAt: "2026-12-01T03:00:00.000Z" }],
};

describe("priceOf: the one price lookup", () => {
  it("uses the live price of the cluster's region, labelled with its region and date", () => {
    const p = priceOf(list, "aws", "us-west-2", "p5.48xlarge")!;
    expect(p.onDemandHourly).toBe(50);
    expect(p.origin).toEqual({
      kind: "live",
      region: "us-west-2",
      asOf: "2026-12-01",
      label: "live price API, us-west-2, 2026-12-01",
      regionMismatch: null,
    });
    // Spot follows the live on-demand price from the table's spot/on-demand ratio.
    expect(p.spotHourly).toBeCloseTo(table.spotHourly! * (50 / table.onDemandHourly), 9);
    expect(gpuHourlyPrice(p, "on_demand")).toBe(50 / 8);
  });

  it("falls back to the offline table for another region, and says the region differs", () => {
    const p = priceOf(list, "aws", "eu-west-1", "p5.48xlarge")!;
    expect(p.onDemandHourly).toBe(table.onDemandHourly);
    expect(p.origin.kind).toBe("table");
    expect(p.origin.label).toBe(`offline table, ${priceTable("aws").region}, ${table.asOf}`);
    expect(p.origin.regionMismatch?.clusterRegion).toBe("eu-west-1");
  });

  it("uses the table, without a mismatch, for a type the list lacks in the table's own region", () => {
    const p = priceOf(list, "aws", "us-east-1", "g5.xlarge")!;
    expect(p.origin.kind).toBe("table");
    expect(p.origin.regionMismatch).toBeNull();
    expect(priceOf(null, "aws", "us-east-1", "no-such-type")).toBeUndefined();
  });

  it("ignores a list of another cloud", () => {
    expect(priceOf({ ...list, cloud: "gcp" }, "aws", "us-west-2", "p5.48xlarge")!.origin.kind).toBe("table");
  });
});
