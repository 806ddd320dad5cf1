// Between scaling profiles and the plan engine's input (lib/plans/schema.ts): the request form pre-fills a
// plan from a recommended profile, and simulates the plan's current values as a profile. The plan's
// ScaledObject (lib/plans/build-scaled-object.ts) always has the three inference triggers, and the leading
// indicators the profile has, with the metric types below; what a profile says beyond that is listed, not silently dropped. The HPA behavior is carried
// as the simulator resolves it (every field filled with Kubernetes' defaults), so what the plan deploys is
// what was simulated; a behavior equal to the reference design's is left out, which deploys the same thing.
import { hpaBehaviorSchema, referenceInferenceBehavior, type PlanHpaBehavior } from "@/lib/plans/hpa-behavior-schema";
import type { PlanInput } from "@/lib/plans/schema";
import { resolveBehavior } from "./hpa-behavior";
import { scalingProfileSchema, type ScalingProfile, type TriggerType } from "./schema";

export interface PlanScalingFields {
  scale_requirements: Pick<PlanInput["scale_requirements"], "min_replicas" | "max_replicas" | "target_gpu_utilization">;
  autoscaling: Pick<
    PlanInput["autoscaling"],
    | "queue_depth_threshold"
    | "latency_p99_ms_threshold"
    | "polling_interval_seconds"
    | "cooldown_seconds"
    | "behavior"
    | "concurrency_per_replica_threshold"
    | "arrival_rate_per_replica_threshold"
    | "kv_cache_usage_percent_threshold"
  >;
}

export interface ProfilePlanMapping {
  fields: PlanScalingFields;
  // Parts of the profile the plan cannot express, each naming the field and what the plan does instead.
  notRepresented: string[];
}

// The plan engine's limits (lib/plans/schema.ts): a threshold at its maximum never fires, which is how a
// trigger the profile does not have is left out of effect.
const planLimits = { queueMax: 1_000_000, latencyMax: 600_000, pollingMin: 5 };
const planMetricTypes: Record<TriggerType, "AverageValue" | "Value"> = {
  queue_depth: "AverageValue",
  gpu_utilization: "Value",
  p99_latency_ms: "Value",
  concurrency_per_replica: "AverageValue",
  arrival_rate_per_replica: "AverageValue",
  kv_cache_usage_percent: "Value",
};

export function profileToPlanInput(profile: ScalingProfile): ProfilePlanMapping {
  const notRepresented: string[] = [];
  const trigger = (type: TriggerType) => profile.triggers.find((t) => t.type === type);
  const queue = trigger("queue_depth");
  const gpu = trigger("gpu_utilization");
  const latency = trigger("p99_latency_ms");
  for (const t of profile.triggers) {
    if (t.metricType && t.metricType !== planMetricTypes[t.type]) {
      notRepresented.push(`triggers.${t.type}.metricType ${t.metricType}: the plan uses ${planMetricTypes[t.type]}`);
    }
    if (t.activationThreshold)
      notRepresented.push(
        `triggers.${t.type}.activationThreshold ${t.activationThreshold}: the plan activates above 0`,
      );
  }
  if (!queue)
    notRepresented.push(
      `triggers.queue_depth absent: the plan keeps it with threshold ${planLimits.queueMax}, which only wakes the deployment from zero`,
    );
  if (!gpu)
    notRepresented.push(
      "triggers.gpu_utilization absent: the plan keeps it at 100 %, which never asks for more replicas",
    );
  if (!latency)
    notRepresented.push(
      `triggers.p99_latency_ms absent: the plan keeps it at ${planLimits.latencyMax} ms, which never fires`,
    );
  const gpuPercent = gpu ? Math.round(gpu.threshold) : 100;
  if (gpu && gpuPercent !== gpu.threshold)
    notRepresented.push(
      `triggers.gpu_utilization.threshold ${gpu.threshold}: the plan takes whole percent (${gpuPercent})`,
    );
  if (profile.pollingInterval < planLimits.pollingMin) {
    notRepresented.push(`pollingInterval ${profile.pollingInterval}: the plan's minimum is ${planLimits.pollingMin} s`);
  }
  const behavior = planBehaviorFor(profile);
  if (!behavior.ok) notRepresented.push(behavior.note);
  if (!profile.behavior) notRepresented.push(noBehaviorNote);
  return {
    fields: {
      scale_requirements: {
        min_replicas: profile.minReplicas,
        max_replicas: profile.maxReplicas,
        target_gpu_utilization: gpuPercent / 100,
      },
      autoscaling: {
        queue_depth_threshold: queue
          ? Math.min(planLimits.queueMax, Math.max(1, Math.round(queue.threshold)))
          : planLimits.queueMax,
        latency_p99_ms_threshold: latency
          ? Math.min(planLimits.latencyMax, Math.max(1, Math.round(latency.threshold)))
          : planLimits.latencyMax,
        polling_interval_seconds: Math.max(planLimits.pollingMin, profile.pollingInterval),
        cooldown_seconds: profile.cooldownPeriod,
        behavior: behavior.ok ? behavior.behavior : undefined,
        // Optional in the plan: a trigger the profile does not have is left out of the ScaledObject.
        concurrency_per_replica_threshold: trigger("concurrency_per_replica")?.threshold,
        arrival_rate_per_replica_threshold: trigger("arrival_rate_per_replica")?.threshold,
        kv_cache_usage_percent_threshold: trigger("kv_cache_usage_percent")?.threshold,
      },
    },
    notRepresented,
  };
}

