"use client";
// Approve or reject with a comment; a plan with critical findings needs an override reason to be approved.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { PreconditionsView } from "./dry-run-diff";
import { api } from "@/lib/client/endpoints";
import { asApiError } from "@/lib/client/api-error";
import { useApiMutation } from "@/lib/client/hooks";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

/**
 * `preconditions`: the last dry-run's pre-condition results on this page, when one ran. Quota and reachability are
 * checked again by the apply job; shown here so an admin does not approve a request that is bound to fail.
 */
export function ApprovalPanel({
  requestId,
  criticalFindings,
  canApprove,
  preconditions,
}: {
  requestId: string;
  criticalFindings: number;
  canApprove: boolean;
  preconditions?: PreconditionsView | null;
}) {
  const router = useRouter();
  const id = useId();
  const [comment, setComment] = useState("");
  const [overrideReason, setOverrideReason] = useState("");
  const [busy, setBusy] = useState<"approve" | "reject" | null>(null);
  const [errors, setErrors] = useState<{ comment?: string; overrideReason?: string; form?: string }>({});
  const needsOverride = criticalFindings > 0;
  const approve = useApiMutation(api.requests.approve);
  const reject = useApiMutation(api.requests.reject);

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
    setBusy(decision);
    try {
      await (decision === "approve" ? approve : reject).mutateAsync({
        path: { id: requestId },
        body: { comment, ...(decision === "approve" && needsOverride ? { overrideReason } : {}) },
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
      setErrors({ comment: fields.comment, overrideReason: fields.overrideReason, form: message });
      return;
    }
    setBusy(null);
    router.refresh();
  }

  if (!canApprove) return null;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="approval-panel">
      <h2 className="flush-top" id={`${id}-title`}>
        Decision
      </h2>
      {preconditions?.verdict === "fail" ? (
        <div className="alert alert-danger" role="alert" data-testid="precondition-warning">
          <strong>A pre-condition fails:</strong> {preconditions.summary} Fix the request (or the quota) before
          approving.
        </div>
      ) : preconditions?.verdict === "warning" ? (
        <div className="alert alert-warning" data-testid="precondition-warning">
          <strong>Pre-condition warning:</strong> {preconditions.summary}
        </div>
      ) : preconditions ? (
        <p className="help" data-testid="precondition-ok">
          Pre-conditions pass: {preconditions.summary}
        </p>
      ) : (
        <p className="help">Run the dry-run (Diff tab) to check GPU quota and cluster reachability before approving.</p>
      )}
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
      {errors.form && (
        <div className="alert alert-danger" role="alert" data-testid="decision-error">
          {errors.form}
        </div>
      )}
      <div className="row">
        <Button variant="primary" disabled={busy !== null} onClick={() => decide("approve")}>
          {busy === "approve" ? "Approving…" : "Approve and apply"}
        </Button>
        <Button variant="danger" disabled={busy !== null} onClick={() => decide("reject")}>
          {busy === "reject" ? "Rejecting…" : "Reject"}
        </Button>
      </div>
    </section>
  );
}
