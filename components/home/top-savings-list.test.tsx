// @vitest-environment happy-dom
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { TopSavingsList } from "./top-savings-list";

describe("TopSavingsList", () => {
  it("names the owning team as people know it and links each saving to its recommendation", () => {
    const { container } = render(
      <TopSavingsList
        items={[
          { id: "r1", title: "Release 4 idle GPUs", projectedSavingsUsd: 12_345.6, teamName: "Natural language" },
          { id: "r2", title: "Commit to 2 × p4d.24xlarge", projectedSavingsUsd: 900, teamName: null },
        ]}
      />,
    );
    const items = [...container.querySelectorAll("li")].map((li) => li.textContent);
    expect(items).toEqual([
      "Release 4 idle GPUs · $12,346/month · Natural language",
      "Commit to 2 × p4d.24xlarge · $900/month",
    ]);
    expect(container.querySelector("a")!.getAttribute("href")).toBe("/costs?recommendation=r1#recs-title");
  });

  it("says so when nothing is open", () => {
    expect(render(<TopSavingsList items={[]} />).container.textContent).toBe("No open recommendation.");
  });
});
