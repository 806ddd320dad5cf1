// @vitest-environment happy-dom
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { PlanRequirement } from "@/lib/plans/plan-requirements";
import { RequirementsList } from "./requirements-list";

const keda: PlanRequirement = {
  name: "KEDA",
  kind: "operator",
  version: "2.14",
  provided_by: "cluster",
  needed_by: ["ScaledObject ml/llm"],
  settings: [{ key: "metricsServer", value: "on", why: "for the HPA" }],
};

describe("the plan's requirements in the ~480 px preview pane", () => {
  it("stacks each requirement as a list item, not as a 4-column table row", () => {
    const { container } = render(<RequirementsList requires={[keda, { ...keda, name: "Prometheus" }]} />);
    expect(container.querySelector("table")).toBeNull();
    const items = screen.getByTestId("plan-requirements").querySelectorAll(":scope > li");
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain("KEDA");
    expect(items[0]!.textContent).toContain("Needed by ScaledObject ml/llm");
    expect(items[0]!.textContent).toContain("metricsServer: on");
  });
});
