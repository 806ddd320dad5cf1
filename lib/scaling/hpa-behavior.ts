// The HPA's `behavior` handling, as kubernetes/pkg/controller/podautoscaler/horizontal.go does it
// (normalizeDesiredReplicasWithBehaviors and the functions it calls). Time is seconds on the simulation clock.
import { kubernetesDefaultScaleDown, kubernetesDefaultScaleUp } from "@/lib/k8s/hpa-behavior-defaults";
import type { ScalingPolicy, ScalingProfile, ScalingRules } from "./schema";

export interface ResolvedRules {
  stabilizationWindowSeconds: number;
  policies: ScalingPolicy[];
  selectPolicy: "Max" | "Min" | "Disabled";
}
export interface ResolvedBehavior {
  scaleUp: ResolvedRules;
  scaleDown: ResolvedRules;
}

// Each field missing from a user's rules is filled from Kubernetes' defaults, as the API server's defaulting
// does; the plan schema (lib/plans/schema.ts) fills a plan's behavior from the very same constants.
const defaultScaleUp: ResolvedRules = kubernetesDefaultScaleUp;
const defaultScaleDown: ResolvedRules = kubernetesDefaultScaleDown;

function resolveRules(rules: ScalingRules | undefined, defaults: ResolvedRules): ResolvedRules {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    policies: rules?.policies ?? defaults.policies,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
  };
}

export function resolveBehavior(behavior: ScalingProfile["behavior"]): ResolvedBehavior {
  return {
    scaleUp: resolveRules(behavior?.scaleUp, defaultScaleUp),
    scaleDown: resolveRules(behavior?.scaleDown, defaultScaleDown),
  };
}

interface TimestampedRecommendation {
  time: number;
  replicas: number;
}
interface TimestampedScaleEvent {
  time: number;
  change: number;
}

// The controller's per-HPA memory: a.recommendations, a.scaleUpEvents, a.scaleDownEvents.
export interface HpaMemory {
  // null until the first sync that computes a recommendation.
  recommendations: TimestampedRecommendation[] | null;
  scaleUpEvents: TimestampedScaleEvent[];
  scaleDownEvents: TimestampedScaleEvent[];
}

export function createHpaMemory(): HpaMemory {
  return { recommendations: null, scaleUpEvents: [], scaleDownEvents: [] };
}

// maybeInitScaleDownStabilizationWindow: the first recommendation is the current count, so that a new HPA
// does not scale down before one window has passed.
function maybeInitScaleDownStabilizationWindow(
  memory: HpaMemory,
  now: number,
  currentReplicas: number,
): TimestampedRecommendation[] {
  memory.recommendations ??= [{ time: now, replicas: currentReplicas }];
  return memory.recommendations;
}

// stabilizeRecommendationWithBehaviors: the scale-up limit is the minimum and the scale-down limit the
// maximum of the recommendations strictly newer than each window's cutoff (and the new one); the current
// count is moved only as far as both allow. The unstabilized recommendation is what gets remembered.
export function stabilizeRecommendation(
  memory: HpaMemory,
  now: number,
  currentReplicas: number,
  desired: number,
  behavior: ResolvedBehavior,
): number {
  const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds;
  const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds;
  let upRecommendation = desired;
  let downRecommendation = desired;
  const recommendations = maybeInitScaleDownStabilizationWindow(memory, now, currentReplicas);
  for (const rec of recommendations) {
    if (rec.time > upCutoff) upRecommendation = Math.min(upRecommendation, rec.replicas);
    if (rec.time > downCutoff) downRecommendation = Math.max(downRecommendation, rec.replicas);
  }
  let recommendation = currentReplicas;
  if (recommendation < upRecommendation) recommendation = upRecommendation;
  if (recommendation > downRecommendation) recommendation = downRecommendation;
  // The controller overwrites one sample older than both cutoffs; dropping them all is equivalent.
  const oldest = Math.min(upCutoff, downCutoff);
  const kept = recommendations.filter((r) => r.time >= oldest);
  kept.push({ time: now, replicas: desired });
  memory.recommendations = kept;
  return recommendation;
}

// getReplicasChangePerPeriod: replicas added (or removed) by events strictly newer than now - period.
function replicasChangedInPeriod(events: readonly TimestampedScaleEvent[], now: number, periodSeconds: number): number {
  const cutoff = now - periodSeconds;
  let change = 0;
  for (const e of events) if (e.time > cutoff) change += e.change;
  return change;
}

