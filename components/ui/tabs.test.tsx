// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Tabs, type TabItem } from "./tabs";

afterEach(cleanup);

const items: TabItem[] = ["Plan", "Terraform", "Cost", "Requires", "Security", "Viability", "Diff", "Runbooks"].map(
  (name) => ({ id: name.toLowerCase(), label: name, content: <p>{name} panel</p> }),
);

const selected = () => screen.getAllByRole("tab").filter((t) => t.getAttribute("aria-selected") === "true");

describe("Tabs", () => {
  it("renders every tab in the list, none behind a scroll button", () => {
    render(<Tabs items={items} label="Plan of the request" />);
    const list = screen.getByRole("tablist", { name: "Plan of the request" });
    expect(screen.getAllByRole("tab").map((t) => t.textContent)).toEqual(items.map((i) => i.label));
    expect(list.parentElement?.querySelectorAll("button:not([role='tab'])")).toHaveLength(0);
  });

  it("moves the selection and the focus with the arrow keys, Home and End, keeping one tab in the tab order", () => {
    const onChange = vi.fn();
    render(<Tabs items={items} label="Plan" onChange={onChange} />);
    const tabs = screen.getAllByRole("tab");
    fireEvent.keyDown(tabs[0]!, { key: "ArrowLeft" });
    expect(selected().map((t) => t.textContent)).toEqual(["Runbooks"]);
    expect(document.activeElement).toBe(tabs[7]);
    fireEvent.keyDown(tabs[7]!, { key: "ArrowRight" });
    expect(document.activeElement).toBe(tabs[0]);
    fireEvent.keyDown(tabs[0]!, { key: "End" });
    fireEvent.keyDown(tabs[7]!, { key: "ArrowLeft" });
    expect(selected().map((t) => t.textContent)).toEqual(["Diff"]);
    expect(screen.getByRole("tabpanel").textContent).toBe("Diff panel");
    expect(tabs.filter((t) => t.tabIndex === 0)).toEqual([tabs[6]]);
    fireEvent.keyDown(tabs[6]!, { key: "Home" });
    expect(document.activeElement).toBe(tabs[0]);
    expect(onChange.mock.calls.map(([id]) => id)).toEqual(["runbooks", "plan", "runbooks", "diff", "plan"]);
  });

  it("leaves other keys to the page", () => {
    render(<Tabs items={items} label="Plan" initial="cost" />);
    const cost = screen.getByRole("tab", { name: "Cost" });
    expect(fireEvent.keyDown(cost, { key: "ArrowDown" })).toBe(true);
    expect(selected()).toEqual([cost]);
  });

  it("labels the panel with its tab", () => {
    render(<Tabs items={items} label="Plan" initial="security" />);
    expect(screen.getByRole("tabpanel", { name: "Security" }).textContent).toBe("Security panel");
  });
});
