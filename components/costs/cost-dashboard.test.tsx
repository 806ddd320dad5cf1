// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CostSummary } from "@/lib/costs/schema";
import { CostDashboard } from "./cost-dashboard";
import type { RecommendationItem } from "./recommendation-change";
import { RecommendationTable } from "./recommendation-table";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh }) }));
afterEach(cleanup);

const fresh: CostSummary["ingestion"][number] = {
  source: "demo",
  lastSuccessAt: "2026-11-08T00:00:00.000Z",
  dataUntil: "2026-11-08T00:00:00.000Z",
  dataAgeHours: 0,
  stale: false,
  lastError: null,
};
const summary = (
  over: Partial<CostSummary["monthToDate"]["budget"]>,
  stale = false,
  teamBudgets: CostSummary["monthToDate"]["teamBudgets"] = [],
  ingestion = [{ ...fresh, stale, lastError: stale ? "boom" : null }],
): CostSummary =>
  ({
    source: "demo",
    demo: true,
    range: { start: "2026-11-01T00:00:00.000Z", end: "2026-11-08T00:00:00.000Z", days: 7 },
    groupBy: "team",
    daily: { keys: ["nlp"], points: [{ day: "2026-11-01", nlp: 10 }], totalUsd: 10, idleUsd: 2 },
    totals: { costUsd: 10, idleCostUsd: 2, gpuHours: 5, utilizationAvg: 40, idleShare: 0.1, underutilizedShare: 0.5 },
    utilization: [
      {
        group: "nlp",
        utilizationAvg: 40,
        p50: 35,
        p90: 80,
        idleShare: 0.1,
        underutilizedShare: 0.5,
        costUsd: 10,
        idleCostUsd: 2,
      },
    ],
    heatMap: Array.from({ length: 7 }, () => new Array(24).fill(50)),
    spot: { spotGpuHours: 1, onDemandGpuHours: 3, spotShare: 0.25, savingsUsd: 4 },
    monthToDate: {
      month: "2026-11",
      monthToDateUsd: 900,
      linearUsd: 1100,
      seasonalUsd: 1200,
      daysInMonth: 30,
      daysElapsed: 20,
      dataUntil: "2026-11-21T00:00:00.000Z",
      budget: { budgetUsd: 1000, forecastUsd: 1200, overByUsd: 200, alert: true, ...over },
      teamBudgets,
    },
    billed: null,
    ingestion,
  }) as CostSummary;

