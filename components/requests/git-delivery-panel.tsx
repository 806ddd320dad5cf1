"use client";
// A git-mode request's delivery: the commit and branch, the pull request, whether Argo CD / Flux synced it, and why
// it failed, with Retry (the same files again) and Revert (commits the removal of the files).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { postJson } from "./post-json";

/** What getRequestDetail's gitDelivery holds (lib/requests/git-delivery-status.server.ts). */
interface GitDeliveryView {
  operation: "apply" | "revert";
  branch: string;
  commitSha: string | null;
  prNumber: number | null;
  prUrl: string | null;
  state: string;
  reason: string | null;
  sync: { state: string; message: string; health: string | null } | null;
}

const stateLabel: Record<string, string> = {
  committed: "Committed",
  pr_open: "Pull request open",
  merged: "Merged",
  synced: "Synced",
  failed: "Failed",
};

export function GitDeliveryPanel({
  requestId,
  delivery,
  permissions,
}: {
  requestId: string;
  delivery: GitDeliveryView;
  permissions: { gitRevert: boolean; retryDelivery: boolean };
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (url: string, body?: unknown) => {
    setBusy(true);
    setError(null);
    const result = await postJson(url, body);
    setBusy(false);
    if (!result.ok) setError(result.error?.message ?? `HTTP ${result.status}`);
    else router.refresh();
  };
  return (
    <section className="card" aria-labelledby="git-delivery-title" data-testid="git-delivery">
      <h2 id="git-delivery-title" style={{ marginTop: 0 }}>
        Git delivery{delivery.operation === "revert" ? " (removal)" : ""}
      </h2>
      <dl className="kv">
        <dt>State</dt>
        <dd data-testid="git-state">{stateLabel[delivery.state] ?? delivery.state}</dd>
        <dt>Branch</dt>
        <dd>
          <code>{delivery.branch}</code>
        </dd>
        {delivery.commitSha && (
          <>
            <dt>Commit</dt>
            <dd>
              <code data-testid="git-commit" title={delivery.commitSha}>
                {delivery.commitSha.slice(0, 12)}
              </code>
            </dd>
          </>
        )}
        {delivery.prUrl && (
          <>
            <dt>Pull request</dt>
            <dd>
              <a href={delivery.prUrl} target="_blank" rel="noreferrer" data-testid="git-pr">
                #{delivery.prNumber}
              </a>
            </dd>
          </>
        )}
        {delivery.sync && (
          <>
            <dt>Sync</dt>
            <dd data-testid="git-sync">{delivery.sync.message}</dd>
          </>
        )}
      </dl>
      {delivery.reason && (
        <div className="alert alert-error" role="alert">
          {delivery.reason}
        </div>
      )}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <div style={{ display: "flex", gap: 8 }}>
        {permissions.retryDelivery && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => act(`/api/v1/requests/${requestId}/retry-delivery`)}
          >
            Retry delivery
          </button>
        )}
        {permissions.gitRevert && delivery.operation === "apply" && delivery.state !== "failed" && (
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => act(`/api/v1/requests/${requestId}/revert`, { confirmedDeletes: [] })}
          >
            Revert (commit the removal)
          </button>
        )}
      </div>
    </section>
  );
}
