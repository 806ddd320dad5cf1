// All recommendation rules over the analysed window, largest savings first.
import { groupWorkloads, type ComputedRecommendation, type RecommendationContext } from "./recommendation-types";
import { reservedCapacityRecommendations, scheduledScalingRecommendations, spotRecommendations } from "./recommend-commitments";
import { consolidationRecommendations, idleRecommendations, rightSizingRecommendations } from "./recommend-waste";
import { HOUR_MS } from "./schema";

export function computeRecommendations(ctx: RecommendationContext): ComputedRecommendation[] {
  const since = ctx.now - (ctx.windowDays ?? 30) * 24 * HOUR_MS;
  const workloads = groupWorkloads(ctx.rows.filter((r) => r.hour >= since && r.hour < ctx.now));
  const idle = idleRecommendations(workloads, ctx);
  // Advice on a workload that should simply be released would double-count its savings.
  const released = new Set(idle.map((r) => `${r.resources[0].team}|${r.resources[0].workloadType}|${r.resources[0].nodePool}|${r.resources[0].instanceType}|${r.resources[0].capacityType}`));
  const active = workloads.filter((w) => !released.has(w.key));
  return [
    ...idle,
    ...spotRecommendations(active, ctx),
    ...rightSizingRecommendations(active, ctx),
    ...reservedCapacityRecommendations(active, ctx),
    ...scheduledScalingRecommendations(active, ctx),
    ...consolidationRecommendations(workloads, ctx),
  ].sort((a, b) => b.projectedSavingsUsd - a.projectedSavingsUsd || a.fingerprint.localeCompare(b.fingerprint));
}
