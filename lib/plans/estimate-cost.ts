// Monthly cost per node pool for three scenarios and the savings of four recommendations, all from the price
// table. The expected scenario: average demand = min + (max - min) x expected_load_fraction nodes' worth of work,
// provisioned at target_gpu_utilization (so a 0.8 target keeps 25% headroom), clamped to [min, max].
import { lookupPrice, priceTable, type InstancePrice } from "@/lib/pricing/lookup-price";
import type { NodePool, PlanInput } from "./schema";

export interface PoolScenario {
  nodes: number;
  hourly: number;
  monthly: number;
  gpu_hours: number;
}

export interface PoolCost {
  node_pool: string;
  instance_type: string;
  capacity_type: "on_demand" | "spot";
  hourly_per_node: number;
  gpus_per_node: number;
  scenarios: { minimum: PoolScenario; expected: PoolScenario; maximum: PoolScenario };
}

export interface CostRecommendation {
  kind: "spot" | "right_sizing" | "reserved_capacity" | "scheduled_scaling";
  applicable: boolean;
  title: string;
  detail: string;
  monthly_savings: number;
  node_pools: string[];
}

export interface CostEstimate {
  currency: string;
  hours_per_month: number;
  price_source: { region: string; prices_as_of: string; source: string };
  assumptions: string[];
  node_pools: PoolCost[];
  totals: { minimum: number; expected: number; maximum: number };
  gpu_hours: { minimum: number; expected: number; maximum: number };
  recommendations: CostRecommendation[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function expectedNodes(pool: NodePool, input: PlanInput): number {
  const demand = pool.min_nodes + (pool.max_nodes - pool.min_nodes) * input.cost.expected_load_fraction;
  const provisioned = Math.ceil(demand / input.scale_requirements.target_gpu_utilization - 1e-9);
  return Math.min(pool.max_nodes, Math.max(pool.min_nodes, provisioned));
}

function hourlyOf(price: InstancePrice, pool: NodePool): number {
  return pool.capacity_type === "spot" && price.spotHourly !== null ? price.spotHourly : price.onDemandHourly;
}

function scenario(nodes: number, hourly: number, gpus: number, hours: number): PoolScenario {
  return { nodes, hourly: round2(nodes * hourly), monthly: round2(nodes * hourly * hours), gpu_hours: nodes * gpus * hours };
}

function mustPrice(input: PlanInput, type: string): InstancePrice {
  const price = lookupPrice(input.cloud_provider, type);
  // The schema refuses unknown instance types, so this is a programming error, not bad input.
  if (!price) throw new Error(`instance type ${type} missing from the ${input.cloud_provider} price table`);
  return price;
}

export function estimateCost(input: PlanInput): CostEstimate {
  const table = priceTable(input.cloud_provider);
  const hours = table.hoursPerMonth;
  const pools: PoolCost[] = input.node_pools.map((pool) => {
    const price = mustPrice(input, pool.instance_type);
    const hourly = hourlyOf(price, pool);
    return {
      node_pool: pool.name,
      instance_type: pool.instance_type,
      capacity_type: pool.capacity_type,
      hourly_per_node: hourly,
      gpus_per_node: price.gpuCount,
      scenarios: {
        minimum: scenario(pool.min_nodes, hourly, price.gpuCount, hours),
        expected: scenario(expectedNodes(pool, input), hourly, price.gpuCount, hours),
        maximum: scenario(pool.max_nodes, hourly, price.gpuCount, hours),
      },
    };
  });
  const sum = (key: "minimum" | "expected" | "maximum", field: "monthly" | "gpu_hours") => round2(pools.reduce((acc, p) => acc + p.scenarios[key][field], 0));
  return {
    currency: table.currency,
    hours_per_month: hours,
    price_source: { region: table.region, prices_as_of: table.pricesAsOf, source: table.source },
    assumptions: [
      `${hours} hours per month; list prices of ${table.region} as of ${table.pricesAsOf}.`,
      `Expected nodes per pool = ceil((min + (max - min) x ${input.cost.expected_load_fraction}) / ${input.scale_requirements.target_gpu_utilization}), clamped to [min, max].`,
      "Spot pools are priced at the table's spot price; spot prices move hourly.",
      `Scheduled scaling assumes ${input.cost.business_hours_per_week} busy hours in a 168-hour week.`,
      "Savings of different recommendations overlap and are not additive.",
    ],
    node_pools: pools,
    totals: { minimum: sum("minimum", "monthly"), expected: sum("expected", "monthly"), maximum: sum("maximum", "monthly") },
    gpu_hours: { minimum: sum("minimum", "gpu_hours"), expected: sum("expected", "gpu_hours"), maximum: sum("maximum", "gpu_hours") },
    recommendations: recommend(input, pools, hours, table.commitmentDiscount1yr),
  };
}

/** Share of a pool that can run on spot: interruptible work fully (with checkpoints), serving only above its floor. */
function spotShare(pool: NodePool): number {
  const workload = pool.labels["workload-type"];
  return workload === "inference" || workload === "streaming" ? 0.5 : 1;
}

function recommend(input: PlanInput, pools: PoolCost[], hours: number, commitmentDiscount: number): CostRecommendation[] {
  const byName = new Map(input.node_pools.map((p) => [p.name, p]));

  const spotPools = pools.filter((p) => p.capacity_type === "on_demand" && mustPrice(input, p.instance_type).spotHourly !== null);
  const spotSavings = spotPools.map((p) => {
    const price = mustPrice(input, p.instance_type);
    return (price.onDemandHourly - (price.spotHourly ?? price.onDemandHourly)) * p.scenarios.expected.nodes * hours * spotShare(byName.get(p.node_pool)!);
  });

  // Right-sizing: the cheapest listed type with the same GPU model and at least the GPUs the workload asks per node.
  const needed = (pool: NodePool) => (pool.labels["workload-type"] === "training" ? input.training.gpus_per_node : input.model_server.gpus_per_replica);
  const rightSized = pools.flatMap((p) => {
    const pool = byName.get(p.node_pool)!;
    const current = mustPrice(input, p.instance_type);
    if (current.gpuCount === 0 || !current.gpuType) return [];
    const cheaper = priceTable(input.cloud_provider).instances
      .filter((i) => i.gpuType === current.gpuType && i.gpuCount >= needed(pool) && i.onDemandHourly < current.onDemandHourly)
      .sort((a, b) => a.onDemandHourly - b.onDemandHourly)[0];
    if (!cheaper) return [];
    return [{ pool: p.node_pool, to: cheaper.instanceType, savings: (p.hourly_per_node - hourlyOf(cheaper, pool)) * p.scenarios.expected.nodes * hours }];
  });

  const reservedPools = pools.filter((p) => p.capacity_type === "on_demand" && p.scenarios.minimum.nodes > 0);
  const reservedSavings = reservedPools.reduce((acc, p) => acc + p.scenarios.minimum.monthly * commitmentDiscount, 0);

  const offHoursFraction = (168 - input.cost.business_hours_per_week) / 168;
  const scheduledPools = pools.filter((p) => byName.get(p.node_pool)!.labels["workload-type"] !== "training" && p.scenarios.expected.nodes > p.scenarios.minimum.nodes);
  const scheduledSavings = scheduledPools.reduce((acc, p) => acc + (p.scenarios.expected.nodes - p.scenarios.minimum.nodes) * p.hourly_per_node * hours * offHoursFraction, 0);

  return [
    {
      kind: "spot",
      applicable: spotSavings.some((s) => s > 0),
      title: "Run interruptible capacity on spot",
      detail: spotPools.length
        ? "Training and batch pools fully on spot (with checkpoints to the checkpoint volume); serving pools keep half on on-demand."
        : "No on-demand pool has a spot price in the table.",
      monthly_savings: round2(spotSavings.reduce((a, b) => a + b, 0)),
      node_pools: spotPools.map((p) => p.node_pool),
    },
    {
      kind: "right_sizing",
      applicable: rightSized.length > 0,
      title: "Right-size GPU nodes",
      detail: rightSized.length ? rightSized.map((r) => `${r.pool}: move to ${r.to}`).join("; ") : "Every GPU pool already uses the cheapest listed type with enough GPUs of its model.",
      monthly_savings: round2(rightSized.reduce((a, r) => a + r.savings, 0)),
      node_pools: rightSized.map((r) => r.pool),
    },
    {
      kind: "reserved_capacity",
      applicable: reservedSavings > 0,
      title: "Commit to the always-on baseline",
      detail: commitmentDiscount > 0 ? `A 1-year commitment for the minimum nodes of on-demand pools at about ${Math.round(commitmentDiscount * 100)}% off.` : "No commitment discount applies to this cloud.",
      monthly_savings: round2(reservedSavings),
      node_pools: reservedPools.map((p) => p.node_pool),
    },
    {
      kind: "scheduled_scaling",
      applicable: scheduledSavings > 0,
      title: "Scale serving pools to their minimum outside business hours",
      detail: `A KEDA cron trigger drops replicas to the floor for ${168 - input.cost.business_hours_per_week} off-peak hours a week; training pools are excluded.`,
      monthly_savings: round2(scheduledSavings),
      node_pools: scheduledPools.map((p) => p.node_pool),
    },
  ];
}
