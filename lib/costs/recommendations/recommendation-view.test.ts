import { describe, expect, it } from "vitest";
import { decodeDraft, initialTeamId } from "@/lib/requests/draft-link";
import { planDraft } from "./request-draft";
import { recommendationView } from "./recommendation-view";

const stored = (workloadType: string, replicas?: { min: number; max: number }) => ({
  id: "r1",
  category: "spot",
  title: "t",
  team: "nlp",
  resources: [],
  currentMonthlyUsd: 1,
  projectedSavingsUsd: 1,
  confidence: "high",
  effort: "low",
  rationale: "",
  actionItems: [],
  requestDraft: planDraft({
    cloud: "aws",
    workloadType,
    pool: { name: "train-spot", instanceType: "p4d.24xlarge", minNodes: 0, maxNodes: 2, capacityType: "spot" },
    replicas,
  }),
  state: "open",
  snoozedUntil: null,
  dismissReason: null,
});

describe("recommendationView: Create request opens the kind the advice is about", () => {
  it.each([
    ["training", undefined, "node_pool"],
    ["batch", undefined, "node_pool"],
    ["inference", { min: 1, max: 8 }, "inference_scaling"],
  ] as const)("%s advice opens %s", (workloadType, replicas, kind) => {
    const href = new URL(recommendationView(stored(workloadType, replicas)).requestHref!, "http://portal.local");
    expect(href.pathname).toBe("/requests/new");
    expect(href.searchParams.get("kind")).toBe(kind);
    expect(decodeDraft(href.searchParams.get("draft") ?? "")).toMatchObject({
      workload_type: workloadType,
      node_pools: [{ name: "train-spot", capacity_type: "spot" }],
    });
  });
});

describe("recommendationView: Create request is for the team the advice is about", () => {
  it("names the recommendation's team in the link, and the form starts at that team", () => {
    const href = new URL(
      recommendationView({ ...stored("batch"), team: "recsys" }).requestHref!,
      "http://portal.local",
    );
    expect(href.searchParams.get("team")).toBe("recsys");
    const teams = [
      { id: "t-nlp", slug: "nlp" },
      { id: "t-recsys", slug: "recsys" },
    ];
    expect(initialTeamId(teams, href.searchParams.get("team"))).toBe("t-recsys");
    // A team the person may not request for (or none named) falls back to their first team.
    expect(initialTeamId(teams, "vision")).toBe("t-nlp");
    expect(initialTeamId(teams, null)).toBe("t-nlp");
  });
});
