// One ScaledObject at work: KEDA's scale loop (activation, 0 <-> 1, cooldown) and the HPA KEDA creates
// (per-trigger proposals, behavior, min/max). Both act on the replica count; the caller applies it.
import {
  createHpaMemory,
  normalizeDesiredReplicas,
  normalizeDesiredReplicasLegacy,
  resolveBehavior,
  storeScaleEvent,
  type HpaMemory,
  type ResolvedBehavior,
} from "./hpa-behavior";
import { proposeReplicas } from "./hpa-replica-calculator";
import { defaultMetricType, type ScalingProfile, type TriggerType } from "./schema";

// --horizontal-pod-autoscaler-sync-period
export const hpaSyncPeriodSeconds = 15;

export type TriggerMetrics = Record<TriggerType, number>;

export class Autoscaler {
  // null: the profile has no behavior, so the HPA KEDA creates has none and the controller takes its legacy path.
  private readonly behavior: ResolvedBehavior | null;
  private readonly memory: HpaMemory = createHpaMemory();
  // KEDA's status.lastActiveTime. The deployment is taken to have been active when the window opens.
  private lastActiveTime: number;

  constructor(
    private readonly profile: ScalingProfile,
    startTime: number,
  ) {
    this.behavior = profile.behavior ? resolveBehavior(profile.behavior) : null;
    this.lastActiveTime = startTime;
  }

  // KEDA creates the HPA with minReplicas = max(minReplicaCount, 1) and handles 0 <-> 1 itself.
  get hpaMinReplicas(): number {
    return Math.max(1, this.profile.minReplicas);
  }

  // KEDA's scale loop every pollingInterval (pkg/scaling/executor/scale_scaledobjects.go, RequestScale).
  // A scaler is active when its metric is above activationThreshold (0 by default). Returns the new count
  // or null for no change.
  kedaPoll(now: number, currentReplicas: number, metrics: TriggerMetrics): number | null {
    const isActive = this.profile.triggers.some((t) => metrics[t.type] > (t.activationThreshold ?? 0));
    const minReplicaCount = this.profile.minReplicas;
    if (isActive) {
      this.lastActiveTime = now;
      // scaleFromZeroOrIdle: to minReplicaCount when above 0, otherwise to 1; the HPA takes it from there.
      if (currentReplicas === 0) return minReplicaCount > 0 ? minReplicaCount : 1;
      return null;
    }
    // scaleToZeroOrIdle: only with minReplicaCount 0, and only once cooldownPeriod has passed since the
    // last active poll.
    if (currentReplicas > 0 && minReplicaCount === 0) {
      return this.lastActiveTime + this.profile.cooldownPeriod < now ? 0 : null;
    }
    if (currentReplicas < minReplicaCount) return minReplicaCount;
    return null;
  }

  // The HPA's reconcileAutoscaler (pkg/controller/podautoscaler/horizontal.go) for one sync. readyPods is what
  // getUsageRatioReplicaCount multiplies a Value target's ratio by. Metrics that are NaN could not be read.
  // Returns the new count or null for no change.
  hpaSync(now: number, currentReplicas: number, metrics: TriggerMetrics, readyPods = currentReplicas): number | null {
    const minReplicas = this.hpaMinReplicas;
    const maxReplicas = this.profile.maxReplicas;
    let desired: number;
    if (currentReplicas === 0) {
      // "scaling is disabled since the replica count of the target is zero": KEDA owns 0 <-> 1.
      return null;
    } else if (currentReplicas > maxReplicas) {
      desired = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      desired = minReplicas;
    } else {
      const proposals = this.profile.triggers.map((t) => ({
        metric: metrics[t.type],
        threshold: t.threshold,
        metricType: t.metricType ?? defaultMetricType[t.type],
      }));
      const metricDesired = proposeReplicas(proposals, currentReplicas, readyPods);
      // The metrics could not be computed: the controller records the failure and leaves the count as it is.
      if (metricDesired === null) return null;
      const args = { currentReplicas, desiredReplicas: metricDesired, minReplicas, maxReplicas };
      desired = this.behavior
        ? normalizeDesiredReplicas(this.memory, now, args, this.behavior)
        : normalizeDesiredReplicasLegacy(this.memory, now, args);
    }
    if (desired === currentReplicas) return null;
    if (this.behavior) storeScaleEvent(this.memory, now, currentReplicas, desired, this.behavior);
    return desired;
  }
}
