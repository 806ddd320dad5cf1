"use client";
// "Dry-run against <cluster>": the server asks the cluster what the apply would do, object by object, and the
// fields that would change against what is live.
import { useState } from "react";
import { StatusBadge } from "@/components/ui/status-badge";
import { fieldValueText } from "./field-value-text";
import type { ResultOf } from "@/lib/client/api-client";
import { asApiError } from "@/lib/client/api-error";
import { requestEndpoints } from "@/lib/client/request-endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { Button } from "@/components/ui/button";

export type DryRunResult = ResultOf<typeof requestEndpoints.dryRun>;
export type PreconditionsView = DryRunResult["preconditions"];

const verdictAlert = { pass: "alert-info", warning: "alert-warning", fail: "alert-danger" } as const;
const verdictTitle = {
  pass: "Pre-conditions pass",
  warning: "Pre-conditions pass with a warning",
  fail: "A pre-condition fails: the apply would stop",
} as const;

const conflictLabel = {
  applied: "taken by another request",
  open: "also in an open request",
  unmanaged: "already in the cluster",
} as const;

/** Reachability and GPU quota per namespace (needed vs left), as the apply job will check them. */
export function PreconditionsResult({ preconditions }: { preconditions: PreconditionsView }) {
  return (
    <div className="mb-12" data-testid="preconditions">
      <div
        className={`alert ${verdictAlert[preconditions.verdict]}`}
        role={preconditions.verdict === "fail" ? "alert" : "status"}
      >
        <strong>{verdictTitle[preconditions.verdict]}.</strong> {preconditions.summary}
      </div>
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">Pre-conditions of the apply</caption>
          <thead>
            <tr>
              <th scope="col">Pre-condition</th>
              <th scope="col">Needed</th>
              <th scope="col">Left</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>Cluster reachable</td>
              <td>—</td>
              <td>—</td>
              <td>
                <StatusBadge
                  status={preconditions.reachability.ok ? "approved" : "failed"}
                  label={preconditions.reachability.ok ? "reachable" : "unreachable"}
                />
                <div className="help">{preconditions.reachability.message}</div>
              </td>
            </tr>
            {preconditions.quota.map((q) => (
              <tr key={q.namespace}>
                <td>
                  GPU quota in <code>{q.namespace}</code>
                  {q.quotaName && <div className="help">ResourceQuota {q.quotaName}</div>}
                </td>
                <td>
                  {q.needed}
                  {q.neededAtPeak !== q.needed && <span className="help"> ({q.neededAtPeak} at full scale)</span>}
                </td>
                <td>{q.left === null ? "no GPU quota" : `${q.left} of ${q.hard}`}</td>
                <td>
                  <StatusBadge
                    status={
                      q.verdict === "exceeded" ? "failed" : q.verdict === "fits" ? "approved" : "pending_approval"
                    }
                    label={
                      q.verdict === "exceeded" ? "exceeded" : q.verdict === "fits" ? "fits" : "fits at minimum scale"
                    }
                  />
                  <div className="help">{q.message}</div>
                </td>
              </tr>
            ))}
            {(preconditions.capacity ?? []).map((c) => (
              <tr key={`capacity:${c.selector}`}>
                <td>
                  GPUs on nodes
                  <div className="help">
                    {c.selector ? <code>{c.selector}</code> : c.affinity ? null : "any node"}
                    {c.affinity && (
                      <>
                        {c.selector ? " · " : ""}affinity <code>{c.affinity}</code>
                      </>
                    )}
                  </div>
                </td>
                <td>{c.needed}</td>
                <td>{`${c.free} free of ${c.allocatable}`}</td>
                <td>
                  <StatusBadge
                    status={c.fits ? "approved" : "pending_approval"}
                    label={c.fits ? "fits now" : "does not fit now"}
                  />
                  <div className="help">{c.message}</div>
                </td>
              </tr>
            ))}
            {(preconditions.conflicts ?? []).map((c) => (
              <tr key={`conflict:${c.ref.kind}/${c.ref.namespace ?? ""}/${c.ref.name}`}>
                <td>
                  Name free: <code>{`${c.ref.namespace ? `${c.ref.namespace}/` : ""}${c.ref.name}`}</code>
                  <div className="help">{c.ref.kind}</div>
                </td>
                <td>—</td>
                <td>—</td>
                <td>
                  <StatusBadge status={c.blocking ? "failed" : "pending_approval"} label={conflictLabel[c.source]} />
                  <div className="help">{c.message}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function DryRunDiff({
  requestId,
  clusterName,
  onResult,
}: {
  requestId: string;
  clusterName: string | null;
  onResult?: (result: DryRunResult) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dryRun = useApiMutation(requestEndpoints.dryRun);
  if (!clusterName)
    return <p className="help">This request has no target cluster, so there is nothing to compare with.</p>;
  async function run() {
    setBusy(true);
    setError(null);
    try {
      const data = await dryRun.mutateAsync({ path: { id: requestId } });
      setResult(data);
      onResult?.(data);
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div data-testid="dry-run">
      <div className="row">
        <Button variant="primary" onClick={run} disabled={busy}>
          {busy ? "Running the dry-run…" : `Dry-run against ${clusterName}`}
        </Button>
        <span className="help">Server-side dry-run (dryRun=All): nothing is changed in the cluster.</span>
      </div>
      {error && (
        <div className="alert alert-danger mt-8" role="alert">
          {error}
        </div>
      )}
      {result && (
        <div className="mt-12">
          {result.preconditions && <PreconditionsResult preconditions={result.preconditions} />}
          {result.results.length > 0 &&
            (() => {
              const accepted = result.results.every((r) => r.outcome !== "failed");
              return (
                <div className={`alert ${accepted ? "alert-info" : "alert-danger"}`} role="status">
                  {accepted
                    ? `The cluster accepts all ${result.results.length} objects.`
                    : "The cluster refuses at least one object."}
                </div>
              );
            })()}
          <div className="table-scroll">
            <table className="table table-fixed">
              <caption className="visually-hidden">Dry-run result per object</caption>
              <colgroup>
                <col className="w-28pct" />
                <col className="w-22pct" />
                <col className="w-50pct" />
              </colgroup>
              <thead>
                <tr>
                  <th scope="col">Object</th>
                  <th scope="col">Would be</th>
                  <th scope="col">Changes against live</th>
                </tr>
              </thead>
              <tbody>
                {result.results.map((r) => (
                  <tr key={`${r.ref.kind}/${r.ref.namespace ?? ""}/${r.ref.name}`}>
                    <td>
                      <code>
                        {r.ref.kind}/{r.ref.namespace ? `${r.ref.namespace}/` : ""}
                        {r.ref.name}
                      </code>
                    </td>
                    <td>
                      <StatusBadge
                        status={
                          r.outcome === "failed" ? "failed" : r.outcome === "unchanged" ? "cancelled" : "approved"
                        }
                        label={r.outcome}
                      />
                      <div className="help">{r.message}</div>
                    </td>
                    <td>
                      {r.changes.length === 0 ? (
                        <span className="help">{r.outcome === "created" ? "new object" : "no field changes"}</span>
                      ) : r.outcome === "created" ? (
                        // A new object's "changes" are all of it: folded, so the changes to live objects stand out.
                        <details>
                          <summary className="help">new object · {r.changes.length} fields</summary>
                          <ChangeList changes={r.changes} />
                        </details>
                      ) : (
                        <ChangeList changes={r.changes} />
                      )}
                      {r.conflicts?.map((c) => (
                        <div key={c.field} className="field-error">
                          conflict on <code>{c.field}</code> owned by {c.manager}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

function ChangeList({ changes }: { changes: { path: string; live?: unknown; desired?: unknown }[] }) {
  return (
    <ul className="plain-list">
      {changes.slice(0, 30).map((c) => (
        <li key={c.path} className="diff-path">
          <strong>{c.path}</strong>: <span className="text-danger">{fieldValueText(c.live)}</span> →{" "}
          <span className="text-success">{fieldValueText(c.desired)}</span>
        </li>
      ))}
      {changes.length > 30 && <li className="help">…and {changes.length - 30} more</li>}
    </ul>
  );
}
