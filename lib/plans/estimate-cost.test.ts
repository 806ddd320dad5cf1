// Cost figures worked out by hand from lib/pricing/aws.json (730 h/month) for the default AWS node pools:
// cpu-training c6i.8xlarge $1.36 (2-50), gpu-training p4d.24xlarge on spot $8.80 (0-20, 8 GPUs),
// inference g5.xlarge $1.006 (2-100, 1 GPU); target utilization 0.8, expected load fraction 0.3. The workload is
// inference (1 GPU per replica, 1-100 replicas) on the inference pool; the other pools run their floor.
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
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
    // After AWS's 2025-06-01 GPU price reduction, with the entry's own source and date.
    expect(lookupPrice("aws", "p4d.24xlarge")).toMatchObject({ onDemandHourly: 21.9576, asOf: "2025-06-01" });
    expect(lookupPrice("aws", "p4d.24xlarge")?.source).toMatch(/2025-06-01 GPU price reduction/);
    expect(lookupPrice("aws", "nope")).toBeUndefined();
  });

  it("prices each pool from the same table entry the costs pages use, and names that entry's source and date", () => {
    for (const p of estimate.node_pools) {
      const entry = lookupPrice("aws", p.instance_type)!;
      expect([p.price_source, p.price_as_of]).toEqual([entry.source, entry.asOf]);
      if (p.capacity_type === "on_demand" && p.gpus_per_node > 0)
        expect(p.hourly_per_node / p.gpus_per_node).toBeCloseTo(gpuHourlyRate("aws", p.instance_type, "on_demand"), 9);
      if (p.capacity_type === "spot" && p.gpus_per_node > 0)
        expect(p.hourly_per_node / p.gpus_per_node).toBeCloseTo(gpuHourlyRate("aws", p.instance_type, "spot"), 9);
    }
  });

  it("sizes what the workload runs: replicas and GPUs, expected and worst case", () => {
    // ceil(100 * 0.3 / 0.8) = ceil(37.5) = 38 replicas of 1 GPU
    expect(estimate.workload).toEqual({
      workload: "inference",
      node_pool: "inference",
      gpus_per_replica: 1,
      replicas: { minimum: 1, expected: 38, maximum: 100 },
      gpus: { minimum: 1, expected: 38, maximum: 100 },
    });
  });

  it.each([
    // pool, min / expected / max nodes: the workload's pool follows its replicas (at least min_nodes), others their
    // floor, and their ceiling in the worst case (their autoscaler may grow them that far)
    ["cpu-training", 2, 2, 50],
    ["gpu-training", 0, 0, 20], // the training pool runs nothing for an inference plan, yet may grow to 20 nodes
    ["inference", 2, 38, 100],
  ])("%s: %i / %i / %i nodes", (name, min, expected, max) => {
    expect(pool(name).scenarios.minimum.nodes).toBe(min);
    expect(pool(name).scenarios.expected.nodes).toBe(expected);
    expect(pool(name).scenarios.maximum.nodes).toBe(max);
  });

  it("prices each pool per month", () => {
    expect(pool("cpu-training").scenarios.expected.monthly).toBe(1985.6); // 2 * 1.36 * 730
    expect(pool("gpu-training").capacity_type).toBe("spot");
    expect(pool("gpu-training").scenarios.expected.monthly).toBe(0);
    expect(pool("inference").scenarios.expected.monthly).toBe(27906.44); // 38 * 1.006 * 730
    expect(pool("inference").scenarios.minimum.monthly).toBe(1468.76); // 2 * 1.006 * 730
  });

  it("totals the three scenarios", () => {
    expect(estimate.totals.minimum).toBe(3454.36); // 1985.60 + 0 + 1468.76
    expect(estimate.totals.expected).toBe(29892.04); // 1985.60 + 0 + 27906.44
    // At worst Karpenter may run all 100 replicas on the pool's dearest admitted type, fallback g5.2xlarge at $1.212,
    // and the other pools grow to their max_nodes.
    expect(estimate.totals.maximum).toBe(266596); // 50 * 1.36 * 730 + 20 * 8.80 (spot) * 730 + 100 * 1.212 * 730
  });

  it("names the type, capacity and price each figure is computed from: the worst case's is the fallback's", () => {
    const inference = pool("inference");
    expect(inference.scenarios.expected.priced_at).toMatchObject({
      instance_type: "g5.xlarge",
      capacity_type: "on_demand",
      hourly_per_node: 1.006,
    });
    expect(inference.scenarios.maximum.priced_at).toMatchObject({
      instance_type: "g5.2xlarge",
      capacity_type: "on_demand",
      hourly_per_node: 1.212,
      price_source: lookupPrice("aws", "g5.2xlarge")!.source,
    });
    for (const p of estimate.node_pools)
      for (const s of Object.values(p.scenarios))
        expect(s.monthly).toBe(
          Math.round(s.nodes * s.priced_at.hourly_per_node * estimate.hours_per_month * 100) / 100,
        );
  });

  it("counts GPU-hours", () => {
    expect(estimate.gpu_hours.expected).toBe(38 * 1 * 730); // 27740
    expect(estimate.gpu_hours.minimum).toBe(2 * 730);
  });

  it("computes spot savings for on-demand pools: training fully, serving pools half", () => {
    // gpu-training is already spot. (1.36-0.55)*2*730 + (1.006-0.40)*38*730*0.5 = 1182.60 + 8405.22
    expect(rec("spot").monthly_savings).toBe(9587.82);
    expect(rec("spot").node_pools).toEqual(["cpu-training", "inference"]);
  });

  it("computes reserved capacity savings on the always-on minimum", () => {
    expect(rec("reserved_capacity").monthly_savings).toBe(1209.03); // (1985.60 + 1468.76) * 0.35
  });

  it("computes scheduled scaling savings on serving pools only", () => {
    // (38-2) * 1.006 * 730 * (168-60)/168
    expect(rec("scheduled_scaling").monthly_savings).toBe(16995.65);
    expect(rec("scheduled_scaling").node_pools).toEqual(["inference"]);
  });

  it("finds nothing to right-size when pools already use the cheapest type of their GPU model", () => {
    expect(rec("right_sizing")).toMatchObject({ applicable: false, monthly_savings: 0 });
  });

  it("right-sizes an oversized inference pool to the cheaper type with the same GPU", () => {
    const input = planInputSchema.parse({
      infrastructure_task: "cost_optimization",
      node_pools: [
        {
          name: "inference",
          instance_type: "g5.2xlarge",
          min_nodes: 1,
          max_nodes: 11,
          labels: { "workload-type": "inference" },
          taints: [],
        },
      ],
    });
    // max_replicas defaults to the 11 the pool holds; expected replicas ceil(11*0.3/0.8) = 5 nodes; (1.212 - 1.006) * 5 * 730 = 751.90
    const r = estimateCost(input).recommendations.find((x) => x.kind === "right_sizing")!;
    expect(r).toMatchObject({ applicable: true, monthly_savings: 751.9, node_pools: ["inference"] });
    expect(r.detail).toContain("g5.xlarge");
  });

  it("prices spot pools at the spot price and offers no spot recommendation for them", () => {
    const input = planInputSchema.parse({
      infrastructure_task: "cost_optimization",
      node_pools: [
        {
          name: "batch",
          instance_type: "g5.xlarge",
          min_nodes: 1,
          max_nodes: 1,
          capacity_type: "spot",
          labels: { "workload-type": "batch" },
        },
      ],
    });
    const e = estimateCost(input);
    expect(e.node_pools[0]!.scenarios.minimum.monthly).toBe(292); // 0.40 * 730
    expect(e.recommendations.find((x) => x.kind === "spot")).toMatchObject({ applicable: false, monthly_savings: 0 });
  });

  it("labels each pool's price with its kind: a spot price is never credited to the on-demand list", () => {
    // The default AWS plan: gpu-training runs on spot, the others on demand.
    expect(pool("gpu-training")).toMatchObject({ capacity_type: "spot", price_kind: "spot" });
    expect(pool("gpu-training").price_basis).toBe(
      "spot estimate: a typical observed spot price, not a quote (offline table, us-east-1, 2025-06-01)",
    );
    expect(pool("gpu-training").price_basis).not.toMatch(/on-demand/i);
    expect(pool("inference")).toMatchObject({ capacity_type: "on_demand", price_kind: "on_demand" });
    expect(pool("inference").price_basis).toBe(
      `on-demand list price (${lookupPrice("aws", "g5.xlarge")!.source}, as of ${lookupPrice("aws", "g5.xlarge")!.asOf})`,
    );
  });

  it("keeps expected nodes within [min, max] at a low utilization target: the workload pool at max, others at min", () => {
    const input = planInputSchema.parse({
      infrastructure_task: "cost_optimization",
      scale_requirements: { target_gpu_utilization: 0.1 },
    });
    for (const p of input.node_pools)
      expect(expectedNodes(p, input)).toBe(p.name === "inference" ? p.max_nodes : p.min_nodes);
  });

  it("prices training as its ranks on the training pool: every rank expected and at worst, none between jobs", () => {
    const e = estimateCost(
      planInputSchema.parse({
        infrastructure_task: "cluster_setup",
        workload_type: "training",
        training: { nodes: 4 },
      }),
    );
    expect(e.workload.gpus).toEqual({ minimum: 0, expected: 32, maximum: 32 });
    const gpu = e.node_pools.find((p) => p.node_pool === "gpu-training")!;
    expect(gpu.scenarios.expected.monthly).toBe(25696); // 4 * 8.80 (spot) * 730
    expect(e.totals.expected).toBe(29150.36); // + 1985.60 cpu-training floor + 1468.76 inference floor
  });

  it("prices EKS training's worst case at the dearest type and capacity its NodePools admit", () => {
    const input = planInputSchema.parse({
      infrastructure_task: "cluster_setup",
      workload_type: "training",
      training: { nodes: 4 },
    });
    const e = estimateCost(input);
    const pool = input.node_pools.find((p) => p.name === "gpu-training")!;
    expect(pool.fallback_instance_types.length).toBeGreaterThan(0);
    // Every admitted type has 8 GPUs: four nodes each; Karpenter falls back to on-demand when spot is short.
    const dearest = Math.max(
      ...[pool.instance_type, ...pool.fallback_instance_types].map((t) => lookupPrice("aws", t)!.onDemandHourly),
    );
    const gpu = e.node_pools.find((p) => p.node_pool === "gpu-training")!;
    expect(gpu.scenarios.maximum.nodes).toBe(4);
    expect(gpu.scenarios.maximum.monthly).toBeCloseTo(4 * dearest * 730, 1);
    expect(gpu.scenarios.maximum.monthly).toBeGreaterThan(gpu.scenarios.expected.monthly);
  });

  it("offers no reserved discount on premises and no spot there", () => {
    const e = estimateCost(
      planInputSchema.parse({ infrastructure_task: "cost_optimization", cloud_provider: "on_premise" }),
    );
    expect(e.recommendations.find((x) => x.kind === "reserved_capacity")!.monthly_savings).toBe(0);
    expect(e.recommendations.find((x) => x.kind === "spot")!.applicable).toBe(false);
    expect(e.price_source.source).toMatch(/amortized/i);
    expect(e.node_pools.map((p) => p.price_kind)).toEqual(e.node_pools.map(() => "amortized"));
  });
});

