import { describe, expect, it } from "vitest";
import { requestPageView, type RequestDetail } from "./request-views";

const run = (id: string) => ({ id, operation: "apply", status: "succeeded", attempt: 1, results: [] });

describe("requestPageView", () => {
  it("hands the page the YAML, the object count and the newest run, not the objects, input or older runs", () => {
    const detail = {
      id: "r1",
      input: { model: "big" },
      plan: {
        deployment_manifests: [{ kind: "A" }, { kind: "B" }],
        validation: { ok: true },
        cost_estimate: { totals: {} },
        runbooks: ["# Runbook"],
      },
      applyRuns: [run("newest"), run("older")],
    } as unknown as RequestDetail;
    const view = requestPageView(detail, "kind: A\n---\nkind: B\n");
    expect(view).toEqual({
      id: "r1",
      plan: { cost_estimate: { totals: {} }, runbooks: ["# Runbook"] },
      objectCount: 2,
      manifestsYaml: "kind: A\n---\nkind: B\n",
      latestRun: run("newest"),
    });
    expect(requestPageView({ ...detail, applyRuns: [] }, "").latestRun).toBeNull();
  });
});
