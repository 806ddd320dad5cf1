// The monthly cost report of the reference design (Markdown and CSV), with figures from the data, not constants.
import { combinedSavings, type WorkloadRef } from "@/lib/costs/recommendations/combined-savings";
import { toCsv } from "./csv";
import type { ComputedRecommendation } from "@/lib/costs/recommendations/recommendation-types";
import { usd } from "@/lib/costs/recommendations/recommendation-types";

export interface ReportInput {
  generatedAt: number;
  periodStart: string;
  periodEnd: string;
  source: string;
  dailyTotals: { day: string; costUsd: number }[];
  /** Hours of the period the data covers (a day with 5 hours of data is 5/24 of a day): the daily average's divisor. */
  coveredHours: number;
  utilization: { avg: number; p50: number; p90: number; idlePercent: number; underutilizedPercent: number };
  byTeam: { team: string; costUsd: number; idleCostUsd: number }[];
  recommendations: (Pick<
    ComputedRecommendation,
    | "category"
    | "title"
    | "currentMonthlyUsd"
    | "projectedSavingsUsd"
    | "effort"
    | "confidence"
    | "rationale"
    | "actionItems"
  > & { resources: readonly WorkloadRef[] })[];
}

export function reportTotals(input: ReportInput) {
  const total = input.dailyTotals.reduce((s, d) => s + d.costUsd, 0);
  const days = input.coveredHours / 24;
  // Advice on the same workload overlaps: the total is what applying all of it saves, not the plain sum.
  const savings = combinedSavings(input.recommendations);
  return {
    totalUsd: total,
    averageDailyUsd: days > 0 ? total / days : 0,
    savingsUsd: savings.combinedUsd,
    individualSavingsSumUsd: savings.sumUsd,
    overlappingWorkloads: savings.overlappingWorkloads,
  };
}

export function monthlyReportMarkdown(input: ReportInput): string {
  const t = reportTotals(input);
  const u = input.utilization;
  const lines = [
    "# ML Infrastructure Cost Report",
    `Generated: ${new Date(input.generatedAt).toISOString()}`,
    `Period: ${input.periodStart} to ${input.periodEnd}`,
    `Data source: ${input.source}`,
    "",
    "## Summary",
    `- Total Cost: ${usd(t.totalUsd)}`,
    `- Average Daily Cost: ${usd(t.averageDailyUsd)}`,
    `- GPU Utilization: ${u.avg.toFixed(1)}%`,
    "",
    "## Cost by Team",
    "| Team | Cost | Idle cost |",
    "|---|---:|---:|",
    ...input.byTeam.map((b) => `| ${escapeCell(b.team)} | ${usd(b.costUsd)} | ${usd(b.idleCostUsd)} |`),
    "",
    "## Utilization Analysis",
    `- Average: ${u.avg.toFixed(1)}%`,
    `- P50: ${u.p50.toFixed(1)}%`,
    `- P90: ${u.p90.toFixed(1)}%`,
    `- Idle Time (< 10%): ${u.idlePercent.toFixed(1)}%`,
    `- Underutilized Time (< 50%): ${u.underutilizedPercent.toFixed(1)}%`,
    "",
    "## Recommendations (open and accepted)",
  ];
  input.recommendations.forEach((r, i) => {
    lines.push(
      "",
      `### ${i + 1}. ${r.category}: ${r.title}`,
      `- Current Cost: ${usd(r.currentMonthlyUsd)}/month`,
      `- Projected Savings: ${usd(r.projectedSavingsUsd)}/month`,
      `- Effort: ${r.effort}; confidence: ${r.confidence}`,
      `- Why: ${r.rationale}`,
      "- Action Items:",
      ...r.actionItems.map((a) => `  - ${a}`),
    );
  });
  lines.push("", `## Total Projected Savings: ${usd(t.savingsUsd)}/month`);
  if (t.savingsUsd !== t.individualSavingsSumUsd) lines.push("", overlapNote(t));
  lines.push("");
  return lines.join("\n");
}

export function monthlyReportCsv(input: ReportInput): string {
  const t = reportTotals(input);
  const rows: (string | number)[][] = [
    ["summary", "total_cost_usd", "", t.totalUsd, ""],
    ["summary", "average_daily_cost_usd", "", t.averageDailyUsd, ""],
    ["summary", "gpu_utilization_avg_percent", "", input.utilization.avg, ""],
    ["summary", "gpu_utilization_p50_percent", "", input.utilization.p50, ""],
    ["summary", "gpu_utilization_p90_percent", "", input.utilization.p90, ""],
    ["summary", "idle_time_percent", "", input.utilization.idlePercent, ""],
    ...input.dailyTotals.map((d) => ["daily", "cost_usd", d.day, d.costUsd, ""]),
    ...input.byTeam.map((b) => ["team", "cost_usd", b.team, b.costUsd, b.idleCostUsd]),
    ...input.recommendations.map((r) => [
      "recommendation",
      r.category,
      r.title,
      r.currentMonthlyUsd,
      r.projectedSavingsUsd,
    ]),
    ["summary", "total_projected_savings_usd", "", t.savingsUsd, ""],
    ["summary", "sum_of_individual_savings_usd", "", t.individualSavingsSumUsd, ""],
    ["summary", "overlapping_workloads", "", t.overlappingWorkloads.length, t.overlappingWorkloads.join("; ")],
  ];
  return toCsv(["section", "metric", "subject", "value", "extra"], rows);
}

function overlapNote(t: ReturnType<typeof reportTotals>): string {
  const n = t.overlappingWorkloads.length;
  // Without overlap the total is below the sum only where a saving exceeds the current cost of what it changes.
  if (n === 0)
    return `The sum of the individual recommendations is ${usd(t.individualSavingsSumUsd)}/month; no saving counts for more than the current cost of what it changes, so applying all of them saves ${usd(t.savingsUsd)}/month.`;
  return (
    `The sum of the individual recommendations is ${usd(t.individualSavingsSumUsd)}/month; they overlap on ${n} workload${n === 1 ? "" : "s"} ` +
    `(${t.overlappingWorkloads.join(", ")}), so applying all of them saves ${usd(t.savingsUsd)}/month.`
  );
}

function escapeCell(v: string): string {
  return v.replace(/\|/g, "\\|");
}
