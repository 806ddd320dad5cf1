import { describe, expect, it } from "vitest";
import { monthlyReportCsv, monthlyReportMarkdown, type ReportInput } from "./monthly-report";

const train = { team: "nlp", nodePool: "train", workloadType: "training" };
const base: ReportInput = {
  generatedAt: Date.UTC(2026, 10, 30),
  periodStart: "2026-11-01",
  periodEnd: "2026-11-30",
  source: "demo",
  dailyTotals: [{ day: "2026-11-01", costUsd: 1000 }],
  coveredHours: 24,
  utilization: { avg: 50, p50: 50, p90: 80, idlePercent: 5, underutilizedPercent: 40 },
  byTeam: [{ team: "nlp", costUsd: 1000, idleCostUsd: 0 }],
  recommendations: [
    {
      category: "spot",
      title: "Spot",
      currentMonthlyUsd: 1000,
      projectedSavingsUsd: 600,
      effort: "medium",
      confidence: "medium",
      rationale: "r",
      actionItems: [],
      resources: [train],
    },
    {
      category: "scheduled-scaling",
      title: "Weekends",
      currentMonthlyUsd: 1000,
      projectedSavingsUsd: 500,
      effort: "medium",
      confidence: "high",
      rationale: "r",
      actionItems: [],
      resources: [train],
    },
  ],
};

describe("monthly report savings", () => {
  it("totals overlapping advice as applied together and says what the plain sum would be", () => {
    const md = monthlyReportMarkdown(base);
    expect(md).toContain("## Total Projected Savings: $800.00/month");
    expect(md).toContain(
      "The sum of the individual recommendations is $1,100.00/month; they overlap on 1 workload (nlp / train / training), so applying all of them saves $800.00/month.",
    );
    const csv = monthlyReportCsv(base);
    expect(csv).toContain("summary,total_projected_savings_usd,,800,\r\n");
    expect(csv).toContain("summary,sum_of_individual_savings_usd,,1100,\r\n");
    expect(csv).toContain("summary,overlapping_workloads,,1,nlp / train / training\r\n");
  });

  it("says nothing about overlap when the advice concerns different workloads", () => {
    const input = {
      ...base,
      recommendations: [
        base.recommendations[0]!,
        { ...base.recommendations[1]!, resources: [{ ...train, team: "vision" }] },
      ],
    };
    const md = monthlyReportMarkdown(input);
    expect(md).toContain("## Total Projected Savings: $1,100.00/month");
    expect(md).not.toContain("overlap");
    expect(monthlyReportCsv(input)).toContain("summary,overlapping_workloads,,0,\r\n");
  });

  it("explains a total below the sum without overlap by the savings that exceed what they change costs", () => {
    const input = { ...base, recommendations: [{ ...base.recommendations[0]!, currentMonthlyUsd: 400 }] };
    const md = monthlyReportMarkdown(input);
    expect(md).toContain("## Total Projected Savings: $400.00/month");
    expect(md).toContain(
      "The sum of the individual recommendations is $600.00/month; no saving counts for more than the current cost of what it changes, so applying all of them saves $400.00/month.",
    );
    expect(md).not.toContain("overlap on");
  });
});