// calculateScaleUpLimitWithScalingRules: each policy allows growth from the count at the start of its period;
// Max takes the most permissive policy, Min the least, Disabled forbids scaling up.
export function calculateScaleUpLimit(
  currentReplicas: number,
  memory: HpaMemory,
  now: number,
  rules: ResolvedRules,
): number {
  if (rules.selectPolicy === "Disabled") return currentReplicas;
  let result = rules.selectPolicy === "Min" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const policy of rules.policies) {
    const added = replicasChangedInPeriod(memory.scaleUpEvents, now, policy.periodSeconds);
    const deleted = replicasChangedInPeriod(memory.scaleDownEvents, now, policy.periodSeconds);
    const periodStartReplicas = currentReplicas - added + deleted;
    // Percent rounds up so that a small deployment can always grow.
    const proposed =
      policy.type === "Pods"
        ? periodStartReplicas + policy.value
        : Math.ceil(periodStartReplicas * (1 + policy.value / 100));
    result = rules.selectPolicy === "Min" ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

// calculateScaleDownLimitWithBehaviors: the mirror image; Percent truncates (int32 conversion), Max picks
// the policy allowing the lowest count.
export function calculateScaleDownLimit(
  currentReplicas: number,
  memory: HpaMemory,
  now: number,
  rules: ResolvedRules,
): number {
  if (rules.selectPolicy === "Disabled") return currentReplicas;
  let result = rules.selectPolicy === "Min" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies) {
    const added = replicasChangedInPeriod(memory.scaleUpEvents, now, policy.periodSeconds);
    const deleted = replicasChangedInPeriod(memory.scaleDownEvents, now, policy.periodSeconds);
    const periodStartReplicas = currentReplicas - added + deleted;
    const proposed =
      policy.type === "Pods"
        ? periodStartReplicas - policy.value
        : Math.trunc(periodStartReplicas * (1 - policy.value / 100));
    result = rules.selectPolicy === "Min" ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

export interface NormalizationArgs {
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
}

// convertDesiredReplicasWithBehaviorRate: clamp a stabilized recommendation to the rate limits and to
// min/max replicas (a scale up never exceeds max, a scale down never goes under min).
export function limitByBehaviorRate(
  memory: HpaMemory,
  now: number,
  args: NormalizationArgs,
  behavior: ResolvedBehavior,
): number {
  const { currentReplicas, desiredReplicas } = args;
  if (desiredReplicas > currentReplicas) {
    const scaleUpLimit = Math.max(
      currentReplicas,
      calculateScaleUpLimit(currentReplicas, memory, now, behavior.scaleUp),
    );
    const maximumAllowed = Math.min(args.maxReplicas, scaleUpLimit);
    return Math.min(maximumAllowed, desiredReplicas);
  }
  if (desiredReplicas < currentReplicas) {
    const scaleDownLimit = Math.min(
      currentReplicas,
      calculateScaleDownLimit(currentReplicas, memory, now, behavior.scaleDown),
    );
    const minimumAllowed = Math.max(args.minReplicas, scaleDownLimit);
    return Math.max(minimumAllowed, desiredReplicas);
  }
  return desiredReplicas;
}

// normalizeDesiredReplicasWithBehaviors: stabilize, then rate-limit.
export function normalizeDesiredReplicas(
  memory: HpaMemory,
  now: number,
  args: NormalizationArgs,
  behavior: ResolvedBehavior,
): number {
  const stabilized = stabilizeRecommendation(memory, now, args.currentReplicas, args.desiredReplicas, behavior);
  return limitByBehaviorRate(memory, now, { ...args, desiredReplicas: stabilized }, behavior);
}

// storeScaleEvent with markScaleEventsOutdated: events older than the direction's longest policy period
// are outdated and the first outdated slot is reused for the new event. Outdated events still count for
// the other direction's periods until they are overwritten, as in the controller.
export function storeScaleEvent(
  memory: HpaMemory,
  now: number,
  previous: number,
  next: number,
  behavior: ResolvedBehavior,
): void {
  if (next === previous) return;
  const up = next > previous;
  const rules = up ? behavior.scaleUp : behavior.scaleDown;
  const cutoff = now - Math.max(...rules.policies.map((p) => p.periodSeconds));
  const events = up ? memory.scaleUpEvents : memory.scaleDownEvents;
  const event = { time: now, change: Math.abs(next - previous) };
  const outdated = events.findIndex((e) => e.time < cutoff);
  if (outdated >= 0) events[outdated] = event;
  else events.push(event);
}

// Without `behavior` (KEDA passes none when the ScaledObject has no advanced.horizontalPodAutoscalerConfig.behavior,
// and the API server defaults only a behavior that is present) the controller takes its legacy path,
// normalizeDesiredReplicas: the largest recommendation of the last --horizontal-pod-autoscaler-downscale-stabilization
// (5 min), then convertDesiredReplicasWithRules: growth to at most max(2 x current, 4), no limit on shrinking.
export const legacyDownscaleStabilizationSeconds = 300;

export function normalizeDesiredReplicasLegacy(memory: HpaMemory, now: number, args: NormalizationArgs): number {
  const cutoff = now - legacyDownscaleStabilizationSeconds;
  // Samples older than the cutoff no longer count (the controller overwrites one of them; dropping all is equivalent).
  const recent = (memory.recommendations ?? []).filter((r) => r.time >= cutoff);
  let stabilized = args.desiredReplicas;
  for (const r of recent) if (r.replicas > stabilized) stabilized = r.replicas;
  recent.push({ time: now, replicas: args.desiredReplicas });
  memory.recommendations = recent;
  const scaleUpLimit = Math.max(2 * args.currentReplicas, 4);
  const maximumAllowed = Math.min(args.maxReplicas, scaleUpLimit);
  if (stabilized < args.minReplicas) return args.minReplicas;
  if (stabilized > maximumAllowed) return maximumAllowed;
  return stabilized;
}
