import { describe, expect, it } from "vitest";
import { generatePlan } from "@/lib/plans/generate-plan";
import { planInputSchema } from "@/lib/plans/schema";
import { planInputForKind } from "@/lib/requests/request-kinds";
import type { SecurityFinding } from "@/lib/security/types";
import { previewVerdict, type PreviewVerdict } from "./preview-verdict";
import type { LivePlan } from "./use-live-plan";
import { initialInput } from "./request-form-model";

async function defaultPlan() {
  const input = planInputSchema.parse(planInputForKind("inference_scaling", initialInput("inference_scaling", null)));
  return generatePlan(input, null);
}

const blocking: SecurityFinding = {
  check: "viability.exceeds-pool",
  severity: "high",
  object: { apiVersion: "apps/v1", kind: "Deployment", namespace: "ml-inference", name: "llm" },
  path: "spec.replicas",
  message: "Needs 32 GPUs, the pool has 16",
  why: "why",
  fix: "fix",
};

describe("previewVerdict", () => {
  it("says a default plan is ready, with its monthly cost and security score", async () => {
    const plan = await defaultPlan();
    const verdict = previewVerdict({ state: "ok", plan, ms: 3 });
    expect(verdict.tone).toBe("ok");
    expect(verdict.text).toMatch(/^Plan ready: \$[\d,]+\/month expected · security \d+\/100/);
    expect(verdict.text).toContain("nothing blocks it");
  });

  it("says how many findings block the submit", async () => {
    const plan = await defaultPlan();
    const viability_report = { ...plan.viability_report, findings: [blocking, { ...blocking, path: "spec" }] };
    const verdict = previewVerdict({ state: "ok", plan: { ...plan, viability_report }, ms: 3 });
    expect(verdict).toMatchObject({ tone: "blocked" });
    expect(verdict.text).toMatch(/^2 blocking findings to fix before submitting/);
  });

  it.each<[LivePlan, PreviewVerdict["tone"], RegExp]>([
    [{ state: "pending" }, "pending", /^Generating/],
    [
      { state: "invalid", errors: [{ path: "input.region", message: "required" }], ms: 1 },
      "blocked",
      /1 field needs fixing/,
    ],
    [{ state: "failed", message: "no GPU pool", ms: 1 }, "blocked", /refused this plan: no GPU pool$/],
  ])("says what stops a plan (case %#)", (live, tone, text) => {
    const verdict = previewVerdict(live);
    expect(verdict.tone).toBe(tone);
    expect(verdict.text).toMatch(text);
  });
});
