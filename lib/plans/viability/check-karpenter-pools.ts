// A node pool with fallback GPU models becomes several Karpenter NodePools (one per model). Karpenter tries them in
// weight order and bounds each by its own limits only: equal weights let it pick the fallback before the primary,
// and limits that each allow the whole pool let the NodePools together grow past the requested max_nodes.
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
    // The requested maximum in capacity: max_nodes above the managed floor, of the largest type the pool may launch.
    const burst = Math.max(0, pool.maxNodes - (pool.minNodes ?? 0));
    const shapes = group.flatMap((p) => p.nodeShapes ?? []);
    if (shapes.length === 0) continue;
    const over = resources.flatMap((r) => {
      const allowed = burst * Math.max(...shapes.map((s) => s[r.per]));
      if (allowed === 0 && r.key === "gpus") return [];
      const limits = group.map((p) => p.limits?.[r.key]);
      if (limits.some((l) => l === undefined))
        return [
          `${r.limit} is unlimited on ${group
            .filter((_, i) => limits[i] === undefined)
            .map((p) => p.source)
            .join(", ")}`,
        ];
      const sum = limits.reduce((a, b) => a! + b!, 0)!;
      return sum > allowed ? [`${r.limit} limits add up to ${Math.round(sum)} ${r.unit}, above ${allowed}`] : [];
    });
    if (over.length > 0) {
      findings.push(
        viabilityFinding(
          "viability.fallback-pool-limits",
          primary.karpenter!,
          "spec.limits",
          `${pool.source} asks for at most ${pool.maxNodes} nodes (${burst} above its floor), but its NodePools ${group.map((p) => p.name).join(", ")} are each bounded only by their own limits: ${over.join("; ")}. Together they can launch more than the requested maximum.`,
          `Split the pool's maximum between its NodePools: spec.limits (cpu, memory, nvidia.com/gpu) that add up to ${burst} nodes of the largest type, the primary's share the largest.`,
        ),
      );
    }
  }
  return findings;
}
