// The per-object results of the latest apply (or revert) run, with the API's own message and any conflicts.
import { StatusBadge } from "@/components/ui/status-badge";
import type { RequestDetail } from "@/lib/requests/request-views";

type Run = RequestDetail["applyRuns"][number];

const runTone: Record<string, string> = {
  succeeded: "applied",
  failed: "failed",
  queued: "queued",
  dry_run: "running",
  applying: "running",
};
const outcomeTone: Record<string, string> = {
  created: "applied",
  configured: "approved",
  unchanged: "cancelled",
  failed: "failed",
  deleted: "reverted",
};

export function ApplyResults({ run }: { run: Run }) {
  const results = run.results.filter((r) => r.phase !== "dry_run" || run.results.every((x) => x.phase === "dry_run"));
  return (
    <div data-testid="apply-results">
      <p className="help">
        {run.operation === "revert" ? "Revert" : "Apply"} run · attempt {run.attempt} ·{" "}
        <StatusBadge status={runTone[run.status] ?? run.status} label={run.status.replace(/_/g, " ")} />
        {run.force && (
          <>
            {" "}
            · <span className="badge badge-warning">forced</span> {run.forceReason}
          </>
        )}
      </p>
      {run.error && (
        <div className="alert alert-danger" role="alert">
          {run.error}
        </div>
      )}
      {results.length === 0 ? (
        <p className="help">No object results yet.</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Result per object</caption>
          <thead>
            <tr>
              <th scope="col">Object</th>
              <th scope="col">Outcome</th>
              <th scope="col">API message</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => (
              <tr key={`${r.phase}-${r.index}`} data-testid="apply-result-row" data-outcome={r.outcome}>
                <td>
                  <code>
                    {r.kind}/{r.namespace ? `${r.namespace}/` : ""}
                    {r.name}
                  </code>
                  <div className="help">
                    {r.apiVersion}
                    {r.phase === "dry_run" ? " · dry-run" : ""}
                  </div>
                </td>
                <td>
                  <StatusBadge
                    status={outcomeTone[r.outcome] ?? r.outcome}
                    label={r.phase === "delete" && r.outcome === "unchanged" ? "left in place" : r.outcome}
                  />
                  {r.httpStatus ? <div className="help">HTTP {r.httpStatus}</div> : null}
                </td>
                <td>
                  {r.message}
                  {r.conflicts && r.conflicts.length > 0 && (
                    <ul className="help" data-testid="conflicts">
                      {r.conflicts.map((c) => (
                        <li key={`${c.field}-${c.manager}`}>
                          conflict on <code>{c.field}</code> owned by <strong>{c.manager}</strong>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
