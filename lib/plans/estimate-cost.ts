// Monthly cost of what the plan's workload runs, for three scenarios, and the savings of four recommendations,
// each instance type priced through the portal's one price lookup (lib/pricing/price-list.ts, the one the costs
// pages use): the caller's live price list for the cluster's region when it has the type, else the offline table. The workload's replicas (or
// training ranks) decide its pool's nodes: expected replicas = max_replicas x expected_load_fraction worth of
// work, provisioned at target_gpu_utilization (a 0.8 target keeps 25% headroom), within [min, max] replicas;
// the worst case is max_replicas. Pools the workload does not use run at their floor (min_nodes), and at their
// ceiling (max_nodes) in the worst case.
import { lookupPrice, priceTable, type InstancePrice } from "@/lib/pricing/lookup-price";
import { priceOf, type PriceList, type PricedInstance } from "@/lib/pricing/price-list";
import { pickWorkloadPool } from "./plan-context";
import type { NodePool, PlanInput } from "./schema";

/** The instance type and price a scenario's figure is computed from: monthly = nodes × hourly_per_node × hours. */
export interface PricedAt {
  instance_type: string;
  /** The price paid: a spot pool's worst case on EKS falls back to on-demand capacity. */
  capacity_type: "on_demand" | "spot";
  hourly_per_node: number;
  price_source: string;
  price_as_of: string;
}

export interface PoolScenario {
  nodes: number;
  priced_at: PricedAt;
  hourly: number;
  monthly: number;
  gpu_hours: number;
}

