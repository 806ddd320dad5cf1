"use client";
// Savings recommendations as finance tools show them: one row each, sorted by saving, filtered by type, team and
// state, with bulk snooze and dismiss, and a drawer holding the numbers and the actions of one recommendation.
import { useRouter } from "next/navigation";
import { useMemo, useState, type ReactNode } from "react";
import {
  columnFilteringFeature,
  createColumnHelper,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_equalsString,
  rowSelectionFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  tableFeatures,
  useTable,
  type ColumnFiltersState,
  type RowSelectionState,
  type SortingState,
} from "@tanstack/react-table";
import { combinedSavings } from "@/lib/costs/recommendations/combined-savings";
import { Alert } from "@/components/ui/alert";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Drawer } from "@/components/ui/drawer";
import { usd0 } from "./format";
import { RecommendationActions } from "./recommendation-actions";
import {
  categoryLabel,
  useRecommendationChange,
  type RecommendationChange,
  type RecommendationItem,
} from "./recommendation-change";
import { Button } from "@/components/ui/button";

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric },
  columnFilteringFeature,
  filteredRowModel: createFilteredRowModel(),
  filterFns: { equalsString: filterFn_equalsString },
  rowSelectionFeature,
});
const helper = createColumnHelper<typeof features, RecommendationItem>();
const FLEET = "(fleet-wide)";
const columns = helper.columns([
  helper.accessor("category", { id: "category", header: "Type", filterFn: "equalsString" }),
  helper.accessor("title", { id: "title", header: "Recommendation", enableSorting: false }),
  helper.accessor((r) => r.team ?? FLEET, { id: "team", header: "Team", filterFn: "equalsString" }),
  helper.accessor("projectedSavingsUsd", { id: "saving", header: "Saves / month" }),
  helper.accessor("currentMonthlyUsd", { id: "current", header: "Costs now / month" }),
  helper.accessor("confidence", { id: "confidence", header: "Confidence", enableSorting: false }),
  helper.accessor("state", { id: "state", header: "State", filterFn: "equalsString" }),
]);

export interface RecommendationTableProps {
  items: RecommendationItem[];
  canManage: boolean;
  canRequest: boolean;
  /** A recommendation to open in the drawer at once (a link from the home page). */
  initialOpenId?: string | null;
  /** More detail per recommendation id, shown in its drawer (its linked request and progress). */
  detailSlot?: Record<string, ReactNode>;
}

function stateLabel(r: RecommendationItem) {
  return `${r.state}${r.state === "snoozed" && r.snoozedUntil ? ` until ${r.snoozedUntil.slice(0, 10)}` : ""}`;
}

