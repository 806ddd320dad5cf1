import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kubernetesDefaultScaleDown, kubernetesDefaultScaleUp } from "@/lib/k8s/hpa-behavior-defaults";
import { buildInferenceScaledObject } from "@/lib/plans/build-scaled-object";
import { buildPlanContext } from "@/lib/plans/plan-context";
import { planInputSchema } from "@/lib/plans/schema";
import { resolveBehavior } from "./hpa-behavior";
import { noBehaviorNote, profileFromPlanInput, profileToPlanInput } from "./profile-to-plan-input";
import { referenceProfile, scalingProfileSchema, type ScalingProfile, type ScalingProfileInput } from "./schema";

const profile = (behavior: ScalingProfileInput["behavior"]): ScalingProfile =>
  scalingProfileSchema.parse({
    name: "candidate",
    minReplicas: 1,
    maxReplicas: 20,
    triggers: [
      { type: "queue_depth", threshold: 4 },
      { type: "gpu_utilization", threshold: 70 },
      { type: "p99_latency_ms", threshold: 1500 },
    ],
    behavior,
  });

// The plan the request form submits after "Use this profile", parsed as the API parses it.
const planFor = (p: ScalingProfile) =>
  planInputSchema.parse({
    infrastructure_task: "auto_scaling",
    workload_type: "inference",
    ...profileToPlanInput(p).fields,
  });

describe("profileToPlanInput", () => {
  it("maps the reference preset onto the plan's fields with nothing left out", () => {
    const { fields, notRepresented } = profileToPlanInput(referenceProfile);
    expect(fields).toEqual({
      scale_requirements: { min_replicas: 2, max_replicas: 100, target_gpu_utilization: 0.8 },
      autoscaling: {
        queue_depth_threshold: 100,
        latency_p99_ms_threshold: 200,
        polling_interval_seconds: 15,
        cooldown_seconds: 60,
      },
    });
    expect(notRepresented).toEqual([]);
  });

  it("turns a recommended profile into a valid plan request, carrying its behavior, and lists what the plan cannot say", () => {
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
    expect(notRepresented.some((m) => m.startsWith("behavior"))).toBe(false);
    // As the simulator resolves it: the 180 s window, and Kubernetes' defaults for everything the profile leaves out.
    expect(fields.autoscaling.behavior).toEqual({
      scaleUp: kubernetesDefaultScaleUp,
      scaleDown: { ...kubernetesDefaultScaleDown, stabilizationWindowSeconds: 180 },
    });
    const plan = planInputSchema.safeParse({
      infrastructure_task: "auto_scaling",
      workload_type: "inference",
      ...fields,
    });
    expect(plan.success).toBe(true);
  });

  it("leaves the behavior out (the plan's reference default) when the profile behaves as the reference, however written", () => {
    const spelledOut = profile({
      scaleUp: {
        policies: [
          { type: "Percent", value: 100, periodSeconds: 15 },
          { type: "Pods", value: 10, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: "Max",
        policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
      },
    });
    expect(profileToPlanInput(spelledOut).fields.autoscaling.behavior).toBeUndefined();
    expect(
      profileToPlanInput(profile({ scaleDown: { stabilizationWindowSeconds: 300 } })).fields.autoscaling.behavior,
    ).toBeDefined();
  });

  it("names a behavior the plan cannot hold (more than 10 policies) and keeps the plan valid", () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ type: "Pods" as const, value: i + 1, periodSeconds: 60 }));
    const { fields, notRepresented } = profileToPlanInput(profile({ scaleDown: { policies: many } }));
    expect(fields.autoscaling.behavior).toBeUndefined();
    expect(notRepresented).toEqual([
      expect.stringMatching(
        /^behavior: autoscaling\.behavior\.scaleDown\.policies has more than 10 policies.*the plan keeps the reference behavior$/,
      ),
    ]);
    expect(
      planInputSchema.safeParse({ infrastructure_task: "auto_scaling", workload_type: "inference", ...fields }).success,
    ).toBe(true);
  });
});

