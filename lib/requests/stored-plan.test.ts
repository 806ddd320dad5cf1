import { describe, expect, it } from "vitest";
import { generatePlan } from "@/lib/plans/generate-plan";
import { planInputSchema } from "@/lib/plans/schema";
import { parseStoredPlan, parseStoredPlanInput } from "./stored-plan";

describe("plans and inputs read back from their JSON columns", async () => {
  const input = planInputSchema.parse({ infrastructure_task: "cluster_setup", workload_type: "inference" });
  const plan = await generatePlan(input);
  // What PostgreSQL's jsonb gives back: no undefined properties, no class instances.
  const stored = JSON.parse(JSON.stringify(plan)) as unknown;

  it("gives back a stored plan unchanged", () => {
    expect(parseStoredPlan(stored)).toEqual(stored);
  });

  it("gives back a stored input unchanged", () => {
    expect(parseStoredPlanInput(JSON.parse(JSON.stringify(input)))).toEqual(JSON.parse(JSON.stringify(input)));
  });

  it("refuses a manifest without a name, naming where it is", () => {
    const broken = JSON.parse(JSON.stringify(plan)) as { deployment_manifests: { metadata: { name?: string } }[] };
    const first = broken.deployment_manifests[0];
    if (!first) throw new Error("the plan has no manifests");
    delete first.metadata.name;
    expect(() => parseStoredPlan(broken)).toThrow(/deployment_manifests.*0.*metadata.*name/s);
  });

  it("reads a plan stored without a viability report", () => {
    const { viability_report: _, ...withoutReport } = plan;
    expect(parseStoredPlan(JSON.parse(JSON.stringify(withoutReport))).viability_report).toBeUndefined();
  });

  it("refuses a row that holds no plan", () => {
    expect(() => parseStoredPlan({})).toThrow(/deployment_manifests/);
    expect(() => parseStoredPlan(null)).toThrow();
  });
});
