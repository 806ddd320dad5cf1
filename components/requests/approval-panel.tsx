"use client";
// Approve or reject with a comment; a plan with critical findings needs an override reason to be approved. The latest
// pre-condition check (quota, reachability, capacity) sits next to the buttons: approving without a recent one runs it
// first, and one that warned or failed is approved only once the approver ticks that they read it.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { requestEndpoints } from "@/lib/client/request-endpoints";
import { asApiError } from "@/lib/client/api-error";
import { useApiMutation } from "@/lib/client/hooks";
import { precheckGate, type PrecheckView } from "@/lib/requests/precheck";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/relative-time";

const verdictTitle = {
  pass: "Pre-conditions pass.",
  warning: "Pre-condition warning.",
  fail: "A pre-condition fails: the apply would stop.",
} as const;
const verdictTone = { pass: "info", warning: "warning", fail: "danger" } as const;

/**
 * `precheck`: the request's latest check, by whoever ran it (the requester's dry-run, or this panel); the apply job
 * checks quota and reachability again, so this is what tells an admin the request is bound to fail.
 */
export function ApprovalPanel({
  id: anchor,
  requestId,
  criticalFindings,
  canApprove,
  precheck: given,
  onPrecheck,
}: {
  /** The section's id, for links that jump to the decision. */
  id?: string;
  requestId: string;
  criticalFindings: number;
  canApprove: boolean;
  precheck?: PrecheckView | null;
  /** A check this panel ran, for the rest of the page. */
  onPrecheck?: (precheck: PrecheckView) => void;
}) {
  const router = useRouter();
  const id = useId();
  const [comment, setComment] = useState("");
  const [overrideReason, setOverrideReason] = useState("");
  const [acknowledged, setAcknowledged] = useState(false);
  const [ran, setRan] = useState<PrecheckView | null>(null);
  const [busy, setBusy] = useState<"check" | "approve" | "reject" | null>(null);
  const [errors, setErrors] = useState<{
    comment?: string;
    overrideReason?: string;
    acknowledge?: string;
    form?: string;
  }>({});
  const needsOverride = criticalFindings > 0;
  const approve = useApiMutation(requestEndpoints.approve);
  const reject = useApiMutation(requestEndpoints.reject);
  const dryRun = useApiMutation(requestEndpoints.dryRun);
  // The newer of the page's check and the one this panel ran.
  const precheck = ran && (!given || ran.checkedAt >= given.checkedAt) ? ran : (given ?? null);
  const verdict = precheck?.preconditions.verdict;

  async function runCheck(): Promise<PrecheckView | null> {
    setBusy("check");
    try {
      const result = await dryRun.mutateAsync({ path: { id: requestId } });
      const checked = { checkedAt: new Date(), checkedBy: "you", preconditions: result.preconditions };
      setRan(checked);
      setAcknowledged(false);
      onPrecheck?.(checked);
      return checked;
    } catch (e) {
      setErrors({ form: `The pre-condition check could not run: ${asApiError(e).message}` });
      return null;
    } finally {
      setBusy(null);
    }
  }

  async function decide(decision: "approve" | "reject") {
    const next: typeof errors = {};
    if (!comment.trim()) next.comment = "A comment is required: say why (the requester reads it).";
    if (decision === "approve" && needsOverride && overrideReason.trim().length < 10)
      next.overrideReason = `This plan has ${criticalFindings} critical finding(s): explain in at least 10 characters why approving anyway is acceptable.`;
    setErrors(next);
    if (next.comment || next.overrideReason) {
      document.getElementById(next.comment ? `${id}-comment` : `${id}-override`)?.focus();
      return;
    }
    let acknowledge = false;
    if (decision === "approve") {
      let current = precheck;
      let gate = precheckGate(current, new Date());
      if (gate === "run") {
        current = await runCheck();
        if (!current) return;
        gate = precheckGate(current, new Date());
        // A fresh check that warns stops here: the approver reads it before anything is applied.
        if (gate === "acknowledge") {
          setErrors({ acknowledge: "The check just ran and did not pass: read it, tick the box and approve again." });
          return;
        }
      }
      if (gate === "acknowledge") {
        if (!acknowledged) {
          setErrors({ acknowledge: "Tick the box to approve although the pre-condition check did not pass." });
          document.getElementById(`${id}-ack`)?.focus();
          return;
        }
        acknowledge = true;
      }
    }
    setBusy(decision);
    try {
      await (decision === "approve" ? approve : reject).mutateAsync({
        path: { id: requestId },
        body: {
          comment,
          ...(decision === "approve" && needsOverride ? { overrideReason } : {}),
          ...(acknowledge ? { acknowledgePrecheck: true } : {}),
        },
      });
    } catch (e) {
      setBusy(null);
      const error = asApiError(e);
      const fields = error.fieldMessages();
      const message =
        error.status === 409
          ? "This request was already decided by someone else: reload to see the decision."
          : error.status === 403
            ? `You cannot approve your own request (or your role may not approve): ${error.message}`
            : error.message;
      setErrors({
        comment: fields.comment,
        overrideReason: fields.overrideReason,
        acknowledge: fields.acknowledgePrecheck,
        form: message,
      });
      return;
    }
    setBusy(null);
    router.refresh();
  }

  if (!canApprove) return null;
  return (
    <section id={anchor} className="card" aria-labelledby={`${id}-title`} data-testid="approval-panel">
      <h2 className="flush-top" id={`${id}-title`}>
        Decision
      </h2>
      <div data-testid="approval-precheck">
        {precheck && verdict ? (
          <>
            <Alert
              tone={verdictTone[verdict]}
              title={verdictTitle[verdict]}
              testId={verdict === "pass" ? "precondition-ok" : "precondition-warning"}
            >
              {precheck.preconditions.summary}
            </Alert>
            <p className="help">
              Checked <RelativeTime date={new Date(precheck.checkedAt)} now={new Date()} /> by {precheck.checkedBy}.{" "}
              {precheckGate(precheck, new Date()) === "run" && "That is a while ago: approving runs it again first."}
            </p>
          </>
        ) : (
          <p className="help">
            No pre-condition check yet: approving runs it first (GPU quota, free GPUs, cluster reachability).
          </p>
        )}
        <Button disabled={busy !== null} onClick={() => void runCheck()}>
          {busy === "check" ? "Checking…" : precheck ? "Run the check again" : "Run the check now"}
        </Button>
      </div>
      {needsOverride && (
        <div className="alert alert-danger">
          This plan has <strong>{criticalFindings} critical security finding(s)</strong>. Approving requires an override
          reason, recorded in the audit log.
        </div>
      )}
      <Field
        id={`${id}-comment`}
        label="Comment"
        hint="Required for approve and reject: the requester sees it on the timeline."
        error={errors.comment}
        announceError
      >
        {(control) => <textarea {...control} rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />}
      </Field>
      {needsOverride && (
        <Field id={`${id}-override`} label="Override reason" error={errors.overrideReason} announceError>
          {(control) => (
            <textarea
              {...control}
              rows={2}
              value={overrideReason}
              onChange={(e) => setOverrideReason(e.target.value)}
            />
          )}
        </Field>
      )}
      {(verdict === "warning" || verdict === "fail" || errors.acknowledge) && (
        <div className="field">
          <label className="row items-start" htmlFor={`${id}-ack`}>
            <input
              id={`${id}-ack`}
              type="checkbox"
              checked={acknowledged}
              aria-describedby={errors.acknowledge ? `${id}-ack-error` : undefined}
              onChange={(e) => setAcknowledged(e.target.checked)}
            />
            <span>I have read the pre-condition check and approve anyway</span>
          </label>
          {errors.acknowledge && (
            <div className="field-error" id={`${id}-ack-error`} role="alert">
              {errors.acknowledge}
            </div>
          )}
        </div>
      )}
      {errors.form && (
        <div className="alert alert-danger" role="alert" data-testid="decision-error">
          {errors.form}
        </div>
      )}
      <div className="row">
        <Button variant="primary" disabled={busy !== null} onClick={() => decide("approve")}>
          {busy === "approve" ? "Approving…" : busy === "check" ? "Checking…" : "Approve and apply"}
        </Button>
        <Button variant="danger" disabled={busy !== null} onClick={() => decide("reject")}>
          {busy === "reject" ? "Rejecting…" : "Reject"}
        </Button>
      </div>
    </section>
  );
}
