// The submit path refuses a plan whose viability report has a blocking finding, naming the object and the fix.
import { describe, expect, it, vi } from "vitest";
import type { SecurityFinding } from "@/lib/security/types";

const blocking: SecurityFinding = {
  check: "viability.untolerated-taint",
  severity: "high",
  object: { apiVersion: "batch/v1", kind: "Job", name: "distributed-training", namespace: "ml-training" },
  path: "spec.template.spec.tolerations",
  message:
    "Job/ml-training/distributed-training targets node_pools[1] but does not tolerate kubernetes.azure.com/scalesetpriority=spot:NoSchedule.",
  why: "never scheduled",
  fix: "Add the toleration.",
};
const inject = vi.hoisted(() => ({ finding: undefined as SecurityFinding | undefined }));

vi.mock("@/lib/plans/generate-plan", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/plans/generate-plan")>();
  return {
    ...original,
    generatePlan: async (...args: Parameters<typeof original.generatePlan>) => {
      const plan = await original.generatePlan(...args);
      if (!inject.finding) return plan;
      const findings = [inject.finding, ...plan.viability_report.findings];
      return {
        ...plan,
        viability_report: {
          ...plan.viability_report,
          findings,
          counts: { ...plan.viability_report.counts, high: plan.viability_report.counts.high + 1 },
        },
      };
    },
  };
});

const { planRequest } = await import("./plan-request");

describe("planRequest", () => {
  it("accepts a default training job (no blocking finding)", async () => {
    inject.finding = undefined;
    const planned = await planRequest("training_job", { cloud_provider: "azure" });
    expect(planned.ok).toBe(true);
  });

  it("refuses a plan with a blocking viability finding as unviable_plan, naming the object, path and fix", async () => {
    inject.finding = blocking;
    const planned = await planRequest("training_job", { cloud_provider: "azure" });
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.reason).toBe("unviable_plan");
    expect(planned.fields).toEqual([
      {
        path: "plan.Job/ml-training/distributed-training.spec.template.spec.tolerations",
        message: expect.stringContaining("Fix: Add the toleration."),
      },
    ]);
    expect(planned.message).toContain("scalesetpriority");
  });
});
