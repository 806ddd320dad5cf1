"use client";
// Savings recommendations as finance tools show them: one row each, sorted by saving, filtered by type, team and
// state, with bulk snooze and dismiss, and a drawer holding the numbers and the actions of one recommendation.
import { useRouter } from "next/navigation";
import { useMemo, useState, type ReactNode } from "react";
import { combinedSavings } from "@/lib/costs/recommendations/combined-savings";
import { Alert } from "@/components/ui/alert";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Drawer } from "@/components/ui/drawer";
import { Field } from "@/components/ui/field";
import { usd0 } from "./format";
import { RecommendationActions } from "./recommendation-actions";
import {
  categoryLabel,
  useRecommendationChange,
  type RecommendationChange,
  type RecommendationItem,
} from "./recommendation-change";
import { Button } from "@/components/ui/button";

const FLEET = "(fleet-wide)";
type FilterId = "category" | "team" | "state";
const filterIds: readonly FilterId[] = ["category", "team", "state"];
const filterLabels: Record<FilterId, string> = { category: "Type", team: "Team", state: "State" };
const filterValue: Record<FilterId, (r: RecommendationItem) => string> = {
  category: (r) => r.category,
  team: (r) => r.team ?? FLEET,
  state: (r) => r.state,
};

/**
 * Six columns that fit the 690 px a 1,024 px window leaves the card: what it costs now sits under the saving and the
 * confidence and effort under the title (the drawer has every number), so nothing is cut or scrolled sideways.
 */
function columnsFor(open: (id: string) => void, teamName: (slug: string) => string): Column<RecommendationItem>[] {
  return [
    {
      id: "category",
      header: "Type",
      sortValue: (r) => categoryLabel(r.category),
      cell: (r) => <span className="badge badge-info nowrap">{categoryLabel(r.category)}</span>,
    },
    {
      id: "title",
      header: "Recommendation",
      cell: (r) => (
        <>
          <button type="button" className="link-button" onClick={() => open(r.id)} data-testid="recommendation-open">
            {r.title}
          </button>
          <div className="help">
            {r.confidence} confidence · {r.effort} effort
          </div>
        </>
      ),
    },
    {
      id: "team",
      header: "Team",
      sortValue: (r) => (r.team === null ? FLEET : teamName(r.team)),
      cell: (r) => (r.team === null ? <span className="help">fleet-wide</span> : teamName(r.team)),
    },
    {
      id: "saving",
      header: "Saves / month",
      align: "right",
      sortValue: (r) => r.projectedSavingsUsd,
      cell: (r) => (
        <>
          <strong>{usd0(r.projectedSavingsUsd)}</strong>
          <div className="help">of {usd0(r.currentMonthlyUsd)} now</div>
        </>
      ),
    },
    {
      id: "state",
      header: "State",
      sortValue: (r) => r.state,
      // The badge holds the one word; the date and the linked request go on lines of their own, so a narrow column
      // wraps them instead of cutting a long badge.
      cell: (r) => (
        <>
          <div data-testid="recommendation-state">
            <span
              className={`badge nowrap ${r.state === "open" ? "badge-warning" : r.state === "accepted" ? "badge-success" : ""}`}
            >
              {r.state}
            </span>
            {r.state === "snoozed" && r.snoozedUntil && (
              <div className="help">{` until ${r.snoozedUntil.slice(0, 10)}`}</div>
            )}
          </div>
          {r.request && (
            <div className="help">
              REQ-{r.request.number} {r.request.status.replaceAll("_", " ")}
            </div>
          )}
        </>
      ),
    },
  ];
}

export interface RecommendationTableProps {
  items: RecommendationItem[];
  canManage: boolean;
  canRequest: boolean;
  /** A recommendation to open in the drawer at once (a link from the home page). */
  initialOpenId?: string | null;
  /** More detail per recommendation id, shown in its drawer (its linked request and progress). */
  detailSlot?: Record<string, ReactNode>;
  /** Team slug to name, as the rest of the portal names teams; a slug not listed shows as itself. */
  teamNames?: Readonly<Record<string, string>>;
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
  teamNames,
}: RecommendationTableProps) {
  const router = useRouter();
  const postRecommendationChange = useRecommendationChange();
  const [filters, setFilters] = useState<Record<FilterId, string>>({ category: "", team: "", state: "" });
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());
  const [openId, setOpenId] = useState<string | null>(
    initialOpenId && items.some((i) => i.id === initialOpenId) ? initialOpenId : null,
  );
  const [bulk, setBulk] = useState<"snooze" | "dismiss" | null>(null);
  const [bulkDays, setBulkDays] = useState(30);
  const [bulkReason, setBulkReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "info" | "danger"; text: string } | null>(null);
  const columns = useMemo(() => columnsFor(setOpenId, (slug) => teamNames?.[slug] ?? slug), [teamNames]);
  const options = useMemo(
    () =>
      Object.fromEntries(filterIds.map((id) => [id, [...new Set(items.map(filterValue[id]))].sort()])) as Record<
        FilterId,
        string[]
      >,
    [items],
  );
  const setFilter = (id: FilterId, value: string) => {
    setFilters((old) => ({ ...old, [id]: value }));
    setSelectedIds(new Set());
  };
  const shown = items.filter((r) => filterIds.every((id) => !filters[id] || filterValue[id](r) === filters[id]));
  // In the order they were picked, and only among the rows shown.
  const byId = new Map(shown.map((r) => [r.id, r]));
  const selected = [...selectedIds].flatMap((id) => byId.get(id) ?? []);
  const open = items.filter((i) => i.state === "open");
  const savings = combinedSavings(open, (slug) => teamNames?.[slug] ?? slug);
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
    setSelectedIds(new Set());
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
          <div className="row items-end my-8" role="group" aria-label="Filter recommendations">
            {filterIds.map((id) => (
              <Field key={id} label={filterLabels[id]} className="flush">
                {(control) => (
                  <select {...control} value={filters[id]} onChange={(e) => setFilter(id, e.target.value)}>
                    <option value="">All</option>
                    {options[id].map((o) => (
                      <option key={o} value={o}>
                        {id === "category" ? categoryLabel(o) : id === "team" ? (teamNames?.[o] ?? o) : o}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ))}
            <span className="spacer" />
            <span className="help" aria-live="polite">
              {shown.length} of {items.length} shown
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
          <DataTable
            columns={columns}
            rows={shown}
            rowId={(r) => r.id}
            label="Savings recommendations"
            empty="No recommendation matches these filters."
            initialSort={{ id: "saving", desc: true }}
            testId="recommendation-table"
            rowProps={(r) => ({ "data-testid": "recommendation", "data-category": r.category, "data-state": r.state })}
            selection={
              canManage
                ? {
                    selected: selectedIds,
                    onChange: setSelectedIds,
                    rowLabel: (r) => `Select ${r.title}`,
                    allLabel: "Select every recommendation shown",
                  }
                : undefined
            }
          />
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
          <Field label="Snooze for">
            {(control) => (
              <select {...control} value={bulkDays} onChange={(e) => setBulkDays(Number(e.target.value))}>
                {[7, 30, 90].map((d) => (
                  <option key={d} value={d}>
                    {d} days
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field label="Why do these not apply?" hint="At least 3 characters; kept with each recommendation.">
            {(control) => <input {...control} value={bulkReason} onChange={(e) => setBulkReason(e.target.value)} />}
          </Field>
        )}
      </ConfirmDialog>
    </section>
  );
}
