import fc from "fast-check";
import type { ValidateFunction } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { buildInferenceScaledObject } from "./build-scaled-object";
import { generatePlan } from "./generate-plan";
import { loadOfficialCrdValidators, officialErrors } from "./official-crd-validator.test-support";
import { buildPlanContext } from "./plan-context";
import { planInputSchema, type PlanInputDraft } from "./schema";

type Spec = { advanced: { horizontalPodAutoscalerConfig: { behavior: unknown } } };
const behaviorOf = (so: KubernetesObject | undefined) => (so?.spec as Spec).advanced.horizontalPodAutoscalerConfig.behavior;
const inference = { infrastructure_task: "auto_scaling", workload_type: "inference" } as const;
const scaledObjectFor = (draft: PlanInputDraft) => buildInferenceScaledObject(buildPlanContext(planInputSchema.parse(draft)));

let crds: Map<string, ValidateFunction>;
beforeAll(() => {
  crds = loadOfficialCrdValidators();
});

const custom = {
  scaleUp: { stabilizationWindowSeconds: 30, selectPolicy: "Min", policies: [{ type: "Pods", value: 2, periodSeconds: 60 }, { type: "Percent", value: 50, periodSeconds: 60 }] },
  scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: "Disabled", policies: [{ type: "Pods", value: 1, periodSeconds: 120 }] },
} as const;

describe("the inference ScaledObject's HPA behavior", () => {
  it("is the reference design's when the plan has none", () => {
    expect(behaviorOf(scaledObjectFor(inference))).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }, { type: "Pods", value: 10, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] },
    });
  });

  it("is the plan's own when given, every value stated, and the generated plan passes the official KEDA CRD", async () => {
    const plan = await generatePlan(planInputSchema.parse({ ...inference, autoscaling: { behavior: custom } }));
    const so = plan.deployment_manifests.find((o) => o.kind === "ScaledObject");
    expect(behaviorOf(so)).toEqual(custom);
    expect(await officialErrors(so!, crds)).toEqual([]);
  });

  it("states Kubernetes' defaults for what the plan's behavior leaves out", () => {
    expect(behaviorOf(scaledObjectFor({ ...inference, autoscaling: { behavior: { scaleDown: { policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] } } } }))).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [{ type: "Pods", value: 4, periodSeconds: 15 }, { type: "Percent", value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: "Max", policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
    });
  });

  it("does not share the reference object between plans (editing one ScaledObject leaves the next intact)", () => {
    const first = behaviorOf(scaledObjectFor(inference)) as { scaleDown: { stabilizationWindowSeconds: number } };
    first.scaleDown.stabilizationWindowSeconds = 1;
    expect((behaviorOf(scaledObjectFor(inference)) as typeof first).scaleDown.stabilizationWindowSeconds).toBe(300);
  });

  it("passes the official KEDA CRD (with no field it would prune) for any behavior the plan schema accepts", async () => {
    const policy = fc.record({ type: fc.constantFrom("Pods", "Percent"), value: fc.integer({ min: 1, max: 2_147_483_647 }), periodSeconds: fc.integer({ min: 1, max: 1800 }) });
    const rules = fc.record(
      { stabilizationWindowSeconds: fc.integer({ min: 0, max: 3600 }), selectPolicy: fc.constantFrom("Max", "Min", "Disabled"), policies: fc.array(policy, { minLength: 1, maxLength: 10 }) },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.record({ scaleUp: rules, scaleDown: rules }, { requiredKeys: [] }), async (behavior) => {
        const so = scaledObjectFor({ ...inference, autoscaling: { behavior } });
        expect(await officialErrors(so, crds)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
