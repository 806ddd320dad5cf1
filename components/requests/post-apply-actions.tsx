"use client";
// After an apply: check drift, revert (confirmation naming every object that will be deleted), and for admins,
// force apply over a conflict (reason required, audited).
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import Link from "next/link";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ObjectRef } from "@/lib/k8s/object-ref";
import { objectKey } from "@/lib/requests/object-identity";
import { confirmationRef, deletesToConfirm } from "@/lib/requests/revert-confirmation";
import type { LeftInPlace } from "@/lib/requests/still-applied-by";
import { leftInPlaceBy, type InheritedObject } from "@/lib/requests/inherited-objects";
import { fieldValueText } from "./field-value-text";
import type { ResultOf } from "@/lib/client/api-client";
import { asApiError } from "@/lib/client/api-error";
import { requestEndpoints } from "@/lib/client/request-endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { StatusBadge } from "@/components/ui/status-badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

type DriftReport = ResultOf<typeof requestEndpoints.drift>;

/** What the drift check compared: all of an applied plan, or only what a failed apply applied (maybe nothing). */
export function driftSummary(drift: DriftReport): string {
  if (drift.nothingApplied) return "Nothing was applied yet: nothing to compare.";
  const partial = drift.compared < drift.planned;
  const what = partial
    ? `the ${drift.compared} of ${drift.planned} objects the failed apply applied`
    : "the applied plan";
  return drift.drifted ? `The cluster differs from ${what}.` : `In sync: every object matches ${what}.`;
}

const refName = (r: { kind: string; namespace?: string; name: string }) =>
  `${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name}`;

