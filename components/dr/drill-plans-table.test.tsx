// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DrillPlansTable, type DrillPlansTableProps } from "./drill-plans-table";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn() }) }));
afterEach(cleanup);

const plan = {
  key: "model_corruption",
  name: "Model Artifact Recovery",
  version: 2,
  isTemplate: true,
  stepCount: 6,
  schedule: null,
  cluster: null,
  namespaces: ["ml-inference"],
  touchedNamespaces: ["ml-inference"],
  rtoMinutes: 15,
  rpoMinutes: 60,
  lastLive: null,
  lastRun: null,
} as unknown as DrillPlansTableProps["plans"][number];

describe("DrillPlansTable", () => {
  it("names every column, the actions column included, for screen readers", () => {
    render(
      <DrillPlansTable
        plans={[plan]}
        clusters={[{ id: "c1", name: "sandbox", isSandbox: true, protectedNamespaces: [] }]}
        canDry
        canLive={false}
        canOverride={false}
        now={new Date("2026-03-01T12:00:00Z")}
      />,
    );
    const headers = screen.getAllByRole("columnheader");
    expect(headers.map((h) => h.textContent?.trim())).toEqual([
      "Plan",
      "Cluster",
      "Targets",
      "Last live result",
      "Last run",
      "Actions",
    ]);
    // The name is text content (axe's empty-table-header wants text, not only aria-label), hidden visually.
    expect(headers[5]!.querySelector(".visually-hidden")?.textContent).toBe("Actions");
  });

  it("says a day-long RPO target as 24 h, not 1440 min", () => {
    const daily = { ...plan, rpoMinutes: 1440 };
    render(
      <DrillPlansTable
        plans={[daily]}
        clusters={[]}
        canDry={false}
        canLive={false}
        canOverride={false}
        now={new Date("2026-03-01T12:00:00Z")}
      />,
    );
    const targets = screen.getAllByRole("cell")[2]!;
    expect(targets.textContent).toBe("RTO 15 minRPO 24 h");
    expect([...targets.querySelectorAll(".nowrap")].map((e) => e.textContent)).toEqual(["RTO 15 min", "RPO 24 h"]);
  });
});
