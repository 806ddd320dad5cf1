// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { PriceSourceState } from "@/lib/pricing/live-prices";
import { PriceSourcesCard } from "./price-sources-card";

afterEach(cleanup);

const off = (cloud: PriceSourceState["cloud"], api: string, region: string): PriceSourceState => ({
  cloud,
  api,
  region,
  enabled: false,
  attemptedAt: null,
  refreshedAt: null,
  priceCount: 0,
  error: null,
  tableRegion: region,
  tableAsOf: "2025-12-01",
});

describe("PriceSourcesCard", () => {
  it("shows each cloud's source: the live one's region, date and count, a failure with its cause, the table elsewhere", () => {
    render(
      <PriceSourcesCard
        states={[
          off("aws", "AWS Price List API", "us-east-1"),
          {
            ...off("azure", "Azure Retail Prices API", "westus2"),
            tableRegion: "eastus",
            enabled: true,
            attemptedAt: "2026-12-07T10:00:00.000Z",
            refreshedAt: "2026-12-06T10:00:00.000Z",
            priceCount: 12,
            error: "Azure Retail Prices API answered HTTP 429: the server log has the details",
          },
          { ...off("gcp", "Cloud Billing Catalog", "us-central1") },
        ]}
      />,
    );
    expect(screen.getByTestId("price-source-aws").textContent).toBe(
      "AWSoffline table (as of 2025-12-01)us-east-1——live prices off",
    );
    const azure = screen.getByTestId("price-source-azure").textContent;
    expect(azure).toContain("Azure Retail Prices APIwestus22026-12-06 10:00 UTC12");
    expect(azure).toContain("failed 2026-12-07 10:00 UTC Azure Retail Prices API answered HTTP 429");
    expect(azure).toContain("the cached prices of 2026-12-06 10:00 UTC stay in use");
  });
});