// Without behavior the HPA takes its legacy path, which no behavior reproduces; the plan always states one.
export const noBehaviorNote =
  "behavior absent: the simulated HPA used its legacy rule (up to max(2 x current, 4) per sync, 5-minute stabilization down); the plan states Kubernetes' default behavior instead (Pods 4 or 100 % per 15 s up)";

// The profile a plan's ScaledObject amounts to, for simulating the form's current values.
export function profileFromPlanInput(plan: PlanScalingFields, name = "current"): ScalingProfile {
  return scalingProfileSchema.parse({
    name,
    minReplicas: plan.scale_requirements.min_replicas,
    maxReplicas: plan.scale_requirements.max_replicas,
    pollingInterval: plan.autoscaling.polling_interval_seconds,
    cooldownPeriod: plan.autoscaling.cooldown_seconds,
    triggers: [
      { type: "queue_depth", threshold: plan.autoscaling.queue_depth_threshold, metricType: "AverageValue" },
      {
        type: "gpu_utilization",
        threshold: Math.round(plan.scale_requirements.target_gpu_utilization * 100),
        metricType: "Value",
      },
      { type: "p99_latency_ms", threshold: plan.autoscaling.latency_p99_ms_threshold, metricType: "Value" },
      ...leading(plan),
    ],
    behavior: plan.autoscaling.behavior ?? referenceInferenceBehavior,
  });
}

function leading(plan: PlanScalingFields): ScalingProfile["triggers"] {
  const a = plan.autoscaling;
  const set = [
    ["concurrency_per_replica", a.concurrency_per_replica_threshold],
    ["arrival_rate_per_replica", a.arrival_rate_per_replica_threshold],
    ["kv_cache_usage_percent", a.kv_cache_usage_percent_threshold],
  ] as const;
  return set.flatMap(([type, threshold]) =>
    threshold === undefined ? [] : [{ type, threshold, metricType: planMetricTypes[type] }],
  );
}

// The plan's autoscaling.behavior for a profile: undefined when the profile behaves as the reference design
// (the plan's default), else the behavior as the HPA would resolve it. A behavior outside the plan's limits
// (more than 10 policies in a direction) cannot be carried: the note says so and the plan keeps the reference.
function planBehaviorFor(
  profile: ScalingProfile,
): { ok: true; behavior: PlanHpaBehavior | undefined } | { ok: false; note: string } {
  const resolved = resolveBehavior(profile.behavior);
  if (JSON.stringify(resolved) === JSON.stringify(resolveBehavior(referenceInferenceBehavior)))
    return { ok: true, behavior: undefined };
  const parsed = hpaBehaviorSchema.safeParse(resolved);
  if (parsed.success) return { ok: true, behavior: parsed.data };
  return { ok: false, note: `behavior: ${parsed.error.issues[0]!.message}; the plan keeps the reference behavior` };
}