describe("CostDashboard", () => {
  it("shows the budget alert only when the forecast exceeds the budget", () => {
    const text = (s: CostSummary) => {
      const div = document.createElement("div");
      div.innerHTML = renderToString(<CostDashboard summary={s} basePath="/costs" />);
      return div.textContent ?? "";
    };
    expect(text(summary({}))).toContain("exceeds the budget of $1,000 by $200");
    expect(text(summary({ alert: false, overByUsd: 0 }))).not.toContain("exceeds the budget");
  });
  it("names each team whose forecast exceeds its own budget, even when the fleet total is within budget", () => {
    const teams = [
      { team: "nlp", budgetUsd: 500, forecastUsd: 800, overByUsd: 300, alert: true },
      { team: "vision", budgetUsd: 900, forecastUsd: 400, overByUsd: 0, alert: false },
    ];
    const div = document.createElement("div");
    div.innerHTML = renderToString(
      <CostDashboard summary={summary({ alert: false, overByUsd: 0 }, false, teams)} basePath="/costs" />,
    );
    const alerts = [...div.querySelectorAll('[data-testid="team-budget-alert"]')];
    expect(alerts.map((a) => a.textContent)).toEqual([
      "Team nlp: forecast $800 for 2026-11 exceeds its budget of $500 by $300.",
    ]);
    expect(alerts[0]!.querySelector("a")?.getAttribute("href")).toBe("/costs/teams/nlp");
  });
  it("names teams by their names in the budget alerts and the utilization rows, not by their slugs", () => {
    const teams = [{ team: "nlp", budgetUsd: 500, forecastUsd: 800, overByUsd: 300, alert: true }];
    const byTeam = summary({ alert: false, overByUsd: 0 }, false, teams);
    const nlpRow = byTeam.utilization[0]!;
    byTeam.utilization = [nlpRow, { ...nlpRow, group: "unallocated" }];
    const div = document.createElement("div");
    div.innerHTML = renderToString(
      <CostDashboard summary={byTeam} basePath="/costs" teamNames={{ nlp: "Natural language" }} />,
    );
    expect(div.querySelector('[data-testid="team-budget-alert"]')?.textContent).toMatch(/^Team Natural language:/);
    expect([...div.querySelectorAll('[data-testid="utilization-table"] tbody th')].map((th) => th.textContent)).toEqual(
      ["Natural language", "Unallocated (idle GPUs)"],
    );
    // Grouped by workload type, a group that happens to share a team's slug keeps its own name.
    div.innerHTML = renderToString(
      <CostDashboard
        summary={{ ...summary({}), groupBy: "workloadType" }}
        basePath="/costs"
        teamNames={{ nlp: "Natural language" }}
      />,
    );
    expect(div.querySelector('[data-testid="utilization-table"] tbody th')?.textContent).toBe("nlp");
  });
  it("labels each figure of the idle cost card, with idle meaning unused GPU time only", () => {
    const div = document.createElement("div");
    div.innerHTML = renderToString(<CostDashboard summary={summary({})} basePath="/costs" />);
    expect(div.querySelector('[data-testid="idle-breakdown"]')?.textContent).toBe(
      "20% of cost paid for unused GPU time. GPU-hours under 10% busy: 10%; under 50% busy: 50%",
    );
  });
  it("says when data is stale and links the CSV export of the current range and grouping", () => {
    const html = renderToString(<CostDashboard summary={summary({}, true)} basePath="/costs" team="nlp" />);
    const div = document.createElement("div");
    div.innerHTML = html;
    expect(div.querySelector('[data-testid="stale-banner"]')?.textContent).toContain("demo data is stale");
    expect(html).toContain("/api/v1/costs/export?days=7&amp;groupBy=team&amp;team=nlp");
  });
  it("names how old the newest hour of data is when runs succeed but the data stopped, and keeps the last ingestion time", () => {
    // The exporter stopped at 13:00; runs at 23:05 still succeeded, with no rows.
    const lagging = {
      ...fresh,
      lastSuccessAt: "2026-11-20T23:05:00.000Z",
      dataUntil: "2026-11-20T13:00:00.000Z",
      dataAgeHours: 10,
    };
    const div = document.createElement("div");
    div.innerHTML = renderToString(
      <CostDashboard summary={summary({}, false, [], [{ ...lagging, stale: true }])} basePath="/costs" />,
    );
    expect(div.querySelector('[data-testid="stale-banner"]')?.textContent).toBe(
      "demo data is stale: its newest data ends 2026-11-20 13:00 UTC (10 hours ago), so later usage is missing from the month to date and forecast from past weeks instead. Last successful ingestion 2026-11-20 23:05 UTC.",
    );
    expect(div.querySelector('[data-testid="last-ingestion"]')?.textContent).toBe("Data as of 2026-11-20 23:05 UTC");
    expect(div.querySelector('[data-testid="data-lag"]')?.textContent).toBe(
      "· newest hour of data ends 2026-11-20 13:00 UTC (10 hours ago)",
    );
    // Lagging within the stale setting: no banner, but the header still says where the data ends.
    div.innerHTML = renderToString(
      <CostDashboard summary={summary({}, false, [], [{ ...lagging, dataAgeHours: 2 }])} basePath="/costs" />,
    );
    expect(div.querySelector('[data-testid="stale-banner"]')).toBeNull();
    expect(div.querySelector('[data-testid="data-lag"]')?.textContent).toContain("(2 hours ago)");
    // Up to date: no lag note.
    div.innerHTML = renderToString(<CostDashboard summary={summary({})} basePath="/costs" />);
    expect(div.querySelector('[data-testid="data-lag"]')).toBeNull();
  });
  it("says so when a source has no data at all", () => {
    const div = document.createElement("div");
    div.innerHTML = renderToString(
      <CostDashboard
        summary={summary(
          {},
          false,
          [],
          [{ ...fresh, dataUntil: null, dataAgeHours: null, lastSuccessAt: null, stale: true }],
        )}
        basePath="/costs"
      />,
    );
    expect(div.querySelector('[data-testid="stale-banner"]')?.textContent).toBe(
      "demo data is stale: no data has been ingested. Last successful ingestion never.",
    );
  });
});