// The simulation is of what gets deployed: the ScaledObject's behavior, read as the API server defaults it,
// is the behavior the simulator's HPA (resolveBehavior) runs for the same profile.
describe("the plan deploys the behavior that was simulated", () => {
  type Rules = { stabilizationWindowSeconds?: number; selectPolicy?: string; policies?: unknown[] };
  const asTheApiServerDefaultsIt = (b: { scaleUp?: Rules; scaleDown?: Rules }) => ({
    scaleUp: { ...kubernetesDefaultScaleUp, ...b.scaleUp },
    scaleDown: { ...kubernetesDefaultScaleDown, ...b.scaleDown },
  });
  const deployedBehavior = (p: ScalingProfile) => {
    const so = buildInferenceScaledObject(buildPlanContext(planFor(p))) as {
      spec?: { advanced?: { horizontalPodAutoscalerConfig?: { behavior?: { scaleUp?: Rules; scaleDown?: Rules } } } };
    };
    return asTheApiServerDefaultsIt(so.spec!.advanced!.horizontalPodAutoscalerConfig!.behavior!);
  };

  // The recommender's grid (lib/scaling/recommend-profile.ts) and the cases around it.
  const downPolicies = [
    undefined,
    [{ type: "Percent" as const, value: 50, periodSeconds: 60 }],
    [{ type: "Pods" as const, value: 1, periodSeconds: 60 }],
  ];
  const upPolicies = [
    undefined,
    [
      { type: "Percent" as const, value: 200, periodSeconds: 15 },
      { type: "Pods" as const, value: 10, periodSeconds: 15 },
    ],
  ];
  const grid = [0, 60, 120, 180, 300, 600].flatMap((window) =>
    downPolicies.flatMap((down) =>
      upPolicies.map((up) =>
        profile({
          scaleUp: { stabilizationWindowSeconds: 0, policies: up, selectPolicy: "Max" },
          scaleDown: { stabilizationWindowSeconds: window, policies: down, selectPolicy: "Max" },
        }),
      ),
    ),
  );
  it.each<[string, ScalingProfile]>([
    ["the reference preset", referenceProfile],
    ["a profile without behavior (Kubernetes' defaults)", profile(undefined)],
    ["a profile that sets only the scale-down window", profile({ scaleDown: { stabilizationWindowSeconds: 45 } })],
    [
      "Min and Disabled",
      profile({
        scaleUp: {
          selectPolicy: "Min",
          policies: [
            { type: "Pods", value: 2, periodSeconds: 30 },
            { type: "Percent", value: 20, periodSeconds: 30 },
          ],
        },
        scaleDown: { selectPolicy: "Disabled" },
      }),
    ],
    ...grid.map((p, i) => [`recommender grid point ${i}`, p] as [string, ScalingProfile]),
  ])("%s", (_name, p) => {
    expect(deployedBehavior(p)).toEqual(resolveBehavior(p.behavior));
    // and the form's own simulation ("this-form") replays the same behavior from the plan
    expect(resolveBehavior(profileFromPlanInput(planFor(p)).behavior)).toEqual(resolveBehavior(p.behavior));
  });

  it("holds for any behavior a profile can state within the plan's limits", () => {
    const policy = fc.record({
      type: fc.constantFrom("Pods" as const, "Percent" as const),
      value: fc.integer({ min: 1, max: 1000 }),
      periodSeconds: fc.integer({ min: 1, max: 1800 }),
    });
    const rules = fc.record(
      {
        stabilizationWindowSeconds: fc.integer({ min: 0, max: 3600 }),
        selectPolicy: fc.constantFrom("Max" as const, "Min" as const, "Disabled" as const),
        policies: fc.array(policy, { minLength: 1, maxLength: 10 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.option(fc.record({ scaleUp: rules, scaleDown: rules }, { requiredKeys: [] }), { nil: undefined }),
        (behavior) => {
          const p = profile(behavior);
          // A profile without behavior runs the HPA's legacy path in the simulator, which the plan cannot state.
          expect(profileToPlanInput(p).notRepresented).toEqual(behavior === undefined ? [noBehaviorNote] : []);
          expect(deployedBehavior(p)).toEqual(resolveBehavior(p.behavior));
        },
      ),
      { numRuns: 200 },
    );
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

  it("reads a plan's own behavior back, so the form's simulation replays it", () => {
    const custom = profile({
      scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: "Pods", value: 1, periodSeconds: 30 }] },
    });
    const back = profileFromPlanInput(planFor(custom));
    expect(resolveBehavior(back.behavior).scaleDown).toEqual({
      stabilizationWindowSeconds: 60,
      selectPolicy: "Max",
      policies: [{ type: "Pods", value: 1, periodSeconds: 30 }],
    });
  });

  it("accepts the plan schema's defaults", () => {
    const plan = planInputSchema.parse({ infrastructure_task: "auto_scaling", workload_type: "inference" });
    const profile = profileFromPlanInput(plan);
    expect(profile.maxReplicas).toBe(plan.scale_requirements.max_replicas);
    expect(profile.cooldownPeriod).toBe(plan.autoscaling.cooldown_seconds);
  });
});
