import { describe, expect, it } from "vitest";
import { planInputSchema } from "@/lib/plans/schema";
import { profileFromPlanInput, profileToPlanInput } from "./profile-to-plan-input";
import { referenceProfile, scalingProfileSchema } from "./schema";

describe("profileToPlanInput", () => {
  it("maps the reference preset onto the plan's fields with nothing left out", () => {
    const { fields, notRepresented } = profileToPlanInput(referenceProfile);
    expect(fields).toEqual({
      scale_requirements: { min_replicas: 2, max_replicas: 100, target_gpu_utilization: 0.8 },
      autoscaling: { queue_depth_threshold: 100, latency_p99_ms_threshold: 200, polling_interval_seconds: 15, cooldown_seconds: 60 },
    });
    expect(notRepresented).toEqual([]);
  });

  it("turns a recommended profile into a valid plan request and lists what the plan cannot say", () => {
    const recommended = scalingProfileSchema.parse({
      name: "recommended",
      minReplicas: 5,
      maxReplicas: 16,
      triggers: [
        { type: "gpu_utilization", threshold: 90 },
        { type: "queue_depth", threshold: 1 },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 180 } },
    });
    const { fields, notRepresented } = profileToPlanInput(recommended);
    expect(fields.scale_requirements.target_gpu_utilization).toBe(0.9);
    expect(fields.autoscaling.queue_depth_threshold).toBe(1);
    expect(fields.autoscaling.latency_p99_ms_threshold).toBe(600_000);
    expect(notRepresented.some((m) => m.startsWith("triggers.p99_latency_ms absent"))).toBe(true);
    expect(notRepresented.some((m) => m.startsWith("behavior:"))).toBe(true);
    const plan = planInputSchema.safeParse({ infrastructure_task: "auto_scaling", workload_type: "inference", ...fields });
    expect(plan.success).toBe(true);
  });
});

describe("profileFromPlanInput", () => {
  it("reads a plan's scaling fields back as the profile its ScaledObject amounts to", () => {
    const back = profileFromPlanInput(profileToPlanInput(referenceProfile).fields, "reference");
    expect(back.minReplicas).toBe(2);
    expect(back.triggers.map((t) => [t.type, t.threshold, t.metricType])).toEqual([
      ["queue_depth", 100, "AverageValue"],
      ["gpu_utilization", 80, "Value"],
      ["p99_latency_ms", 200, "Value"],
    ]);
    expect(back.behavior).toEqual(referenceProfile.behavior);
  });

  it("accepts the plan schema's defaults", () => {
    const plan = planInputSchema.parse({ infrastructure_task: "auto_scaling", workload_type: "inference" });
    const profile = profileFromPlanInput(plan);
    expect(profile.maxReplicas).toBe(plan.scale_requirements.max_replicas);
    expect(profile.cooldownPeriod).toBe(plan.autoscaling.cooldown_seconds);
  });
});
