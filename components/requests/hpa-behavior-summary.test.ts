import { describe, expect, it } from "vitest";
import { describeScalingRules, errorMessagesUnder, summarizeBehavior } from "./hpa-behavior-summary";

describe("summarizeBehavior", () => {
  it("describes the reference default when the plan has no behavior", () => {
    expect(summarizeBehavior(undefined)).toEqual({
      custom: false,
      scaleUp: "no stabilization window, at most 100% per 15 s or 10 pods per 15 s, whichever allows more",
      scaleDown: "300 s window, at most 10% per 60 s",
    });
  });

  it("describes a custom behavior, with Kubernetes' defaults for what it leaves out", () => {
    expect(
      summarizeBehavior({
        scaleDown: { stabilizationWindowSeconds: 120, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
      }),
    ).toEqual({
      custom: true,
      scaleUp: "no stabilization window, at most 4 pods per 15 s or 100% per 15 s, whichever allows more",
      scaleDown: "120 s window, at most 1 pod per 60 s",
    });
  });

  it("is null for a behavior the plan schema refuses (the field errors say why)", () => {
    expect(summarizeBehavior({ scaleDown: { stabilizationWindowSeconds: 7200 } })).toBeNull();
    expect(summarizeBehavior(null)).toBeNull();
  });
});

describe("describeScalingRules", () => {
  it.each([
    [
      "Min picks the least",
      {
        stabilizationWindowSeconds: 60,
        selectPolicy: "Min",
        policies: [
          { type: "Pods", value: 2, periodSeconds: 30 },
          { type: "Percent", value: 20, periodSeconds: 60 },
        ],
      },
      "60 s window, at most 2 pods per 30 s or 20% per 60 s, whichever allows less",
    ],
    [
      "Disabled scale-down never removes",
      {
        stabilizationWindowSeconds: 300,
        selectPolicy: "Disabled",
        policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
      },
      "disabled (never removes replicas)",
    ],
  ] as const)("%s", (_name, rules, text) => {
    expect(describeScalingRules("down", { ...rules, policies: [...rules.policies] })).toBe(text);
  });

  it("says a disabled scale-up never adds replicas", () => {
    expect(
      describeScalingRules("up", {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Disabled",
        policies: [{ type: "Pods", value: 1, periodSeconds: 15 }],
      }),
    ).toBe("disabled (never adds replicas)");
  });
});

describe("errorMessagesUnder", () => {
  it("collects nested and array messages in order, and none from the DOM ref", () => {
    const ref = { message: "not an error" };
    const tree = {
      scaleDown: {
        stabilizationWindowSeconds: { type: "custom", message: "window too long", ref },
        policies: [undefined, { periodSeconds: { type: "custom", message: "period too long", ref } }],
      },
    };
    expect(errorMessagesUnder(tree)).toEqual(["window too long", "period too long"]);
    expect(errorMessagesUnder(undefined)).toEqual([]);
  });
});
