// Pure notes on a plan's cost rows, so the table says why a figure is what it is.
import type { CostEstimate, PoolCost } from "@/lib/plans/estimate-cost";

/**
 * Why a pool the workload does not use has a worst case above its expected nodes: its autoscaler may grow it to
 * max_nodes, and the worst case prices that. Null when the worst case adds nothing (or the pool is the workload's,
 * whose worst case follows max replicas and is explained in the assumptions).
 */
export function worstCaseNote(cost: Pick<CostEstimate, "workload">, pool: PoolCost): string | null {
  const { expected, maximum } = pool.scenarios;
  if (pool.node_pool === cost.workload.node_pool || maximum.nodes <= expected.nodes) return null;
  return `Worst case: the autoscaler may grow it to ${maximum.nodes} nodes (${maximum.monthly.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 })}/month).`;
}
