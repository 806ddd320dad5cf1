// The plan input's autoscaling.behavior (part of planInputSchema in ./schema.ts): the HPA behavior KEDA forwards
// (autoscaling/v2 HorizontalPodAutoscalerBehavior, with its field names, so a behavior can be pasted from an HPA).
// Left out, the plan keeps the reference design's behavior (referenceInferenceBehavior) and its output is unchanged.
// Given, it reads as Kubernetes reads it: a field or a direction left out takes Kubernetes' default
// (lib/k8s/hpa-behavior-defaults.ts), filled in here so that the generated ScaledObject states every value and
// the scaling simulator replays exactly what is deployed. No Node imports: this runs in the browser too.
import { z } from "zod";
import {
  kubernetesDefaultScaleDown,
  kubernetesDefaultScaleUp,
  type HpaScalingRules,
} from "@/lib/k8s/hpa-behavior-defaults";

const behaviorPath = "autoscaling.behavior";
const int32Max = 2_147_483_647;

// Objects of the behavior refuse unknown keys: a misspelt field would otherwise be dropped for a default silently.
const strictBehaviorObject = <T extends z.ZodRawShape>(at: string, shape: T, fields: string) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `${at} has unknown field(s) ${issue.keys.join(", ")}: use only ${fields} (Kubernetes' spelling)`
        : issue.code === "invalid_type"
          ? `${at} must be an object with ${fields}`
          : undefined,
  });

const hpaPolicySchema = (at: string) =>
  strictBehaviorObject(
    at,
    {
      type: z.enum(["Pods", "Percent"], {
        message: `${at}.type must be Pods (a number of replicas) or Percent (of the current replicas)`,
      }),
      value: z
        .number({ message: `${at}.value must be a number` })
        .int({ message: `${at}.value must be a whole number` })
        .gt(0, {
          message: `${at}.value must be above 0: to stop scaling in this direction set selectPolicy to Disabled`,
        })
        .max(int32Max, { message: `${at}.value must be at most ${int32Max}` }),
      periodSeconds: z
        .number({ message: `${at}.periodSeconds must be a number of seconds` })
        .int({ message: `${at}.periodSeconds must be a whole number of seconds` })
        .min(1, { message: `${at}.periodSeconds must be at least 1 second` })
        .max(1800, { message: `${at}.periodSeconds must be at most 1800 (30 minutes, the HPA's limit): shorten it` }),
    },
    "type, value and periodSeconds",
  );

const hpaRulesSchema = (direction: "scaleUp" | "scaleDown", defaults: Readonly<HpaScalingRules>) => {
  const at = `${behaviorPath}.${direction}`;
  return strictBehaviorObject(
    at,
    {
      stabilizationWindowSeconds: z
        .number({ message: `${at}.stabilizationWindowSeconds must be a number of seconds` })
        .int({ message: `${at}.stabilizationWindowSeconds must be a whole number of seconds` })
        .min(0, { message: `${at}.stabilizationWindowSeconds must be 0 or more (0 means no stabilization)` })
        .max(3600, {
          message: `${at}.stabilizationWindowSeconds must be at most 3600 (one hour, the HPA's limit): shorten it`,
        })
        .default(defaults.stabilizationWindowSeconds),
      selectPolicy: z
        .enum(["Max", "Min", "Disabled"], {
          message: `${at}.selectPolicy must be Max (the policy allowing the most change), Min (the least) or Disabled (no scaling in this direction)`,
        })
        .default(defaults.selectPolicy),
      policies: z
        .array(hpaPolicySchema(`${at}.policies[]`), { message: `${at}.policies must be a list of policies` })
        .min(1, {
          message: `${at}.policies is empty: add a policy such as { type: "Percent", value: 10, periodSeconds: 60 }, or leave policies out for Kubernetes' default`,
        })
        .max(10, { message: `${at}.policies has more than 10 policies: keep at most 10` })
        .default(() => defaults.policies.map((p) => ({ ...p }))),
    },
    "stabilizationWindowSeconds, selectPolicy and policies",
  );
};

const scaleUpRulesSchema = hpaRulesSchema("scaleUp", kubernetesDefaultScaleUp);
const scaleDownRulesSchema = hpaRulesSchema("scaleDown", kubernetesDefaultScaleDown);

export const hpaBehaviorSchema = strictBehaviorObject(
  behaviorPath,
  {
    scaleUp: scaleUpRulesSchema.default(() => scaleUpRulesSchema.parse({})),
    scaleDown: scaleDownRulesSchema.default(() => scaleDownRulesSchema.parse({})),
  },
  "scaleUp and scaleDown",
);
export type PlanHpaBehavior = z.output<typeof hpaBehaviorSchema>;
export type HpaBehaviorInput = z.input<typeof hpaBehaviorSchema>;

// The reference design's behavior (keda/inference-scaler.yaml), what a plan without autoscaling.behavior deploys:
// scale up at once (double or +10 pods every 15 s, whichever is more); scale down at most 10 % a minute after
// 5 stable minutes. Written as the reference writes it (scaleDown's selectPolicy left to its default, Max).
export const referenceInferenceBehavior: HpaBehaviorInput = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [
      { type: "Percent", value: 100, periodSeconds: 15 },
      { type: "Pods", value: 10, periodSeconds: 15 },
    ],
  },
  scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] },
};