describe("RecommendationTable", () => {
  const item: RecommendationItem = {
    id: "r1",
    category: "idle",
    title: "Release GPUs",
    team: "nlp",
    resources: [{ team: "nlp", nodePool: "notebooks", workloadType: "inference" }],
    currentMonthlyUsd: 100,
    projectedSavingsUsd: 100,
    confidence: "high",
    effort: "low",
    rationale: "Idle for 7 days",
    actionItems: ["do it"],
    state: "open",
    snoozedUntil: null,
    dismissReason: null,
    requestHref: "/requests/new?draft=abc",
  };
  it("snoozes through the API and refreshes", async () => {
    const fetchMock = vi.fn(async () => new Response("{}", { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    render(<RecommendationTable items={[item]} canManage canRequest />);
    fireEvent.click(screen.getByTestId("recommendation-open"));
    fireEvent.click(screen.getByTestId("snooze-30"));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    expect(fetchMock).toHaveBeenCalledWith(
      "/api/v1/costs/recommendations/r1",
      expect.objectContaining({ method: "POST", body: JSON.stringify({ action: "snooze", days: 30 }) }),
    );
    expect(screen.getByTestId("create-request").getAttribute("href")).toBe("/requests/new?draft=abc");
  });
  it("totals open advice on the same workload as applied together, not as a sum", () => {
    const train = [{ team: "nlp", nodePool: "train", workloadType: "training" }];
    render(
      <RecommendationTable
        items={[
          {
            ...item,
            id: "spot",
            category: "spot",
            resources: train,
            currentMonthlyUsd: 1000,
            projectedSavingsUsd: 600,
          },
          {
            ...item,
            id: "sched",
            category: "scheduled-scaling",
            resources: train,
            currentMonthlyUsd: 1000,
            projectedSavingsUsd: 500,
          },
          { ...item, id: "done", state: "accepted", projectedSavingsUsd: 100 },
        ]}
        canManage={false}
        canRequest={false}
      />,
    );
    expect(screen.getByTestId("total-savings").textContent).toBe("$800");
    expect(screen.getByTestId("savings-overlap").textContent).toContain(
      "add up to $1,100, but they overlap on 1 workload (nlp / train / training)",
    );
  });
  it("explains a total below the sum without overlap by the saving that exceeds what it changes costs", () => {
    render(
      <RecommendationTable
        items={[{ ...item, currentMonthlyUsd: 60, projectedSavingsUsd: 100 }]}
        canManage={false}
        canRequest={false}
      />,
    );
    expect(screen.getByTestId("total-savings").textContent).toBe("$60");
    expect(screen.getByTestId("savings-overlap").textContent).toBe(
      "The individual savings add up to $100, but no saving counts for more than the current cost of what it changes, so applying all of them saves $60.",
    );
  });
  it("says nothing about overlap when the difference is below a dollar (the figures are shown in whole dollars)", () => {
    const train = [{ team: "nlp", nodePool: "train", workloadType: "training" }];
    // $10 + $10 on a $1,000 workload combine to $19.90: shown as $20 either way.
    render(
      <RecommendationTable
        items={[
          { ...item, id: "a", resources: train, currentMonthlyUsd: 1000, projectedSavingsUsd: 10 },
          { ...item, id: "b", resources: train, currentMonthlyUsd: 1000, projectedSavingsUsd: 10 },
        ]}
        canManage={false}
        canRequest={false}
      />,
    );
    expect(screen.getByTestId("total-savings").textContent).toBe("$20");
    expect(screen.queryByTestId("savings-overlap")).toBeNull();
  });
  it("hides state changes from readers who may not manage costs", () => {
    render(<RecommendationTable items={[item]} canManage={false} canRequest={false} />);
    fireEvent.click(screen.getByTestId("recommendation-open"));
    expect(screen.getByTestId("recommendation-detail")).toBeTruthy();
    expect(screen.queryByTestId("bulk-actions")).toBeNull();
    expect(screen.queryByTestId("snooze-30")).toBeNull();
    expect(screen.queryByTestId("create-request")).toBeNull();
  });
});
