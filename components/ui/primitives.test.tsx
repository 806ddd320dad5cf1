// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Button } from "./button";
import { DataTable, type Column } from "./data-table";
import { Dialog } from "./dialog";
import { Drawer } from "./drawer";
import { Field, FieldSet } from "./field";

afterEach(cleanup);

interface Gpu {
  name: string;
  count: number;
}
const columns: Column<Gpu>[] = [
  { id: "name", header: "Name", sortValue: (g) => g.name, cell: (g) => g.name },
  { id: "count", header: "GPUs", sortValue: (g) => g.count, cell: (g) => String(g.count), align: "right" },
  { id: "actions", header: "Actions", headerHidden: true, cell: (g) => <button>Use {g.name}</button> },
];
const rows: Gpu[] = [
  { name: "b-pool", count: 8 },
  { name: "a-pool", count: 16 },
  { name: "c-pool", count: 2 },
];
const names = () =>
  within(screen.getByTestId("gpus"))
    .getAllByRole("row")
    .slice(1)
    .map((r) => r.querySelector("td")?.textContent);

describe("DataTable", () => {
  it("sorts by a column when its header is clicked and says which way in aria-sort", () => {
    render(<DataTable columns={columns} rows={rows} rowId={(g) => g.name} label="Pools" empty="None" testId="gpus" />);
    expect(names()).toEqual(["b-pool", "a-pool", "c-pool"]);
    fireEvent.click(screen.getByRole("button", { name: /GPUs/ }));
    const header = screen.getByRole("columnheader", { name: /GPUs/ });
    const order = names();
    expect(order).toEqual(
      header.getAttribute("aria-sort") === "descending"
        ? ["a-pool", "b-pool", "c-pool"]
        : ["c-pool", "b-pool", "a-pool"],
    );
    fireEvent.click(screen.getByRole("button", { name: /GPUs/ }));
    expect(names()).toEqual([...order].reverse());
    // A column without a sort value has no sort button; a hidden header still names the column.
    expect(screen.queryByRole("button", { name: "Actions" })).toBeNull();
    expect(screen.getByRole("columnheader", { name: "Actions" })).toBeTruthy();
  });

  it("starts in the sort asked for, scrolls in its own named region, and says so when there are no rows", () => {
    const { rerender } = render(
      <DataTable
        columns={columns}
        rows={rows}
        rowId={(g) => g.name}
        label="Pools"
        empty="No pools yet."
        initialSort={{ id: "name" }}
        testId="gpus"
      />,
    );
    expect(names()).toEqual(["a-pool", "b-pool", "c-pool"]);
    expect(screen.getByRole("region", { name: /Pools/ }).getAttribute("tabindex")).toBe("0");
    rerender(<DataTable columns={columns} rows={[]} rowId={(g) => g.name} label="Pools" empty="No pools yet." />);
    expect(screen.getByText("No pools yet.")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });
});

describe("Field", () => {
  it("labels the control and ties its hint and error to it", () => {
    render(
      <Field label="Name" hint="Lower case" error="Name is taken">
        {(control) => <input {...control} />}
      </Field>,
    );
    const input = screen.getByLabelText("Name");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const described = (input.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent);
    expect(described).toEqual(["Lower case", "Name is taken"]);
  });

  it("is not invalid without an error, and a fieldset's hint describes the group", () => {
    render(
      <>
        <Field label="Team">{(control) => <select {...control} />}</Field>
        <FieldSet legend="Scopes" hint="At most your role">
          <input type="checkbox" aria-label="read" />
        </FieldSet>
      </>,
    );
    expect(screen.getByLabelText("Team").hasAttribute("aria-invalid")).toBe(false);
    const group = screen.getByRole("group", { name: "Scopes" });
    expect(document.getElementById(group.getAttribute("aria-describedby") ?? "")?.textContent).toBe(
      "At most your role",
    );
  });
});

describe("Button", () => {
  it("is a plain button that cannot be clicked twice while loading, and says what it is doing", () => {
    const onClick = vi.fn();
    const { rerender } = render(
      <Button variant="danger" onClick={onClick}>
        Delete
      </Button>,
    );
    const button = screen.getByRole("button", { name: "Delete" });
    expect(button.getAttribute("type")).toBe("button");
    expect(button.className).toContain("btn-danger");
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
    rerender(
      <Button variant="danger" onClick={onClick} loading loadingText="Deleting…">
        Delete
      </Button>,
    );
    const busy = screen.getByRole("button", { name: "Deleting…" }) as HTMLButtonElement;
    expect(busy.disabled).toBe(true);
    expect(busy.getAttribute("aria-busy")).toBe("true");
  });
});

describe("Dialog", () => {
  it("shows its title and actions when open and closes through its owner on Escape (cancel)", () => {
    const onClose = vi.fn();
    render(
      <Dialog open title="Snooze 3?" onClose={onClose} actions={<button>Snooze</button>}>
        <p>They come back in 30 days.</p>
      </Dialog>,
    );
    const dialog = screen.getByRole("dialog", { name: "Snooze 3?" });
    expect(within(dialog).getByRole("button", { name: "Snooze" })).toBeTruthy();
    fireEvent(dialog, new Event("cancel", { cancelable: true }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});

describe("Drawer (the Dialog at the side)", () => {
  it("renders its content only while open, and closes on Escape, Close and a click on the backdrop only", () => {
    const onClose = vi.fn();
    const { rerender } = render(
      <Drawer open={false} title="Move training to spot" onClose={onClose}>
        <p>Saves $900 a month</p>
      </Drawer>,
    );
    expect(screen.queryByText("Saves $900 a month")).toBeNull();
    rerender(
      <Drawer open title="Move training to spot" onClose={onClose}>
        <p>Saves $900 a month</p>
      </Drawer>,
    );
    const drawer = screen.getByRole("dialog", { name: "Move training to spot" });
    fireEvent.click(screen.getByText("Saves $900 a month"));
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(drawer);
    fireEvent(drawer, new Event("cancel", { cancelable: true }));
    fireEvent.click(within(drawer).getByRole("button", { name: "Close details" }));
    expect(onClose).toHaveBeenCalledTimes(3);
  });
});

describe("DataTable selection", () => {
  it("picks rows one by one or all given, in the order picked, and marks the picked rows", () => {
    let selected: ReadonlySet<string> = new Set();
    const onChange = vi.fn((next: ReadonlySet<string>) => {
      selected = next;
    });
    const table = () => (
      <DataTable
        columns={columns}
        rows={rows}
        rowId={(g) => g.name}
        label="GPU pools"
        empty="none"
        testId="gpus"
        selection={{ selected, onChange, rowLabel: (g) => `Select ${g.name}`, allLabel: "Select every pool" }}
      />
    );
    const { rerender } = render(table());
    fireEvent.click(screen.getByLabelText("Select c-pool"));
    rerender(table());
    fireEvent.click(screen.getByLabelText("Select a-pool"));
    rerender(table());
    expect([...selected]).toEqual(["c-pool", "a-pool"]);
    const all = screen.getByLabelText("Select every pool") as HTMLInputElement;
    expect(all.checked).toBe(false);
    expect(all.indeterminate).toBe(true);
    expect(screen.getByLabelText("Select c-pool").closest("tr")?.getAttribute("aria-selected")).toBe("true");
    expect(screen.getByLabelText("Select b-pool").closest("tr")?.getAttribute("aria-selected")).toBe("false");
    fireEvent.click(all);
    rerender(table());
    expect([...selected].sort()).toEqual(["a-pool", "b-pool", "c-pool"]);
    expect((screen.getByLabelText("Select every pool") as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByLabelText("Select every pool"));
    expect([...selected]).toEqual([]);
  });
});
