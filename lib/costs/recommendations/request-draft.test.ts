import { describe, expect, it } from "vitest";
import { planInputSchema } from "@/lib/plans/schema";
import { planDraft } from "./request-draft";
import { decodeDraft, encodeDraft, requestFormHref } from "@/lib/requests/draft-link";

describe("request drafts", () => {
  const draft = planDraft({
    cloud: "aws",
    workloadType: "notebook",
    pool: { name: "Notebooks_GPU pool", instanceType: "g5.xlarge", minNodes: 0, maxNodes: 0, capacityType: "spot" },
  });

  it("is plan input the plan engine accepts, with a DNS-safe pool name and at least one node of headroom", () => {
    const parsed = planInputSchema.parse(draft);
    expect(parsed.infrastructure_task).toBe("cost_optimization");
    expect(parsed.workload_type).toBe("batch"); // "notebook" is not a plan workload type
    expect(parsed.node_pools[0]).toMatchObject({ name: "notebooks-gpu-pool", max_nodes: 1, capacity_type: "spot" });
  });

  it("never asks for spot on premises", () => {
    const d = planDraft({
      cloud: "on_premise",
      workloadType: "training",
      pool: { name: "p", instanceType: "gpu-8x-a100-96c", minNodes: 1, maxNodes: 2, capacityType: "spot" },
    });
    expect(planInputSchema.safeParse(d).success).toBe(true);
  });

  it("round-trips through the base64url query parameter, including non-ASCII", () => {
    const withText = { ...draft, cluster_name: "prod" } as typeof draft & { note?: string };
    withText.note = "équipe ✓";
    const encoded = encodeDraft(withText);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeDraft(encoded)).toEqual(withText);
    expect(requestFormHref(draft)).toBe(`/requests/new?draft=${encodeDraft(draft)}`);
  });
});
