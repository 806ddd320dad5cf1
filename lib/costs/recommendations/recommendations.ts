// All recommendation rules over the analysed window, largest savings first.
import {
  groupWorkloads,
  workloadKey,
  type ComputedRecommendation,
  type RecommendationContext,
} from "./recommendation-types";
import {
  reservedCapacityRecommendations,
  scheduledScalingRecommendations,
  spotRecommendations,
} from "./recommend-commitments";
import { consolidationRecommendations, idleRecommendations, rightSizingRecommendations } from "./recommend-waste";
import { HOUR_MS } from "@/lib/costs/schema";

export function computeRecommendations(ctx: RecommendationContext): ComputedRecommendation[] {
  const since = ctx.now - (ctx.windowDays ?? 30) * 24 * HOUR_MS;
  const workloads = groupWorkloads(ctx.rows.filter((r) => r.hour >= since && r.hour < ctx.now));
  const idle = idleRecommendations(workloads, ctx);
  // Advice on a workload that should simply be released would double-count its savings.
  const released = workloadsNamedBy(idle);
  const active = workloads.filter((w) => !released.has(w.key));
  const rightSizing = rightSizingRecommendations(active, ctx);
  // A commitment to the instance type right-sizing moves a workload off would be left unused once the move is made.
  const moving = workloadsNamedBy(rightSizing);
  return [
    ...idle,
    ...spotRecommendations(active, ctx),
    ...rightSizing,
    ...reservedCapacityRecommendations(
      active.filter((w) => !moving.has(w.key)),
      ctx,
    ),
    ...scheduledScalingRecommendations(active, ctx),
    ...consolidationRecommendations(workloads, ctx),
  ].sort((a, b) => b.projectedSavingsUsd - a.projectedSavingsUsd || a.fingerprint.localeCompare(b.fingerprint));
}

/** The workloads of single-workload advice (idle, right-sizing), by workload key. */
function workloadsNamedBy(recs: readonly ComputedRecommendation[]): Set<string> {
  return new Set(recs.flatMap((r) => (r.resources[0] ? [workloadKey(r.resources[0])] : [])));
}