export function RecommendationTable({
  items,
  canManage,
  canRequest,
  initialOpenId,
  detailSlot,
}: RecommendationTableProps) {
  const router = useRouter();
  const postRecommendationChange = useRecommendationChange();
  const [sorting, setSorting] = useState<SortingState>([{ id: "saving", desc: true }]);
  const [columnFilters, setColumnFilters] = useState<ColumnFiltersState>([]);
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [openId, setOpenId] = useState<string | null>(
    initialOpenId && items.some((i) => i.id === initialOpenId) ? initialOpenId : null,
  );
  const [bulk, setBulk] = useState<"snooze" | "dismiss" | null>(null);
  const [bulkDays, setBulkDays] = useState(30);
  const [bulkReason, setBulkReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "info" | "danger"; text: string } | null>(null);
  const table = useTable({
    features,
    columns,
    data: items,
    getRowId: (r) => r.id,
    state: { sorting, columnFilters, rowSelection },
    onSortingChange: setSorting,
    onColumnFiltersChange: setColumnFilters,
    onRowSelectionChange: setRowSelection,
    enableSortingRemoval: false,
  });
  const options = useMemo(
    () => ({
      category: [...new Set(items.map((i) => i.category))].sort(),
      team: [...new Set(items.map((i) => i.team ?? FLEET))].sort(),
      state: [...new Set(items.map((i) => i.state))].sort(),
    }),
    [items],
  );
  const filterOf = (id: string) => (columnFilters.find((f) => f.id === id)?.value as string | undefined) ?? "";
  const setFilter = (id: string, value: string) => {
    setColumnFilters((old) => [...old.filter((f) => f.id !== id), ...(value ? [{ id, value }] : [])]);
    setRowSelection({});
  };
  const rows = table.getRowModel().rows;
  const selected = rows.filter((r) => rowSelection[r.id]).map((r) => r.original);
  const open = items.filter((i) => i.state === "open");
  const savings = combinedSavings(open);
  const current = items.find((i) => i.id === openId) ?? null;

  async function runBulk() {
    setBusy(true);
    const body: RecommendationChange =
      bulk === "snooze" ? { action: "snooze", days: bulkDays } : { action: "dismiss", reason: bulkReason };
    const failures: string[] = [];
    for (const r of selected) {
      const result = await postRecommendationChange(r.id, body);
      if (!result.ok) failures.push(`${r.title}: ${result.message}`);
    }
    setBusy(false);
    setBulk(null);
    setBulkReason("");
    setRowSelection({});
    const done = selected.length - failures.length;
    setMessage(
      failures.length
        ? { tone: "danger", text: `${done} of ${selected.length} changed. Not changed: ${failures.join("; ")}` }
        : {
            tone: "info",
            text: `${done} recommendation${done === 1 ? "" : "s"} ${bulk === "snooze" ? `snoozed for ${bulkDays} days` : "dismissed"}.`,
          },
    );
    router.refresh();
  }

  return (
    <section className="card" aria-labelledby="recs-title" data-testid="recommendations">
      <h2 className="flush-top" id="recs-title">
        Savings recommendations
      </h2>
      <div className="stat">
        <span className="value" data-testid="total-savings">
          {usd0(savings.combinedUsd)}
        </span>{" "}
        <span className="help">a month if every open recommendation is applied</span>
      </div>
      {Math.round(savings.combinedUsd) !== Math.round(savings.sumUsd) && (
        <p className="help" data-testid="savings-overlap">
          The individual savings add up to {usd0(savings.sumUsd)}, but{" "}
          {savings.overlappingWorkloads.length > 0
            ? `they overlap on ${savings.overlappingWorkloads.length} workload${savings.overlappingWorkloads.length === 1 ? "" : "s"} (${savings.overlappingWorkloads.join(", ")})`
            : "no saving counts for more than the current cost of what it changes"}
          , so applying all of them saves {usd0(savings.combinedUsd)}.
        </p>
      )}
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      {items.length === 0 ? (
        <p className="empty">No recommendations: the data shows nothing to change.</p>
      ) : (
        <>
          <div className="row my-8" role="group" aria-label="Filter recommendations">
            {(["category", "team", "state"] as const).map((id) => (
              <div className="field flush" key={id}>
                <label htmlFor={`rec-filter-${id}`}>
                  {id === "category" ? "Type" : id === "team" ? "Team" : "State"}
                </label>
                <select id={`rec-filter-${id}`} value={filterOf(id)} onChange={(e) => setFilter(id, e.target.value)}>
                  <option value="">All</option>
                  {options[id].map((o) => (
                    <option key={o} value={o}>
                      {id === "category" ? categoryLabel(o) : o}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            <span className="spacer" />
            <span className="help" aria-live="polite">
              {rows.length} of {items.length} shown
            </span>
          </div>
          {canManage && (
            <div className="row my-8" data-testid="bulk-actions">
              <span className="help">{selected.length} selected</span>
              <Button disabled={selected.length === 0} onClick={() => setBulk("snooze")}>
                Snooze selected…
              </Button>
              <Button disabled={selected.length === 0} onClick={() => setBulk("dismiss")}>
                Dismiss selected…
              </Button>
            </div>
          )}
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label="Table, scrolls sideways on narrow screens"
          >
            <table className="table" data-testid="recommendation-table">
              <caption className="visually-hidden">
                Savings recommendations, sorted by {sorting[0]?.id === "current" ? "current cost" : "saving"}
              </caption>
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {canManage && (
                      <th scope="col">
                        <input
                          type="checkbox"
                          aria-label="Select every recommendation shown"
                          checked={table.getIsAllRowsSelected()}
                          ref={(el) => {
                            if (el) el.indeterminate = table.getIsSomeRowsSelected();
                          }}
                          onChange={table.getToggleAllRowsSelectedHandler()}
                        />
                      </th>
                    )}
                    {group.headers.map((header) => {
                      const sorted = header.column.getIsSorted();
                      const sortable = header.column.getCanSort();
                      return (
                        <th
                          key={header.id}
                          scope="col"
                          aria-sort={
                            sortable
                              ? sorted === "asc"
                                ? "ascending"
                                : sorted === "desc"
                                  ? "descending"
                                  : "none"
                              : undefined
                          }
                          style={header.id === "saving" || header.id === "current" ? { textAlign: "right" } : undefined}
                        >
                          {sortable ? (
                            <button
                              type="button"
                              className="sort-button"
                              onClick={header.column.getToggleSortingHandler()}
                            >
                              <table.FlexRender header={header} />
                              {sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}
                            </button>
                          ) : (
                            <table.FlexRender header={header} />
                          )}
                        </th>
                      );
                    })}
                  </tr>
                ))}
              </thead>
              <tbody>
                {rows.map((row) => {
                  const r = row.original;
                  return (
                    <tr
                      key={row.id}
                      data-testid="recommendation"
                      data-category={r.category}
                      data-state={r.state}
                      aria-selected={canManage ? row.getIsSelected() : undefined}
                    >
                      {canManage && (
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Select ${r.title}`}
                            checked={row.getIsSelected()}
                            onChange={row.getToggleSelectedHandler()}
                          />
                        </td>
                      )}
                      <td>
                        <span className="badge badge-info">{categoryLabel(r.category)}</span>
                      </td>
                      <td>
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => setOpenId(r.id)}
                          data-testid="recommendation-open"
                        >
                          {r.title}
                        </button>
                      </td>
                      <td>{r.team ?? <span className="help">fleet-wide</span>}</td>
                      <td className="num">
                        <strong>{usd0(r.projectedSavingsUsd)}</strong>
                      </td>
                      <td className="num">{usd0(r.currentMonthlyUsd)}</td>
                      <td>{r.confidence}</td>
                      <td>
                        <span
                          className={`badge ${r.state === "open" ? "badge-warning" : r.state === "accepted" ? "badge-success" : ""}`}
                          data-testid="recommendation-state"
                        >
                          {stateLabel(r)}
                        </span>
                        {r.request && (
                          <span className="help">
                            {" "}
                            · REQ-{r.request.number} {r.request.status.replaceAll("_", " ")}
                          </span>
                        )}
                      </td>
                    </tr>
                  );
                })}
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={canManage ? 8 : 7} className="empty">
                      No recommendation matches these filters.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
      <Drawer
        open={current !== null}
        title={current?.title ?? ""}
        onClose={() => setOpenId(null)}
        testId="recommendation-drawer"
      >
        {current && (
          <RecommendationActions
            item={current}
            canManage={canManage}
            canRequest={canRequest}
            stateText={stateLabel(current)}
            onChanged={() => router.refresh()}
          >
            {detailSlot?.[current.id]}
          </RecommendationActions>
        )}
      </Drawer>
      <ConfirmDialog
        open={bulk !== null}
        title={
          bulk === "snooze"
            ? `Snooze ${selected.length} recommendation${selected.length === 1 ? "" : "s"}`
            : `Dismiss ${selected.length} recommendation${selected.length === 1 ? "" : "s"}`
        }
        confirmLabel={bulk === "snooze" ? `Snooze for ${bulkDays} days` : "Dismiss"}
        danger={bulk === "dismiss"}
        busy={busy}
        confirmDisabled={bulk === "dismiss" && bulkReason.trim().length < 3}
        onConfirm={() => void runBulk()}
        onCancel={() => setBulk(null)}
      >
        <ul>
          {selected.map((r) => (
            <li key={r.id}>
              {r.title} ({usd0(r.projectedSavingsUsd)}/month)
            </li>
          ))}
        </ul>
        {bulk === "snooze" ? (
          <div className="field">
            <label htmlFor="bulk-days">Snooze for</label>
            <select id="bulk-days" value={bulkDays} onChange={(e) => setBulkDays(Number(e.target.value))}>
              {[7, 30, 90].map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="field">
            <label htmlFor="bulk-reason">Why do these not apply? (at least 3 characters, kept with each)</label>
            <input id="bulk-reason" value={bulkReason} onChange={(e) => setBulkReason(e.target.value)} />
          </div>
        )}
      </ConfirmDialog>
    </section>
  );
}
