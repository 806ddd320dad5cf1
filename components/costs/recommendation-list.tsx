"use client";
// Recommendations with their numbers and actions: accept, snooze 7/30/90 days, dismiss with a reason, create request.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { combinedSavings, type WorkloadRef } from "@/lib/costs/combined-savings";
import type { RecommendationRequestView } from "@/lib/costs/recommendation-request";
import { usd0 } from "./format";
import { RecommendationRequestProgress } from "./recommendation-request-progress";

export interface RecommendationItem {
  id: string;
  category: string;
  title: string;
  team: string | null;
  /** The workloads the advice changes: advice sharing one overlaps and does not add up. */
  resources: WorkloadRef[];
  currentMonthlyUsd: number;
  projectedSavingsUsd: number;
  confidence: string;
  effort: string;
  rationale: string;
  actionItems: string[];
  state: string;
  snoozedUntil: string | null;
  dismissReason: string | null;
  requestHref: string | null;
  /** The request "Create request" produced and its progress; null when none did. */
  request?: RecommendationRequestView | null;
}

export function RecommendationList({ items, canManage, canRequest }: { items: RecommendationItem[]; canManage: boolean; canRequest: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState<string | null>(null);
  const [reason, setReason] = useState("");

  async function act(id: string, body: object) {
    setBusy(id);
    setError(null);
    try {
      const res = await fetch(`/api/v1/costs/recommendations/${id}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (!res.ok) {
        const j = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        setError(j?.error?.message ?? `The change failed (${res.status}).`);
        return;
      }
      setDismissing(null);
      setReason("");
      router.refresh();
    } finally {
      setBusy(null);
    }
  }

  const open = items.filter((i) => i.state === "open");
  const savings = combinedSavings(open);
  return (
    <section className="card" aria-labelledby="recs-title">
      <h2 id="recs-title" style={{ marginTop: 0 }}>Recommendations</h2>
      <div className="stat"><span className="value" data-testid="total-savings">{usd0(savings.combinedUsd)}</span> <span className="help">projected monthly savings of open recommendations</span></div>
      {/* Compared in whole dollars, as shown: a cent of difference would read "add up to $20 … saves $20". */}
      {Math.round(savings.combinedUsd) !== Math.round(savings.sumUsd) && (
        <p className="help" data-testid="savings-overlap">
          The individual savings add up to {usd0(savings.sumUsd)}, but {totalBelowSumReason(savings.overlappingWorkloads)}, so applying all of them saves {usd0(savings.combinedUsd)}.
        </p>
      )}
      {error && <div className="alert alert-danger" role="alert">{error}</div>}
      {items.length === 0 && <p className="empty">No recommendations: the data shows nothing to change.</p>}
      <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {items.map((r) => (
          <li key={r.id} className="card" style={{ marginTop: 12 }} data-testid="recommendation" data-category={r.category} data-state={r.state}>
            <div className="row">
              <span className="badge badge-info">{r.category}</span>
              <strong>{r.title}</strong>
              <span className="spacer" />
              <span className={`badge ${r.state === "open" ? "badge-warning" : r.state === "accepted" ? "badge-success" : ""}`} data-testid="recommendation-state">
                {r.state}{r.state === "snoozed" && r.snoozedUntil ? ` until ${r.snoozedUntil.slice(0, 10)}` : ""}
              </span>
            </div>
            <p style={{ margin: "8px 0" }}>
              Saves <strong>{usd0(r.projectedSavingsUsd)}</strong>/month of {usd0(r.currentMonthlyUsd)}/month · confidence {r.confidence} · effort {r.effort}
              {r.team ? ` · team ${r.team}` : " · fleet-wide"}
            </p>
            {r.rationale && <p className="help" style={{ marginTop: 0 }}>{r.rationale}</p>}
            <ul style={{ margin: "0 0 8px 18px", padding: 0 }}>
              {r.actionItems.map((a) => <li key={a}>{a}</li>)}
            </ul>
            {r.dismissReason && <p className="help">Dismissed: {r.dismissReason}</p>}
            <RecommendationRequestProgress request={r.request} />
            <div className="row">
              {canRequest && r.requestHref && <a className="btn btn-primary" href={r.requestHref} data-testid="create-request">Create request</a>}
              {canManage && r.state !== "accepted" && <button type="button" className="btn" disabled={busy === r.id} onClick={() => act(r.id, { action: "accept" })}>Accept</button>}
              {canManage && r.state === "open" && [7, 30, 90].map((d) => (
                <button key={d} type="button" className="btn" disabled={busy === r.id} onClick={() => act(r.id, { action: "snooze", days: d })} data-testid={`snooze-${d}`}>Snooze {d} d</button>
              ))}
              {canManage && r.state !== "open" && <button type="button" className="btn" disabled={busy === r.id} onClick={() => act(r.id, { action: "reopen" })}>Reopen</button>}
              {canManage && r.state !== "dismissed" && dismissing !== r.id && <button type="button" className="btn" onClick={() => setDismissing(r.id)}>Dismiss…</button>}
            </div>
            {dismissing === r.id && (
              <form className="row" style={{ marginTop: 8 }} onSubmit={(e) => { e.preventDefault(); void act(r.id, { action: "dismiss", reason }); }}>
                <label htmlFor={`reason-${r.id}`} className="visually-hidden">Reason for dismissing</label>
                <input id={`reason-${r.id}`} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why does this not apply?" style={{ maxWidth: 420 }} required minLength={3} />
                <button type="submit" className="btn btn-danger" disabled={busy === r.id}>Dismiss</button>
                <button type="button" className="btn" onClick={() => setDismissing(null)}>Cancel</button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function totalBelowSumReason(overlapping: string[]): string {
  const n = overlapping.length;
  // Without overlap the total is below the sum only where a saving exceeds the current cost of what it changes.
  return n > 0 ? `they overlap on ${n} workload${n === 1 ? "" : "s"} (${overlapping.join(", ")})` : "no saving counts for more than the current cost of what it changes";
}
