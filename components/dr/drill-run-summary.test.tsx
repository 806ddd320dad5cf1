// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { DrillRunSummary } from "./drill-run-summary";

afterEach(cleanup);
const now = new Date("2026-03-01T12:00:00Z");
const run = (mode: string) => ({
  id: `r-${mode}`,
  mode,
  status: "passed",
  createdAt: new Date("2026-03-01T11:00:00Z"),
  plan: { name: "Model Artifact Recovery" },
  clusterTarget: { name: "sandbox" },
});

describe("DrillRunSummary", () => {
  it("tells a dry run from a live run of the same plan and status", () => {
    const { container } = render(
      <ul>
        <li>
          <DrillRunSummary run={run("dry_run")} now={now} />
        </li>
        <li>
          <DrillRunSummary run={run("live")} now={now} />
        </li>
      </ul>,
    );
    // "dry run" once: the dry run's verdict badge says it, so only the live run carries a mode badge.
    expect(screen.getAllByTestId("drill-mode").map((b) => b.textContent)).toEqual(["live"]);
    const [dry, live] = [...container.querySelectorAll("li")].map((li) => li.textContent);
    expect(dry).toBe("Model Artifact Recovery on sandbox · dry run: passed · 1 hour ago");
    expect(dry?.match(/dry run/g)).toHaveLength(1);
    expect(live).toMatch(/^Model Artifact Recovery on sandbox · live passed · /);
    expect(screen.getAllByRole("link").map((a) => a.getAttribute("href"))).toEqual([
      "/drills/runs/r-dry_run",
      "/drills/runs/r-live",
    ]);
  });

  it("never shows a passed dry run in the green of a proven recovery", () => {
    render(
      <ul>
        <li>
          <DrillRunSummary run={run("dry_run")} now={now} />
        </li>
        <li>
          <DrillRunSummary run={run("live")} now={now} />
        </li>
      </ul>,
    );
    const dry = screen.getByText("dry run: passed");
    const live = screen.getByText("passed");
    expect(dry.className).not.toContain("badge-success");
    expect(live.className).toContain("badge-success");
  });
});
