// A node pool with fallback GPU models becomes several Karpenter NodePools (one per model). Karpenter tries them in
// weight order and bounds each by its own limits only: equal weights let it pick the fallback before the primary;
// the primary needs limits for the whole pool, and no NodePool should be allowed more than the pool's max_nodes.
import type { SecurityFinding } from "@/lib/security/types";
import { viabilityFinding } from "./catalog";
import type { PoolFact } from "./facts";

/** The NodePools a plan's node pool became: the one named after it, then its `<name>-<model>` fallbacks. */
function nodePoolsOf(pool: PoolFact, karpenter: readonly PoolFact[]): PoolFact[] {
  const primary = karpenter.find((k) => k.name === pool.name);
  if (!primary) return [];
  return [primary, ...karpenter.filter((k) => k.name.startsWith(`${pool.name}-`) && k !== primary)];
}

const resources = [
  { key: "cpu", limit: "cpu", per: "vcpu", unit: "cores" },
  { key: "memoryGib", limit: "memory", per: "memoryGib", unit: "GiB" },
  { key: "gpus", limit: "nvidia.com/gpu", per: "gpus", unit: "GPUs" },
] as const;

export function checkKarpenterFallbacks(
  inputPools: readonly PoolFact[],
  karpenter: readonly PoolFact[],
): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pool of inputPools) {
    const group = nodePoolsOf(pool, karpenter);
    if (group.length < 2 || pool.maxNodes === undefined) continue;
    const [primary, ...fallbacks] = group as [PoolFact, ...PoolFact[]];
    const weights = group.map((p) => p.weight ?? 0);
    if (new Set(weights).size < weights.length || fallbacks.some((f) => (f.weight ?? 0) >= (primary.weight ?? 0))) {
      findings.push(
        viabilityFinding(
          "viability.fallback-pool-order",
          primary.karpenter!,
          "spec.weight",
          `The NodePools of ${pool.source} have weights ${group.map((p) => `${p.name}=${p.weight ?? 0}`).join(", ")}: Karpenter orders NodePools only by weight, so with equal or higher fallback weights it may launch a fallback model while the primary is available.`,
          `Give ${primary.source} the highest spec.weight and each fallback a distinct lower one, in order of preference.`,
        ),
      );
    }
    // The requested maximum in capacity: max_nodes above the managed floor, of the NodePool's own largest type.
    const burst = Math.max(0, pool.maxNodes - (pool.minNodes ?? 0));
    for (const nodePool of group) {
      const shapes = nodePool.nodeShapes ?? [];
      if (shapes.length === 0) continue;
      const over = resources.flatMap((r) => {
        const allowed = burst * Math.max(...shapes.map((s) => s[r.per]));
        if (allowed === 0 && r.key === "gpus") return [];
        const limit = nodePool.limits?.[r.key];
        if (limit === undefined) return [`${r.limit} is unlimited`];
        return limit > allowed ? [`${r.limit} ${Math.round(limit)} ${r.unit} > ${allowed}`] : [];
      });
      if (over.length > 0) {
        findings.push(
          viabilityFinding(
            "viability.fallback-pool-limits",
            nodePool.karpenter!,
            "spec.limits",
            `${pool.source} asks for at most ${pool.maxNodes} nodes (${burst} above its floor), but ${nodePool.source} may launch more of its own types: ${over.join("; ")}.`,
            `Bound ${nodePool.source}'s spec.limits (cpu, memory, nvidia.com/gpu) to ${burst} nodes of its largest type.`,
          ),
        );
      }
    }
    // The primary alone must reach the requested maximum: a share of it leaves the pool's own model short.
    const primaryShape = primary.nodeShapes?.[0];
    if (primaryShape) {
      const short = resources.flatMap((r) => {
        const needed = burst * primaryShape[r.per];
        const limit = primary.limits?.[r.key];
        return limit !== undefined && limit < needed ? [`${r.limit} ${Math.round(limit)} ${r.unit} < ${needed}`] : [];
      });
      if (short.length > 0) {
        findings.push(
          viabilityFinding(
            "viability.primary-pool-capped",
            primary.karpenter!,
            "spec.limits",
            `${pool.source} asks for up to ${pool.maxNodes} nodes of ${primaryShape.instanceType}, but its primary NodePool ${primary.source} stops short of ${burst} above the floor: ${short.join("; ")}. The rest of a job sized to the pool waits for a fallback model (${fallbacks.map((f) => f.name).join(", ")}) or stays Pending.`,
            `Let ${primary.source}'s spec.limits allow ${burst} nodes of ${primaryShape.instanceType}; give each fallback NodePool a limit of its own instead of a share of the primary's.`,
          ),
        );
      }
    }
  }
  return findings;
}
