// Cost figures worked out by hand from lib/pricing/aws.json (730 h/month) for the default AWS node pools:
// cpu-training c6i.8xlarge $1.36 (2-50), gpu-training p4d.24xlarge on spot $11.00 (0-20, 8 GPUs),
// inference g5.xlarge $1.006 (2-100, 1 GPU); target utilization 0.8, expected load fraction 0.3.
import { describe, expect, it } from "vitest";
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { estimateCost, expectedNodes } from "./estimate-cost";
import { planInputSchema } from "./schema";

const aws = planInputSchema.parse({ infrastructure_task: "cost_optimization", cloud_provider: "aws" });
const estimate = estimateCost(aws);
const pool = (name: string) => estimate.node_pools.find((p) => p.node_pool === name)!;
const rec = (kind: string) => estimate.recommendations.find((r) => r.kind === kind)!;

describe("estimateCost on the default AWS pools", () => {
  it("reads prices from the table", () => {
    expect(lookupPrice("aws", "p4d.24xlarge")?.onDemandHourly).toBe(32.7726);
    expect(lookupPrice("aws", "nope")).toBeUndefined();
  });

  it.each([
    // pool, min nodes, expected nodes: ceil((min + (max-min)*0.3) / 0.8), max nodes
    ["cpu-training", 2, 21, 50], // (2 + 48*0.3)/0.8 = 20.5 -> 21
    ["gpu-training", 0, 8, 20], // (0 + 20*0.3)/0.8 = 7.5 -> 8
    ["inference", 2, 40, 100], // (2 + 98*0.3)/0.8 = 39.25 -> 40
  ])("%s: %i / %i / %i nodes", (name, min, expected, max) => {
    expect(pool(name).scenarios.minimum.nodes).toBe(min);
    expect(pool(name).scenarios.expected.nodes).toBe(expected);
    expect(pool(name).scenarios.maximum.nodes).toBe(max);
  });

  it("prices each pool per month", () => {
    expect(pool("cpu-training").scenarios.expected.monthly).toBe(20848.8); // 21 * 1.36 * 730
    expect(pool("gpu-training").capacity_type).toBe("spot");
    expect(pool("gpu-training").scenarios.expected.monthly).toBe(64240); // 8 * 11.00 (spot) * 730
    expect(pool("inference").scenarios.minimum.monthly).toBe(1468.76); // 2 * 1.006 * 730
  });

  it("totals the three scenarios", () => {
    expect(estimate.totals.minimum).toBe(3454.36); // 1985.60 + 0 + 1468.76
    expect(estimate.totals.expected).toBe(114464); // 20848.80 + 64240 + 29375.20
    expect(estimate.totals.maximum).toBe(283678); // 49640 + 20 * 11 * 730 + 73438
  });

  it("counts GPU-hours", () => {
    expect(estimate.gpu_hours.expected).toBe(8 * 8 * 730 + 40 * 1 * 730); // 75920
    expect(estimate.gpu_hours.minimum).toBe(2 * 730);
  });

  it("computes spot savings for on-demand pools: training fully, serving pools half", () => {
    // gpu-training is already spot. (1.36-0.55)*21*730 + (1.006-0.40)*40*730*0.5 = 12417.30 + 8847.60
    expect(rec("spot").monthly_savings).toBe(21264.9);
    expect(rec("spot").node_pools).toEqual(["cpu-training", "inference"]);
  });

  it("computes reserved capacity savings on the always-on minimum", () => {
    expect(rec("reserved_capacity").monthly_savings).toBe(1209.03); // (1985.60 + 1468.76) * 0.35
  });

  it("computes scheduled scaling savings on serving pools only", () => {
    // (40-2) * 1.006 * 730 * (168-60)/168
    expect(rec("scheduled_scaling").monthly_savings).toBe(17939.85);
    expect(rec("scheduled_scaling").node_pools).toEqual(["inference"]);
  });

  it("finds nothing to right-size when pools already use the cheapest type of their GPU model", () => {
    expect(rec("right_sizing")).toMatchObject({ applicable: false, monthly_savings: 0 });
  });

  it("right-sizes an oversized inference pool to the cheaper type with the same GPU", () => {
    const input = planInputSchema.parse({
      infrastructure_task: "cost_optimization",
      node_pools: [{ name: "inference", instance_type: "g5.2xlarge", min_nodes: 1, max_nodes: 11, labels: { "workload-type": "inference" }, taints: [] }],
    });
    // expected nodes: (1 + 10*0.3)/0.8 = 5; (1.212 - 1.006) * 5 * 730 = 751.90
    const r = estimateCost(input).recommendations.find((x) => x.kind === "right_sizing")!;
    expect(r).toMatchObject({ applicable: true, monthly_savings: 751.9, node_pools: ["inference"] });
    expect(r.detail).toContain("g5.xlarge");
  });

  it("prices spot pools at the spot price and offers no spot recommendation for them", () => {
    const input = planInputSchema.parse({
      infrastructure_task: "cost_optimization",
      node_pools: [{ name: "batch", instance_type: "g5.xlarge", min_nodes: 1, max_nodes: 1, capacity_type: "spot", labels: { "workload-type": "batch" } }],
    });
    const e = estimateCost(input);
    expect(e.node_pools[0].scenarios.minimum.monthly).toBe(292); // 0.40 * 730
    expect(e.recommendations.find((x) => x.kind === "spot")).toMatchObject({ applicable: false, monthly_savings: 0 });
  });

  it("keeps expected nodes within [min, max] at a low utilization target", () => {
    const input = planInputSchema.parse({ infrastructure_task: "cost_optimization", scale_requirements: { target_gpu_utilization: 0.1 } });
    for (const p of input.node_pools) expect(expectedNodes(p, input)).toBe(p.max_nodes);
  });

  it("offers no reserved discount on premises and no spot there", () => {
    const e = estimateCost(planInputSchema.parse({ infrastructure_task: "cost_optimization", cloud_provider: "on_premise" }));
    expect(e.recommendations.find((x) => x.kind === "reserved_capacity")!.monthly_savings).toBe(0);
    expect(e.recommendations.find((x) => x.kind === "spot")!.applicable).toBe(false);
    expect(e.price_source.source).toMatch(/amortized/i);
  });
});
