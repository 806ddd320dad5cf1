// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { DataHealthCard } from "./data-health-card";

afterEach(cleanup);

const base = {
  from: Date.UTC(2026, 11, 7, 0),
  until: Date.UTC(2026, 11, 7, 6),
  at: "2026-12-07T06:05:00.000Z",
  gpuHours: 30,
  teamGpuHours: 6,
  poolGpuHours: 0,
  pricedGpuHours: 0,
  estimatedPriceGpuHours: 30,
  unpricedGpuHours: 0,
  busyUnallocatedGpuHours: 0,
};

describe("DataHealthCard", () => {
  it("shows the attributed shares and each issue's cause and fix with its code parts as code", () => {
    render(
      <DataHealthCard
        health={{
          ...base,
          issues: [
            {
              code: "team-label-missing",
              gpuHours: 24,
              cause: "pods have no `label_team`",
              fix: "start kube-state-metrics with `--metric-labels-allowlist=pods=[team]`",
            },
          ],
        }}
      />,
    );
    expect(screen.getByTestId("health-team").textContent).toBe("20.0%");
    expect(screen.getByTestId("health-pool").textContent).toBe("0%");
    // A record from before the capacity share was measured shows no capacity figure rather than a made-up one.
    expect(screen.queryByTestId("health-capacity")).toBeNull();
    expect(screen.getByTestId("health-price").textContent).toBe("100% (0% at list price, the rest estimated)");
    const issue = within(screen.getByTestId("health-issues")).getByRole("listitem");
    expect(issue.textContent).toBe(
      "pods have no label_team: start kube-state-metrics with --metric-labels-allowlist=pods=[team] (24 GPU-hours)",
    );
    expect([...issue.querySelectorAll("code")].map((c) => c.textContent)).toEqual([
      "label_team",
      "--metric-labels-allowlist=pods=[team]",
    ]);
  });

  it("labels the offline table's prices as such and shows a cluster in another region", () => {
    render(
      <DataHealthCard
        health={{
          ...base,
          prices: {
            kind: "table",
            region: "us-east-1",
            tableRegion: "us-east-1",
            tableAsOf: "2024-10-01",
            liveAsOf: null,
            clusterRegion: "us-west-2",
          },
          issues: [],
        }}
      />,
    );
    expect(screen.getByTestId("health-prices").textContent).toBe(
      "Prices: the offline price table (us-east-1, as of 2024-10-01) · the cluster runs in us-west-2",
    );
  });

  it("shows the share of GPU-hours whose capacity type (spot or on demand) is known", () => {
    render(<DataHealthCard health={{ ...base, capacityGpuHours: 6, issues: [] }} />);
    expect(screen.getByTestId("health-capacity").textContent).toBe("20.0%");
  });

  it("shows the hours the data covers, not only the window the ingestion read", () => {
    render(
      <DataHealthCard
        health={{
          ...base,
          from: Date.UTC(2026, 8, 8),
          dataFrom: Date.UTC(2026, 11, 4, 6),
          dataUntil: Date.UTC(2026, 11, 7, 6),
          issues: [],
        }}
      />,
    );
    expect(screen.getByTestId("data-health").textContent).toContain(
      "30 GPU-hours of data from 2026-12-04 06:00 to 2026-12-07 06:00 UTC (read 2026-09-08 00:00 to 2026-12-07 06:00 UTC)",
    );
  });

  it("says all is attributed when there is no issue, and shows nothing without an ingestion", () => {
    const { container, rerender } = render(
      <DataHealthCard
        health={{
          ...base,
          teamGpuHours: 30,
          poolGpuHours: 30,
          pricedGpuHours: 30,
          estimatedPriceGpuHours: 0,
          issues: [],
        }}
      />,
    );
    expect(screen.getByTestId("data-health").textContent).toContain(
      "Every GPU-hour has a team, a pool and a list price.",
    );
    rerender(<DataHealthCard health={null} />);
    expect(container.innerHTML).toBe("");
  });
});