export interface PoolCost {
  node_pool: string;
  instance_type: string;
  capacity_type: "on_demand" | "spot";
  hourly_per_node: number;
  /** Where the price came from: "live price API, us-west-2, 2026-12-01", or the offline table entry's own source. */
  price_source: string;
  price_as_of: string;
  price_origin: "live" | "table";
  /** What the hourly price is: an on-demand list price, a spot estimate, or an amortized cost (on premises). */
  price_kind: "on_demand" | "spot" | "amortized";
  /**
   * The price's kind and source for a person, with its date: "spot estimate: a typical observed spot price, not a
   * quote (offline table, us-east-1, 2025-06-01)". Never the on-demand list's name on a spot price.
   */
  price_basis: string;
  /** The region whose price this is. */
  price_region: string;
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

export interface WorkloadSize {
  workload: PlanInput["workload_type"];
  node_pool: string;
  gpus_per_replica: number;
  /** Pods (replicas, or training ranks) the workload runs in each scenario. */
  replicas: { minimum: number; expected: number; maximum: number };
  gpus: { minimum: number; expected: number; maximum: number };
}

export interface CostEstimate {
  currency: string;
  workload: WorkloadSize;
  hours_per_month: number;
  price_source: { region: string; prices_as_of: string; source: string };
  /** Which prices priced the plan: the live price list of the cluster's region, the offline table, or some of each. */
  priced_from: {
    kind: "live" | "table" | "mixed";
    /** For a person, e.g. "live prices (us-west-2, 2026-12-01)" or "offline table (us-east-1, 2025-06-01)". */
    label: string;
    cluster_region: string;
    /** Why a price is not the cluster region's, when one is not. */
    region_mismatch: string | null;
  };
  assumptions: string[];
  node_pools: PoolCost[];
  totals: { minimum: number; expected: number; maximum: number };
  gpu_hours: { minimum: number; expected: number; maximum: number };
  recommendations: CostRecommendation[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The workload's pods per scenario: training runs every rank (none between jobs); serving scales with load. */
export function workloadSize(input: PlanInput): WorkloadSize {
  const pool = pickWorkloadPool(input);
  if (input.workload_type === "training") {
    const ranks = input.training.nodes;
    const g = input.training.gpus_per_node;
    return {
      workload: "training",
      node_pool: pool.name,
      gpus_per_replica: g,
      replicas: { minimum: 0, expected: ranks, maximum: ranks },
      gpus: { minimum: 0, expected: ranks * g, maximum: ranks * g },
    };
  }
  const s = input.scale_requirements;
  const g = input.model_server.gpus_per_replica;
  const expected = Math.min(
    s.max_replicas,
    Math.max(
      s.min_replicas,
      Math.ceil((s.max_replicas * input.cost.expected_load_fraction) / s.target_gpu_utilization - 1e-9),
    ),
  );
  const replicas = { minimum: s.min_replicas, expected, maximum: s.max_replicas };
  return {
    workload: input.workload_type,
    node_pool: pool.name,
    gpus_per_replica: g,
    replicas,
    gpus: { minimum: replicas.minimum * g, expected: replicas.expected * g, maximum: replicas.maximum * g },
  };
}

type Scenario = "minimum" | "expected" | "maximum";

/** Nodes a pool runs in a scenario: the workload's pods packed onto its pool, at least the pool's floor. */
export function poolNodes(pool: NodePool, input: PlanInput, which: Scenario, size = workloadSize(input)): number {
  // A pool the workload does not use runs at its floor, but its autoscaler may still grow it to its ceiling.
  if (pool.name !== size.node_pool) return which === "maximum" ? pool.max_nodes : pool.min_nodes;
  const perNode = Math.max(
    1,
    Math.floor(
      (lookupPrice(input.cloud_provider, pool.instance_type)?.gpuCount ?? 1) / Math.max(1, size.gpus_per_replica),
    ),
  );
  return Math.min(pool.max_nodes, Math.max(pool.min_nodes, Math.ceil(size.replicas[which] / perNode)));
}

export function expectedNodes(pool: NodePool, input: PlanInput): number {
  return poolNodes(pool, input, "expected");
}

// A spot price scaled to a live on-demand price has many decimals: six are kept, and shown, so that every monthly
// figure is nodes × the hourly price shown × hours, to the cent.
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

function hourlyOf(price: InstancePrice, pool: NodePool): number {
  return round6(pool.capacity_type === "spot" && price.spotHourly !== null ? price.spotHourly : price.onDemandHourly);
}

/** What `hourlyOf` charged the pool and where that figure comes from. */
function priceBasis(
  cloud: PlanInput["cloud_provider"],
  price: PricedInstance,
  pool: NodePool,
): Pick<PoolCost, "price_kind" | "price_basis"> {
  const origin = price.origin.label;
  if (cloud === "on_premise")
    return { price_kind: "amortized", price_basis: `amortized hourly cost, not a market price (${origin})` };
  if (pool.capacity_type === "spot" && price.spotHourly !== null)
    return {
      price_kind: "spot",
      price_basis:
        price.origin.kind === "live"
          ? `spot estimate: the offline table's typical spot price scaled to the live on-demand price (${origin})`
          : `spot estimate: a typical observed spot price, not a quote (${origin})`,
    };
  const onDemand = price.origin.kind === "live" ? origin : `${price.source}, as of ${price.asOf}`;
  return {
    price_kind: "on_demand",
    price_basis:
      pool.capacity_type === "spot"
        ? `on-demand price: no spot price is listed for ${pool.instance_type} (${onDemand})`
        : `on-demand list price (${onDemand})`,
  };
}

function pricedAt(price: PricedInstance, capacity: NodePool["capacity_type"], hourly: number): PricedAt {
  return {
    instance_type: price.instanceType,
    capacity_type: capacity,
    hourly_per_node: hourly,
    price_source: price.source,
    price_as_of: price.asOf,
  };
}

function scenario(nodes: number, priced: PricedAt, gpus: number, hours: number): PoolScenario {
  return {
    nodes,
    priced_at: priced,
    hourly: round2(nodes * priced.hourly_per_node),
    monthly: round2(nodes * priced.hourly_per_node * hours),
    gpu_hours: nodes * gpus * hours,
  };
}

function mustPrice(input: PlanInput, type: string, prices: PriceList | null): PricedInstance {
  const price = priceOf(prices, input.cloud_provider, input.region, type);
  // The schema refuses unknown instance types, so this is a programming error, not bad input.
  if (!price) throw new Error(`instance type ${type} missing from the ${input.cloud_provider} price table`);
  return price;
}

function pricedFrom(input: PlanInput, priced: readonly PricedInstance[]): CostEstimate["priced_from"] {
  const live = priced.filter((p) => p.origin.kind === "live");
  const kind = live.length === 0 ? "table" : live.length === priced.length ? "live" : "mixed";
  const table = priceTable(input.cloud_provider);
  const oldestLive = live.map((p) => p.origin.asOf).sort()[0];
  const label =
    kind === "table"
      ? `offline table (${table.region}, ${table.pricesAsOf})`
      : `${kind === "mixed" ? "live prices where listed, else the offline table" : "live prices"} (${input.region}, ${oldestLive})`;
  const mismatch = priced.find((p) => p.origin.regionMismatch !== null)?.origin.regionMismatch;
  return {
    kind,
    label,
    cluster_region: input.region,
    region_mismatch: mismatch
      ? `The cluster runs in ${mismatch.clusterRegion}; ${priced.filter((p) => p.origin.regionMismatch).length === priced.length ? "every pool is" : "some pools are"} priced from the offline table's ${table.region} list prices, which differ between regions.`
      : null,
  };
}

/**
 * EKS: Karpenter runs the workload pool's nodes above its floor, and its NodePools admit the pool's fallback types
 * and, for a spot pool, on-demand capacity when spot is short. The worst case is the dearest of those for the
 * workload's maximum: each type at its on-demand price, with as many nodes as that type needs for the pods.
 */
function worstOnKarpenter(
  input: PlanInput,
  pool: NodePool,
  size: ReturnType<typeof workloadSize>,
  prices: PriceList | null,
  hours: number,
): PoolScenario | undefined {
  if (input.cloud_provider !== "aws" || pool.name !== size.node_pool) return undefined;
  const candidates = [pool.instance_type, ...pool.fallback_instance_types].map((type) => {
    const price = mustPrice(input, type, prices);
    const nodes = poolNodes({ ...pool, instance_type: type }, input, "maximum", size);
    const onDemand = round6(price.onDemandHourly);
    const paid =
      hourlyOf(price, pool) > onDemand
        ? pricedAt(price, pool.capacity_type, hourlyOf(price, pool))
        : pricedAt(price, "on_demand", onDemand);
    return scenario(nodes, paid, price.gpuCount, hours);
  });
  return candidates.reduce((worst, c) => (c.monthly > worst.monthly ? c : worst));
}

/**
 * `prices`: the live price list of the cluster's cloud and region (the caller loads it; null or absent: the offline
 * table prices every pool, and says so).
 */
export function estimateCost(input: PlanInput, prices: PriceList | null = null): CostEstimate {
  const table = priceTable(input.cloud_provider);
  const hours = table.hoursPerMonth;
  const size = workloadSize(input);
  const priced = input.node_pools.map((pool) => mustPrice(input, pool.instance_type, prices));
  const pools: PoolCost[] = input.node_pools.map((pool, i) => {
    const price = priced[i] ?? mustPrice(input, pool.instance_type, prices);
    const hourly = hourlyOf(price, pool);
    const primary = pricedAt(price, pool.capacity_type, hourly);
    return {
      node_pool: pool.name,
      instance_type: pool.instance_type,
      capacity_type: pool.capacity_type,
      hourly_per_node: hourly,
      price_source: price.source,
      price_as_of: price.asOf,
      price_origin: price.origin.kind,
      price_region: price.origin.region,
      ...priceBasis(input.cloud_provider, price, pool),
      gpus_per_node: price.gpuCount,
      scenarios: {
        minimum: scenario(poolNodes(pool, input, "minimum", size), primary, price.gpuCount, hours),
        expected: scenario(poolNodes(pool, input, "expected", size), primary, price.gpuCount, hours),
        maximum:
          worstOnKarpenter(input, pool, size, prices, hours) ??
          scenario(poolNodes(pool, input, "maximum", size), primary, price.gpuCount, hours),
      },
    };
  });
  const sum = (key: "minimum" | "expected" | "maximum", field: "monthly" | "gpu_hours") =>
    round2(pools.reduce((acc, p) => acc + p.scenarios[key][field], 0));
  return {
    currency: table.currency,
    hours_per_month: hours,
    price_source: { region: table.region, prices_as_of: table.pricesAsOf, source: table.source },
    priced_from: pricedFrom(input, priced),
    workload: size,
    assumptions: [
      `${hours} hours per month; on-demand list prices from ${pricedFrom(input, priced).label}.`,
      "Each pool's figure is its nodes × the hourly price of the instance type and capacity it names × the hours; the worst case may name a dearer fallback type than the pool's own.",
      input.workload_type === "training"
        ? `The ${input.training.nodes} training ranks × ${input.training.gpus_per_node} GPUs run all month (expected and worst case); none between jobs (minimum).`
        : `Expected replicas = ceil(${input.scale_requirements.max_replicas} max replicas × ${input.cost.expected_load_fraction} load / ${input.scale_requirements.target_gpu_utilization} target GPU utilization), within [${input.scale_requirements.min_replicas}, ${input.scale_requirements.max_replicas}]; the worst case runs max_replicas, each with ${input.model_server.gpus_per_replica} GPU(s).`,
      `Pool ${size.node_pool} runs the workload's pods packed onto its nodes (at least min_nodes); other pools run their min_nodes, which nothing in this plan scales.`,
      "Spot pools are priced at the table's spot price (scaled to a live on-demand price where there is one); spot prices move hourly.",
      ...(input.cloud_provider === "aws"
        ? [
            "On EKS the workload pool's worst case is the dearest instance type its Karpenter NodePools admit (fallback types included), at the on-demand price they fall back to.",
          ]
        : []),
      `Scheduled scaling assumes ${input.cost.business_hours_per_week} busy hours in a 168-hour week.`,
      "Savings of different recommendations overlap and are not additive.",
    ],
    node_pools: pools,
    totals: {
      minimum: sum("minimum", "monthly"),
      expected: sum("expected", "monthly"),
      maximum: sum("maximum", "monthly"),
    },
    gpu_hours: {
      minimum: sum("minimum", "gpu_hours"),
      expected: sum("expected", "gpu_hours"),
      maximum: sum("maximum", "gpu_hours"),
    },
    recommendations: recommend(input, pools, hours, table.commitmentDiscount1yr, prices),
  };
}

/** Share of a pool that can run on spot: interruptible work fully (with checkpoints), serving only above its floor. */
function spotShare(pool: NodePool): number {
  const workload = pool.labels["workload-type"];
  return workload === "inference" || workload === "streaming" ? 0.5 : 1;
}

function recommend(
  input: PlanInput,
  pools: PoolCost[],
  hours: number,
  commitmentDiscount: number,
  prices: PriceList | null,
): CostRecommendation[] {
  const byName = new Map(input.node_pools.map((p) => [p.name, p]));

  const spotPools = pools.filter(
    (p) => p.capacity_type === "on_demand" && mustPrice(input, p.instance_type, prices).spotHourly !== null,
  );
  const spotSavings = spotPools.map((p) => {
    const price = mustPrice(input, p.instance_type, prices);
    return (
      (price.onDemandHourly - (price.spotHourly ?? price.onDemandHourly)) *
      p.scenarios.expected.nodes *
      hours *
      spotShare(byName.get(p.node_pool)!)
    );
  });

  // Right-sizing: the cheapest listed type with the same GPU model and at least the GPUs the workload asks per node.
  const needed = (pool: NodePool) =>
    pool.labels["workload-type"] === "training" ? input.training.gpus_per_node : input.model_server.gpus_per_replica;
  const rightSized = pools.flatMap((p) => {
    const pool = byName.get(p.node_pool)!;
    const current = mustPrice(input, p.instance_type, prices);
    if (current.gpuCount === 0 || !current.gpuType) return [];
    const cheaper = priceTable(input.cloud_provider)
      .instances.map((i) => mustPrice(input, i.instanceType, prices))
      .filter(
        (i) => i.gpuType === current.gpuType && i.gpuCount >= needed(pool) && i.onDemandHourly < current.onDemandHourly,
      )
      .sort((a, b) => a.onDemandHourly - b.onDemandHourly)[0];
    if (!cheaper) return [];
    return [
      {
        pool: p.node_pool,
        to: cheaper.instanceType,
        savings: (p.hourly_per_node - hourlyOf(cheaper, pool)) * p.scenarios.expected.nodes * hours,
      },
    ];
  });

  const reservedPools = pools.filter((p) => p.capacity_type === "on_demand" && p.scenarios.minimum.nodes > 0);
  const reservedSavings = reservedPools.reduce((acc, p) => acc + p.scenarios.minimum.monthly * commitmentDiscount, 0);

  const offHoursFraction = (168 - input.cost.business_hours_per_week) / 168;
  const scheduledPools = pools.filter(
    (p) =>
      byName.get(p.node_pool)!.labels["workload-type"] !== "training" &&
      p.scenarios.expected.nodes > p.scenarios.minimum.nodes,
  );
  const scheduledSavings = scheduledPools.reduce(
    (acc, p) =>
      acc + (p.scenarios.expected.nodes - p.scenarios.minimum.nodes) * p.hourly_per_node * hours * offHoursFraction,
    0,
  );

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
      detail: rightSized.length
        ? rightSized.map((r) => `${r.pool}: move to ${r.to}`).join("; ")
        : "Every GPU pool already uses the cheapest listed type with enough GPUs of its model.",
      monthly_savings: round2(rightSized.reduce((a, r) => a + r.savings, 0)),
      node_pools: rightSized.map((r) => r.pool),
    },
    {
      kind: "reserved_capacity",
      applicable: reservedSavings > 0,
      title: "Commit to the always-on baseline",
      detail:
        commitmentDiscount > 0
          ? `A 1-year commitment for the minimum nodes of on-demand pools at about ${Math.round(commitmentDiscount * 100)}% off.`
          : "No commitment discount applies to this cloud.",
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
