import { describe, expect, it } from "vitest";
import { customMetricSamples, inferenceScaling, renderPrometheusText, scalingRecommendation } from "./custom-metrics";
import { monthlyReportCsv, monthlyReportMarkdown, type ReportInput } from "@/lib/costs/reports/monthly-report";
import type { UsageRow } from "@/lib/costs/schema";

describe("scalingRecommendation (reference: max of queue- and utilization-based)", () => {
  it.each([
    { current: 4, util: 40, queue: 1000, perReplica: 100, expected: 10, why: "queue dominates" },
    { current: 4, util: 100, queue: 50, perReplica: 100, expected: 5, why: "utilization dominates: ceil(4 × 100/80)" },
    { current: 0, util: 0, queue: 0, perReplica: 100, expected: 1, why: "never below one" },
  ])("$why", ({ current, util, queue, perReplica, expected }) => {
    expect(
      scalingRecommendation({
        currentReplicas: current,
        avgUtilization: util,
        queueDepth: queue,
        throughputPerReplica: perReplica,
      }).replicas,
    ).toBe(expected);
  });
  it("names the field when throughput is not positive", () => {
    expect(() =>
      scalingRecommendation({ currentReplicas: 1, avgUtilization: 1, queueDepth: 1, throughputPerReplica: 0 }),
    ).toThrow(/throughputPerReplica/);
  });
});

describe("custom metrics", () => {
  const row = {
    team: "search",
    nodePool: "inf",
    workloadType: "inference",
    instanceType: "g5.xlarge",
    capacityType: "on_demand",
    memoryUsedMiBAvg: 12 * 1024,
  } as UsageRow;
  it("computes memory utilization against the GPU's framebuffer and wait time by Little's law", () => {
    const text = renderPrometheusText(
      customMetricSamples([row], [{ model: "bert", version: "3", requestsPerSecond: 50, queueDepth: 200 }], "aws"),
    );
    expect(text).toContain(
      'ml_gpu_memory_utilization_percent{team="search",node_pool="inf",workload_type="inference",instance_type="g5.xlarge",capacity_type="on_demand"} 50',
    ); // 12 of A10G's 24 GiB
    expect(text).toContain('ml_estimated_wait_time_seconds{model_name="bert"} 4');
    expect(text).toContain("# TYPE ml_batch_queue_depth gauge");
  });
});

describe("monthly report", () => {
  const input: ReportInput = {
    generatedAt: Date.UTC(2026, 10, 30),
    periodStart: "2026-11-01",
    periodEnd: "2026-11-03",
    source: "demo",
    dailyTotals: [
      { day: "2026-11-01", costUsd: 100 },
      { day: "2026-11-02", costUsd: 200 },
      { day: "2026-11-03", costUsd: 300 },
    ],
    coveredHours: 72,
    utilization: { avg: 41.26, p50: 40, p90: 88, idlePercent: 12, underutilizedPercent: 55 },
    byTeam: [{ team: "search", costUsd: 600, idleCostUsd: 50 }],
    recommendations: [
      {
        category: "idle",
        title: "Release",
        currentMonthlyUsd: 500,
        projectedSavingsUsd: 500,
        effort: "low",
        confidence: "high",
        rationale: "r",
        actionItems: ["do it"],
        resources: [{ team: "search", nodePool: "notebooks", workloadType: "inference" }],
      },
      {
        category: "spot",
        title: "Spot",
        currentMonthlyUsd: 1000,
        projectedSavingsUsd: 250.5,
        effort: "medium",
        confidence: "medium",
        rationale: "r",
        actionItems: [],
        resources: [{ team: "search", nodePool: "train", workloadType: "training" }],
      },
    ],
  };
  it("sums totals, the daily average and the projected savings", () => {
    const md = monthlyReportMarkdown(input);
    expect(md).toContain("- Total Cost: $600.00");
    expect(md).toContain("- Average Daily Cost: $200.00");
    // The same $600 over two days and five hours of data: the 5-hour day counts as 5/24 of a day.
    expect(monthlyReportMarkdown({ ...input, coveredHours: 53 })).toContain(
      `- Average Daily Cost: $${(600 / (53 / 24)).toFixed(2)}`,
    );
    expect(md).toContain("- GPU Utilization: 41.3%");
    expect(md).toContain("## Total Projected Savings: $750.50/month");
    expect(md).toContain("  - do it");
    const csv = monthlyReportCsv(input);
    expect(csv).toContain("summary,total_projected_savings_usd,,750.5,");
    expect(csv.split("\r\n").filter((l) => l.startsWith("daily,"))).toHaveLength(3);
  });
});

describe("inferenceScaling", () => {
  it("applies the reference formula to each inference workload of the latest hour", () => {
    const rows = [
      {
        team: "a",
        nodePool: "inf",
        workloadType: "inference",
        instanceType: "g5.xlarge",
        gpuHoursAllocated: 10,
        utilizationAvg: 96,
      },
      {
        team: "a",
        nodePool: "train",
        workloadType: "training",
        instanceType: "p4d.24xlarge",
        gpuHoursAllocated: 8,
        utilizationAvg: 90,
      },
    ] as UsageRow[];
    const [r] = inferenceScaling(rows, new Map([["a|inf", { queueDepth: 1500, throughputPerReplica: 100 }]]));
    expect(inferenceScaling(rows)).toHaveLength(1);
    expect(r).toMatchObject({ currentReplicas: 10, utilizationBased: 12, queueBased: 15, recommendedReplicas: 15 }); // ceil(10 × 96/80) = 12 < 1500/100
  });
});
