import { describe, expect, it } from "vitest";
import { kubernetesDefaultScaleDown, kubernetesDefaultScaleUp } from "@/lib/k8s/hpa-behavior-defaults";
import { formatPlanInputErrors, planInputSchema } from "./schema";

const inference = { infrastructure_task: "auto_scaling", workload_type: "inference" } as const;
const withBehavior = (behavior: unknown) => ({ ...inference, autoscaling: { behavior } });

function errorsOf(input: unknown) {
  const result = planInputSchema.safeParse(input);
  if (result.success) throw new Error("expected the input to be refused");
  return formatPlanInputErrors(result.error);
}

describe("autoscaling.behavior", () => {
  it("is left out when not given, so a plan without it is parsed (and generated) as before", () => {
    expect(planInputSchema.parse(inference).autoscaling.behavior).toBeUndefined();
    expect("behavior" in planInputSchema.parse(inference).autoscaling).toBe(false);
  });

  it("keeps what is given and fills what is left out with Kubernetes' defaults, as the API server would", () => {
    const parsed = planInputSchema.parse(withBehavior({ scaleDown: { stabilizationWindowSeconds: 120 } })).autoscaling
      .behavior;
    expect(parsed).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [
          { type: "Pods", value: 4, periodSeconds: 15 },
          { type: "Percent", value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 120,
        selectPolicy: "Max",
        policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
      },
    });
    // The defaults are copied, not shared: editing a parsed plan cannot change the next one.
    parsed!.scaleUp.policies[0]!.value = 99;
    expect(kubernetesDefaultScaleUp.policies[0]!.value).toBe(4);
    expect(planInputSchema.parse(withBehavior({})).autoscaling.behavior).toEqual({
      scaleUp: kubernetesDefaultScaleUp,
      scaleDown: kubernetesDefaultScaleDown,
    });
  });

  it("accepts the limits of the HPA (0 and 3600 s windows, 1 and 1800 s periods, 10 policies, Disabled)", () => {
    const policy = { type: "Pods", value: 1, periodSeconds: 1800 };
    const parsed = planInputSchema.safeParse(
      withBehavior({
        scaleUp: {
          stabilizationWindowSeconds: 3600,
          selectPolicy: "Min",
          policies: Array.from({ length: 10 }, () => policy),
        },
        scaleDown: {
          stabilizationWindowSeconds: 0,
          selectPolicy: "Disabled",
          policies: [{ type: "Percent", value: 1, periodSeconds: 1 }],
        },
      }),
    );
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  const down = "autoscaling.behavior.scaleDown";
  it.each([
    [
      "a window over an hour",
      { scaleDown: { stabilizationWindowSeconds: 3601 } },
      `${down}.stabilizationWindowSeconds`,
      /at most 3600 \(one hour, the HPA's limit\): shorten it/,
    ],
    [
      "a negative window",
      { scaleDown: { stabilizationWindowSeconds: -1 } },
      `${down}.stabilizationWindowSeconds`,
      /0 or more/,
    ],
    [
      "a fractional window",
      { scaleUp: { stabilizationWindowSeconds: 1.5 } },
      "autoscaling.behavior.scaleUp.stabilizationWindowSeconds",
      /whole number of seconds/,
    ],
    [
      "an unknown selectPolicy",
      { scaleDown: { selectPolicy: "Maximum" } },
      `${down}.selectPolicy`,
      /must be Max .*, Min .* or Disabled/,
    ],
    [
      "an unknown policy type",
      { scaleDown: { policies: [{ type: "Replicas", value: 1, periodSeconds: 60 }] } },
      `${down}.policies[0].type`,
      /Pods .* or Percent/,
    ],
    [
      "a zero value",
      { scaleDown: { policies: [{ type: "Pods", value: 0, periodSeconds: 60 }] } },
      `${down}.policies[0].value`,
      /above 0: to stop scaling in this direction set selectPolicy to Disabled/,
    ],
    [
      "a zero period",
      { scaleDown: { policies: [{ type: "Pods", value: 1, periodSeconds: 0 }] } },
      `${down}.policies[0].periodSeconds`,
      /at least 1 second/,
    ],
    [
      "a period over 30 minutes",
      {
        scaleUp: {
          policies: [
            { type: "Pods", value: 1, periodSeconds: 15 },
            { type: "Pods", value: 1, periodSeconds: 1801 },
          ],
        },
      },
      "autoscaling.behavior.scaleUp.policies[1].periodSeconds",
      /at most 1800 .*: shorten it/,
    ],
    [
      "no policies",
      { scaleDown: { policies: [] } },
      `${down}.policies`,
      /is empty: add a policy .* or leave policies out/,
    ],
    [
      "11 policies",
      { scaleDown: { policies: Array.from({ length: 11 }, () => ({ type: "Pods", value: 1, periodSeconds: 60 })) } },
      `${down}.policies`,
      /more than 10 policies/,
    ],
    [
      "a policy missing its value",
      { scaleDown: { policies: [{ type: "Pods", periodSeconds: 60 }] } },
      `${down}.policies[0].value`,
      /must be a number/,
    ],
    [
      "a misspelt field",
      { scaleDown: { stabilizationWindow: 60 } },
      down,
      /unknown field\(s\) stabilizationWindow: use only stabilizationWindowSeconds, selectPolicy and policies/,
    ],
    [
      "a misspelt direction",
      { scale_down: {} },
      "autoscaling.behavior",
      /unknown field\(s\) scale_down: use only scaleUp and scaleDown/,
    ],
    ["not an object", "fast", "autoscaling.behavior", /must be an object with scaleUp and scaleDown/],
  ])("refuses %s, naming the field and the fix", (_name, behavior, path, message) => {
    const errors = errorsOf(withBehavior(behavior));
    const error = errors.find((e) => e.path === path);
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error!.message).toMatch(message);
  });
});