describe("estimateCost with a live price list", () => {
  const input = planInputSchema.parse({ infrastructure_task: "cost_optimization", cloud_provider: "aws" });
  const types = [...new Set(input.node_pools.map((p) => p.instance_type))];

  it("prices every pool from the list of the cluster's region and says so", () => {
    const list = {
      cloud: "aws" as const,
      region: input.region,
      prices: types.map((t) => ({
        instanceType: t,
        onDemandHourly: lookupPrice("aws", t)!.onDemandHourly * 2,
        gpuCount: null,
        fetchedAt: "2026-12-01T00:00:00.000Z",
      })),
    };
    const offline = estimateCost(input);
    const live = estimateCost(input, list);
    expect(live.priced_from).toMatchObject({ kind: "live", label: `live prices (${input.region}, 2026-12-01)` });
    const onDemand = live.node_pools.filter((p) => p.capacity_type === "on_demand");
    expect(onDemand.length).toBeGreaterThan(0);
    for (const p of onDemand) {
      const before = offline.node_pools.find((o) => o.node_pool === p.node_pool)!;
      expect(p.price_origin).toBe("live");
      expect(p.hourly_per_node).toBeCloseTo(before.hourly_per_node * 2, 9);
      expect(p.price_source).toBe(`live price API, ${input.region}, 2026-12-01`);
      expect(p.price_basis).toBe(`on-demand list price (live price API, ${input.region}, 2026-12-01)`);
    }
    const spot = live.node_pools.filter((p) => p.capacity_type === "spot");
    expect(spot.length).toBeGreaterThan(0);
    for (const p of spot)
      expect(p.price_basis).toBe(
        `spot estimate: the offline table's typical spot price scaled to the live on-demand price (live price API, ${input.region}, 2026-12-01)`,
      );
  });

  it("shows the table and the region mismatch for a cluster in another region", () => {
    const west = planInputSchema.parse({
      infrastructure_task: "cost_optimization",
      cloud_provider: "aws",
      region: "us-west-2",
    });
    const e = estimateCost(west, null);
    expect(e.priced_from.kind).toBe("table");
    expect(e.priced_from.cluster_region).toBe("us-west-2");
    expect(e.priced_from.region_mismatch).toMatch(
      /runs in us-west-2; every pool is priced from the offline table's us-east-1/,
    );
    const east = planInputSchema.parse({
      infrastructure_task: "cost_optimization",
      cloud_provider: "aws",
      region: "us-east-1",
    });
    expect(estimateCost(east, null).priced_from.region_mismatch).toBeNull();
  });
});