export function PostApplyActions({
  requestId,
  created,
  leftInPlace = [],
  inherited = [],
  permissions,
}: {
  requestId: string;
  created: ObjectRef[];
  leftInPlace?: LeftInPlace[];
  inherited?: InheritedObject[];
  permissions: { forceApply: boolean; revert: boolean; checkDrift: boolean };
}) {
  const router = useRouter();
  const [drift, setDrift] = useState<DriftReport | null>(null);
  const checkDrift = useApiMutation(requestEndpoints.drift);
  const forceApply = useApiMutation(requestEndpoints.forceApply);
  const revert = useApiMutation(requestEndpoints.revert);
  const [dialog, setDialog] = useState<"revert" | "force" | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reasonError, setReasonError] = useState<string | null>(null);
  // The endpoint's 409 when the objects to delete changed since the dialog opened: shown in the dialog, which offers
  // to reload the plan (the page's data) and then asks for the confirmation again.
  const [changed, setChanged] = useState<string | null>(null);
  const [reloaded, setReloaded] = useState(false);
  const [reloading, startReload] = useTransition();
  const reloadButton = useRef<HTMLButtonElement>(null);
  const reloadedNote = useRef<HTMLParagraphElement>(null);
  // Keyboard users land on what to do next: the reload after a 409, the note saying the list is new after it.
  useEffect(() => {
    if (changed) reloadButton.current?.focus();
  }, [changed]);
  useEffect(() => {
    if (reloaded) reloadedNote.current?.focus();
  }, [reloaded]);
  if (!permissions.checkDrift && !permissions.revert && !permissions.forceApply) return null;
  // Revert deletes only what this request created (not objects that existed before it), or inherited from the
  // reverts of their creators, and no other request still applies (the server's planRevert, which the revert job
  // follows too), dependents first, in the order the job deletes them. It may delete nothing and only leave objects
  // for the requests that hold them. This exact list is what the confirmation sends.
  const origin = new Map(inherited.map((i) => [objectKey(i.ref), i]));
  const toDelete = deletesToConfirm({ created, leftInPlace, inherited });

  /** The call's answer, or null with its error shown. */
  async function run<T>(action: string, call: () => Promise<T>): Promise<T | null> {
    setBusy(action);
    setError(null);
    try {
      return await call();
    } catch (e) {
      setError(asApiError(e).message);
      return null;
    } finally {
      setBusy(null);
    }
  }

  function closeRevert() {
    setDialog(null);
    setChanged(null);
    setReloaded(false);
  }

  async function confirmRevert() {
    setBusy("Revert");
    setError(null);
    try {
      await revert.mutateAsync({
        path: { id: requestId },
        body: { confirmedDeletes: toDelete.map(confirmationRef) },
      });
    } catch (e) {
      setBusy(null);
      const error = asApiError(e);
      if (error.status === 409 && error.code === "confirmation_changed") {
        setReloaded(false);
        setChanged(error.message);
        return;
      }
      closeRevert();
      setError(error.message);
      return;
    }
    setBusy(null);
    closeRevert();
    router.refresh();
  }

  function reloadPlan() {
    // One transition: the message gives way to the note when the page's new data (and so the new list) is in.
    startReload(() => {
      router.refresh();
      setChanged(null);
      setReloaded(true);
    });
  }

  return (
    <section className="card" aria-labelledby="actions-title" data-testid="post-apply-actions">
      <h2 className="flush-top" id="actions-title">
        After the apply
      </h2>
      <div className="row">
        {permissions.checkDrift && (
          <Button
            disabled={busy !== null}
            onClick={async () => {
              const r = await run("Check drift", () => checkDrift.mutateAsync({ path: { id: requestId } }));
              if (r) setDrift(r);
            }}
          >
            {busy === "Check drift" ? "Checking…" : "Check drift"}
          </Button>
        )}
        {permissions.checkDrift && (
          <Button
            disabled={busy !== null}
            onClick={async () => {
              const r = await run("Check again", () => checkDrift.mutateAsync({ path: { id: requestId } }));
              if (r) setDrift(r);
              router.refresh();
            }}
          >
            {busy === "Check again" ? "Checking…" : "Check post-conditions again"}
          </Button>
        )}
        {permissions.forceApply && (
          <Button variant="danger" onClick={() => setDialog("force")}>
            Force apply
          </Button>
        )}
        {permissions.revert && (
          <Button variant="danger" onClick={() => setDialog("revert")}>
            Revert
          </Button>
        )}
      </div>
      {error && (
        <div className="alert alert-danger mt-8" role="alert">
          {error}
        </div>
      )}
      {drift && (
        <div className="mt-12" data-testid="drift-report">
          <div className={`alert ${drift.drifted ? "alert-warning" : "alert-info"}`} role="status">
            {driftSummary(drift)}
          </div>
          {drift.postconditions.length > 0 && (
            <ul className="plain-list" data-testid="postconditions" aria-label="Post-conditions, checked now">
              {drift.postconditions.map((p) => (
                <li key={p.check} data-state={p.state}>
                  <StatusBadge
                    status={p.state === "ok" ? "applied" : p.state === "not_yet" ? "running" : "failed"}
                    label={p.state === "ok" ? "✓" : p.state === "not_yet" ? "not yet" : "✗"}
                  />{" "}
                  {p.label}
                  {p.state !== "ok" && (
                    <div className="help">
                      {p.reason}. {p.action}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
          <ul className="plain-list">
            {drift.objects
              .filter((o) => o.status !== "in_sync")
              .map((o) => (
                <li key={refName(o.ref)}>
                  <code>{refName(o.ref)}</code> <span className="badge badge-warning">{o.status}</span>
                  {o.differences.slice(0, 20).map((d) => (
                    <div key={d.path} className="diff-path">
                      {d.path}: live {fieldValueText(d.live)} → plan {fieldValueText(d.desired)}
                    </div>
                  ))}
                </li>
              ))}
          </ul>
        </div>
      )}
      <ConfirmDialog
        open={dialog === "revert"}
        title={toDelete.length ? `Revert: delete ${toDelete.length} objects` : "Revert: nothing will be deleted"}
        confirmLabel={toDelete.length ? `Delete ${toDelete.length} objects` : "Revert without deleting"}
        danger
        busy={busy === "Revert"}
        confirmDisabled={changed !== null || reloading}
        onCancel={closeRevert}
        onConfirm={confirmRevert}
      >
        {changed && (
          <div className="alert alert-warning" role="alert" data-testid="revert-changed">
            <p className="flush-top">{changed}</p>
            <Button ref={reloadButton} disabled={reloading} onClick={reloadPlan}>
              {reloading ? "Reloading…" : "Reload the plan"}
            </Button>
          </div>
        )}
        {reloaded && !changed && (
          <p className="alert alert-info" role="status" tabIndex={-1} ref={reloadedNote} data-testid="revert-reloaded">
            Reloaded: the lists below are what the revert does now. Check them and confirm again.
          </p>
        )}
        {toDelete.length === 0 ? (
          <p data-testid="revert-nothing-deleted">
            Nothing will be deleted from the cluster: the objects below are still applied by other requests, and
            deleting them would remove those requests&apos; objects too. The revert only marks this request reverted and
            ends its hold on them; the revert of the last request that applies them deletes them.
          </p>
        ) : (
          <p>
            These objects, created by this request
            {origin.size > 0 && " or left to it by the reverts of the requests that created them (marked)"}, will be
            deleted from the cluster in this order. Objects that existed before the request are left alone, and so is
            any listed object that this portal no longer applies (somebody else re-created or took it over): the
            revert&apos;s result names each one it leaves and why.
          </p>
        )}
        {toDelete.length > 0 && (
          <ul className="scroll-240" data-testid="revert-objects">
            {toDelete.map((r) => {
              const from = origin.get(objectKey(r));
              return (
                <li key={objectKey(r)}>
                  <code>{refName(r)}</code>
                  {from && (
                    <>
                      : created by{" "}
                      {from.createdBy.map((c, i) => (
                        <span key={c.requestId}>
                          {i > 0 && ", "}
                          <Link href={`/requests/${c.requestId}`}>REQ-{c.number}</Link>
                        </span>
                      ))}
                      , {leftInPlaceBy(from)}
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {leftInPlace.length > 0 && (
          <>
            {toDelete.length > 0 && (
              <p>
                Left in place because other requests still apply them (deleting them would remove those requests&apos;
                objects too):
              </p>
            )}
            <ul data-testid="revert-left-in-place">
              {leftInPlace.map((l) => (
                <li key={objectKey(l.ref)}>
                  <code>{refName(l.ref)}</code>: still applied by{" "}
                  {l.stillAppliedBy.map((h, i) => (
                    <span key={h.requestId}>
                      {i > 0 && ", "}
                      <Link href={`/requests/${h.requestId}`}>REQ-{h.number}</Link>
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          </>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "force"}
        title="Force apply over the conflict"
        confirmLabel="Force apply"
        danger
        busy={busy === "Force apply"}
        confirmDisabled={reason.trim().length < 10}
        onCancel={() => setDialog(null)}
        onConfirm={async () => {
          setReasonError(null);
          try {
            setBusy("Force apply");
            await forceApply.mutateAsync({ path: { id: requestId }, body: { reason } });
          } catch (e) {
            const apiError = asApiError(e);
            // A refused reason stays in the dialog, on its field; any other refusal is the page's error.
            const onField = apiError.fieldMessages().reason;
            if (onField) return setReasonError(onField);
            setError(apiError.message);
            setDialog(null);
            return;
          } finally {
            setBusy(null);
          }
          setDialog(null);
          router.refresh();
        }}
      >
        <p>
          The portal takes ownership of the conflicting fields from their current manager. This is recorded in the audit
          log with your reason.
        </p>
        <Field label="Reason" hint="At least 10 characters; kept in the audit log." error={reasonError}>
          {(control) => <textarea {...control} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      </ConfirmDialog>
    </section>
  );
}
