// Pure helpers of the request form's read-only HPA behavior (autoscaling.behavior): one line per direction in
// words, and the field errors under the behavior, which has no input of its own to show them beside.
import { hpaBehaviorSchema, referenceInferenceBehavior, type PlanHpaBehavior } from "@/lib/plans/hpa-behavior-schema";

type Rules = PlanHpaBehavior["scaleUp"];

export interface BehaviorSummary {
  /** false when the plan keeps the reference design's behavior (autoscaling.behavior left out). */
  custom: boolean;
  scaleUp: string;
  scaleDown: string;
}

function describePolicy(policy: Rules["policies"][number]): string {
  const amount =
    policy.type === "Percent" ? `${policy.value}%` : `${policy.value} ${policy.value === 1 ? "pod" : "pods"}`;
  return `${amount} per ${policy.periodSeconds} s`;
}

/** "300 s window, at most 10% per 60 s"; several policies name which one wins (selectPolicy). */
export function describeScalingRules(direction: "up" | "down", rules: Rules): string {
  if (rules.selectPolicy === "Disabled") return `disabled (never ${direction === "up" ? "adds" : "removes"} replicas)`;
  const window =
    rules.stabilizationWindowSeconds === 0 ? "no stabilization window" : `${rules.stabilizationWindowSeconds} s window`;
  const policies = rules.policies.map(describePolicy);
  const limit =
    policies.length === 1
      ? policies[0]
      : `${policies.join(" or ")}, whichever allows ${rules.selectPolicy === "Max" ? "more" : "less"}`;
  return `${window}, at most ${limit}`;
}

/** The behavior the plan deploys, in words; null when the form's behavior is invalid (its errors say why). */
export function summarizeBehavior(behavior: unknown): BehaviorSummary | null {
  const custom = behavior !== undefined;
  const parsed = hpaBehaviorSchema.safeParse(custom ? behavior : referenceInferenceBehavior);
  if (!parsed.success) return null;
  return {
    custom,
    scaleUp: describeScalingRules("up", parsed.data.scaleUp),
    scaleDown: describeScalingRules("down", parsed.data.scaleDown),
  };
}

/** Every message in a react-hook-form error subtree (arrays and nested objects), in field order. */
export function errorMessagesUnder(errors: unknown): string[] {
  if (!errors || typeof errors !== "object") return [];
  const node = errors as Record<string, unknown>;
  const own = typeof node.message === "string" && node.message ? [node.message] : [];
  const children = Object.entries(node)
    .filter(([key]) => key !== "ref" && key !== "message" && key !== "type" && key !== "types")
    .flatMap(([, child]) => errorMessagesUnder(child));
  return [...own, ...children];
}
