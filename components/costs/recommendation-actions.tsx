"use client";
// One recommendation's numbers, reasoning and actions (accept, snooze 7/30/90 days, reopen, dismiss with a reason,
// create request): the body of the recommendation drawer.
import { useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { usd0 } from "./format";
import { RecommendationRequestProgress } from "./recommendation-request-progress";
import {
  categoryLabel,
  useRecommendationChange,
  type RecommendationChange,
  type RecommendationItem,
} from "./recommendation-change";
import { Button, buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function RecommendationActions({
  item: r,
  canManage,
  canRequest,
  stateText,
  onChanged,
  children,
}: {
  item: RecommendationItem;
  canManage: boolean;
  canRequest: boolean;
  stateText: string;
  onChanged: () => void;
  children?: ReactNode;
}) {
  const postRecommendationChange = useRecommendationChange();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);

  async function act(body: RecommendationChange) {
    setBusy(true);
    setError(null);
    setReasonError(null);
    const result = await postRecommendationChange(r.id, body);
    setBusy(false);
    if (!result.ok) {
      if (result.fields.reason) setReasonError(result.fields.reason);
      else setError(`The change failed: ${result.message}.`);
      return;
    }
    setDismissing(false);
    setReason("");
    onChanged();
  }

  return (
    <div data-testid="recommendation-detail" data-state={r.state}>
      <p className="row my-12">
        <span className="badge badge-info">{categoryLabel(r.category)}</span>
        <span
          className={`badge ${r.state === "open" ? "badge-warning" : r.state === "accepted" ? "badge-success" : ""}`}
          data-testid="recommendation-state"
        >
          {stateText}
        </span>
        <span className="help">{r.team ? `team ${r.team}` : "fleet-wide"}</span>
      </p>
      <dl className="detail-list">
        <dt>Saves</dt>
        <dd>
          <strong>{usd0(r.projectedSavingsUsd)}</strong> a month
        </dd>
        <dt>Costs now</dt>
        <dd>{usd0(r.currentMonthlyUsd)} a month</dd>
        <dt>Confidence</dt>
        <dd>{r.confidence}</dd>
        <dt>Effort</dt>
        <dd>{r.effort}</dd>
        {r.resources.length > 0 && (
          <>
            <dt>Changes</dt>
            <dd>{r.resources.map((w) => `${w.team} / ${w.nodePool} / ${w.workloadType}`).join(", ")}</dd>
          </>
        )}
      </dl>
      {r.rationale && <p>{r.rationale}</p>}
      {r.actionItems.length > 0 && (
        <>
          <h3>What to do</h3>
          <ul>
            {r.actionItems.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </>
      )}
      {r.dismissReason && <p className="help">Dismissed: {r.dismissReason}</p>}
      {/* The linked request and its progress, when the page supplies them. */}
      <RecommendationRequestProgress request={r.request} />
      {children && <div data-testid="recommendation-detail-slot">{children}</div>}
      {error && <Alert tone="danger">{error}</Alert>}
      <div className="row mt-12">
        {canRequest && r.requestHref && (
          <a className={buttonClass("primary")} href={r.requestHref} data-testid="create-request">
            Create request
          </a>
        )}
        {canManage && r.state !== "accepted" && (
          <Button disabled={busy} onClick={() => act({ action: "accept" })}>
            Accept
          </Button>
        )}
        {canManage &&
          r.state === "open" &&
          [7, 30, 90].map((d) => (
            <Button
              key={d}

              disabled={busy}
              onClick={() => act({ action: "snooze", days: d })}
              data-testid={`snooze-${d}`}
            >
              Snooze {d} days
            </Button>
          ))}
        {canManage && r.state !== "open" && (
          <Button disabled={busy} onClick={() => act({ action: "reopen" })}>
            Reopen
          </Button>
        )}
        {canManage && r.state !== "dismissed" && !dismissing && (
          <Button onClick={() => setDismissing(true)}>Dismiss…</Button>
        )}
      </div>
      {dismissing && (
        <form
          className="row mt-8"

          onSubmit={(e) => {
            e.preventDefault();
            void act({ action: "dismiss", reason });
          }}
        >
          <Field label="Why does this not apply?" className="grow min-w-200 flush" error={reasonError}>
            {(control) => (
              <input {...control} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />
            )}
          </Field>
          <Button type="submit" variant="danger" disabled={busy}>
            Dismiss
          </Button>
          <Button onClick={() => setDismissing(false)}>Cancel</Button>
        </form>
      )}
    </div>
  );
}
