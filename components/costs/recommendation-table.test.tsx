// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RecommendationItem } from "./recommendation-change";
import { RecommendationTable } from "./recommendation-table";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh }) }));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  refresh.mockClear();
});

const base: RecommendationItem = {
  id: "x",
  category: "idle",
  title: "x",
  team: "nlp",
  resources: [],
  currentMonthlyUsd: 1000,
  projectedSavingsUsd: 100,
  confidence: "high",
  effort: "low",
  rationale: "",
  actionItems: [],
  state: "open",
  snoozedUntil: null,
  dismissReason: null,
  requestHref: null,
};
const items: RecommendationItem[] = [
  { ...base, id: "a", title: "Release idle notebooks", category: "idle", team: "nlp", projectedSavingsUsd: 300 },
  { ...base, id: "b", title: "Move training to spot", category: "spot", team: "vision", projectedSavingsUsd: 900 },
  {
    ...base,
    id: "c",
    title: "Reserve the base load",
    category: "reserved-capacity",
    team: null,
    projectedSavingsUsd: 500,
    state: "snoozed",
    snoozedUntil: "2027-01-05T00:00:00Z",
  },
];
const titles = () => screen.getAllByTestId("recommendation-open").map((b) => b.textContent);

describe("RecommendationTable", () => {
  it("sorts by saving, largest first, and the other way on a click of the header", () => {
    render(<RecommendationTable items={items} canManage={false} canRequest={false} />);
    expect(titles()).toEqual(["Move training to spot", "Reserve the base load", "Release idle notebooks"]);
    const header = screen.getByRole("columnheader", { name: /Saves \/ month/ });
    expect(header.getAttribute("aria-sort")).toBe("descending");
    fireEvent.click(within(header).getByRole("button"));
    expect(header.getAttribute("aria-sort")).toBe("ascending");
    expect(titles()).toEqual(["Release idle notebooks", "Reserve the base load", "Move training to spot"]);
  });

  it.each([
    ["Type", "spot", ["Move training to spot"]],
    ["Team", "(fleet-wide)", ["Reserve the base load"]],
    ["State", "open", ["Move training to spot", "Release idle notebooks"]],
  ])("filters by %s", (label, value, expected) => {
    render(<RecommendationTable items={items} canManage={false} canRequest={false} />);
    fireEvent.change(screen.getByLabelText(label), { target: { value } });
    expect(titles()).toEqual(expected);
  });

  it("names teams by name in the rows and the team filter, and keeps a snooze's date off the badge", () => {
    render(
      <RecommendationTable items={items} canManage={false} canRequest={false} teamNames={{ vision: "Vision AI" }} />,
    );
    const row = screen.getAllByTestId("recommendation")[0]!; // the largest saving: vision's spot move
    expect(within(row).getAllByRole("cell")[2]!.textContent).toBe("Vision AI");
    const team = screen.getByLabelText("Team") as HTMLSelectElement;
    expect([...team.options].map((o) => [o.value, o.textContent])).toEqual([
      ["", "All"],
      ["(fleet-wide)", "(fleet-wide)"],
      ["nlp", "nlp"],
      ["vision", "Vision AI"],
    ]);
    const snoozed = screen.getAllByTestId("recommendation")[1]!;
    expect(within(snoozed).getByTestId("recommendation-state").textContent).toBe("snoozed until 2027-01-05");
    expect(within(snoozed).getByTestId("recommendation-state").querySelector(".badge.nowrap")?.textContent).toBe(
      "snoozed",
    );
  });

  it("snoozes every selected recommendation in one go and says how many changed", async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => new Response("{}", { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    render(<RecommendationTable items={items} canManage canRequest={false} />);
    fireEvent.click(screen.getByLabelText("Select Move training to spot"));
    fireEvent.click(screen.getByLabelText("Select Release idle notebooks"));
    fireEvent.click(screen.getByRole("button", { name: "Snooze selected…" }));
    fireEvent.change(screen.getByLabelText("Snooze for"), { target: { value: "90" } });
    fireEvent.click(screen.getByRole("button", { name: "Snooze for 90 days" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    expect(fetchMock.mock.calls.map(([url, init]) => [url, init.body])).toEqual([
      ["/api/v1/costs/recommendations/b", JSON.stringify({ action: "snooze", days: 90 })],
      ["/api/v1/costs/recommendations/a", JSON.stringify({ action: "snooze", days: 90 })],
    ]);
    expect(screen.getByText("2 recommendations snoozed for 90 days.")).toBeTruthy();
  });

  it("names the recommendations a bulk dismiss could not change", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) =>
        url.endsWith("/b")
          ? new Response(JSON.stringify({ error: { message: "recommendation b changed meanwhile" } }), { status: 409 })
          : new Response("{}"),
      ),
    );
    render(<RecommendationTable items={items} canManage canRequest={false} />);
    fireEvent.click(screen.getByLabelText("Select every recommendation shown"));
    fireEvent.click(screen.getByRole("button", { name: "Dismiss selected…" }));
    const confirm = screen.getByRole("button", { name: "Dismiss" });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/Why do these not apply/), {
      target: { value: "we keep this capacity on purpose" },
    });
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(
        screen.getByText(/2 of 3 changed\. Not changed: Move training to spot: recommendation b changed meanwhile/),
      ).toBeTruthy(),
    );
  });

  it("opens the recommendation a link names in the drawer, with its actions", () => {
    render(
      <RecommendationTable
        items={items}
        canManage
        canRequest={false}
        initialOpenId="c"
        detailSlot={{ c: <p>REQ-7 applying</p> }}
      />,
    );
    const detail = screen.getByTestId("recommendation-detail");
    expect(detail.getAttribute("data-state")).toBe("snoozed");
    expect(within(detail).getByText("REQ-7 applying")).toBeTruthy();
    expect(within(detail).getByRole("button", { name: "Reopen" })).toBeTruthy();
  });
});
