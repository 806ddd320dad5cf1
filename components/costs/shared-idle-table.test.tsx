// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { SharedIdleTable } from "./shared-idle-table";

afterEach(cleanup);

describe("SharedIdleTable", () => {
  it("says why the totals differ when the unallocated line is out of view", () => {
    render(
      <SharedIdleTable
        days={30}
        rows={[{ team: "nlp", ownUsd: 80_804, sharedIdleUsd: 15_634, withSharedIdleUsd: 96_438 }]}
      />,
    );
    expect(screen.getByTestId("shared-idle-scope-note").textContent).toContain(
      "The totals differ because only your teams are shown",
    );
  });

  it("adds no note when the totals agree (every team and the unallocated line in view)", () => {
    render(
      <SharedIdleTable
        days={30}
        rows={[
          { team: "nlp", ownUsd: 100, sharedIdleUsd: 40, withSharedIdleUsd: 140 },
          { team: "unallocated", ownUsd: 40, sharedIdleUsd: 0, withSharedIdleUsd: 0 },
        ]}
      />,
    );
    expect(screen.queryByTestId("shared-idle-scope-note")).toBeNull();
  });
});

describe("SharedIdleTable labels", () => {
  it("names teams as the portal does and says what each column charges", () => {
    render(
      <SharedIdleTable
        days={30}
        teamNames={{ recsys: "Recommender systems" }}
        rows={[
          { team: "recsys", ownUsd: 100, sharedIdleUsd: 40, withSharedIdleUsd: 140 },
          { team: "unallocated", ownUsd: 40, sharedIdleUsd: 0, withSharedIdleUsd: 0 },
        ]}
      />,
    );
    const table = screen.getByTestId("shared-idle");
    expect(screen.getByRole("rowheader", { name: "Recommender systems" })).toBeTruthy();
    expect(screen.getByRole("rowheader", { name: "Unallocated (idle GPUs)" })).toBeTruthy();
    expect(table.textContent).not.toContain("recsys");
    const headers = screen.getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).toEqual(["Team", "Cost, idle on its own line", "Share of idle added", "Cost, idle shared"]);
  });
});
