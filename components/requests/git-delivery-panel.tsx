"use client";
// A git-mode request's delivery: the commit and branch, the pull request, whether Argo CD / Flux synced it, and why
// it failed, with Check now (reads the pull request and sync at once instead of waiting for the worker's next read),
// Retry (the same files again) and Revert (commits the removal of the files).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { asApiError } from "@/lib/client/api-error";
import { requestEndpoints } from "@/lib/client/request-endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { Button } from "@/components/ui/button";
import type { GitDeliveryView } from "@/lib/requests/request-views";

/** The same text on the server and in the browser (no locale, no time zone), so hydration matches. */
const readAt = (at: Date | string | null) =>
  at ? `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC` : "not read yet";

function prStateText(pr: NonNullable<GitDeliveryView["pr"]>): string {
  if (pr.state === "merged") return ` merged${pr.mergeSha ? ` at ${pr.mergeSha.slice(0, 12)}` : ""}`;
  if (pr.state === "closed") return " closed without merging";
  if (pr.state === "open") return " open";
  return "";
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
  const retry = useApiMutation(requestEndpoints.retryDelivery);
  const revert = useApiMutation(requestEndpoints.revert);
  const check = useApiMutation(requestEndpoints.refreshDelivery);
  // Something to read: a pushed commit with a pull request or a reconciler to ask (the server refuses otherwise).
  const checkable = delivery.state !== "failed" && !!delivery.commitSha && (!!delivery.prUrl || !!delivery.sync);
  const act = async (call: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await call();
      router.refresh();
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="git-delivery-title" data-testid="git-delivery">
      <h2 className="flush-top" id="git-delivery-title">
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
              PR{" "}
              <a href={delivery.prUrl} target="_blank" rel="noreferrer" data-testid="git-pr">
                #{delivery.prNumber}
              </a>
              {delivery.pr && (
                <span data-testid="git-pr-state">
                  {prStateText(delivery.pr)}
                  {delivery.pr.readError ? ` (could not read it: ${delivery.pr.readError})` : ""}
                  <span className="text-muted"> (read {readAt(delivery.pr.checkedAt)})</span>
                </span>
              )}
            </dd>
          </>
        )}
        {delivery.sync && (
          <>
            <dt>Sync</dt>
            <dd data-testid="git-sync">
              {delivery.sync.message}
              <span className="text-muted" data-testid="git-sync-read">
                {" "}
                (read {readAt(delivery.sync.checkedAt)})
              </span>
            </dd>
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
      <div className="flex gap-8">
        {checkable && (
          <Button disabled={busy} onClick={() => act(() => check.mutateAsync({ path: { id: requestId } }))}>
            Check now
          </Button>
        )}
        {permissions.retryDelivery && (
          <Button disabled={busy} onClick={() => act(() => retry.mutateAsync({ path: { id: requestId } }))}>
            Retry delivery
          </Button>
        )}
        {permissions.gitRevert && delivery.operation === "apply" && delivery.state !== "failed" && (
          <Button
            disabled={busy}
            onClick={() => act(() => revert.mutateAsync({ path: { id: requestId }, body: { confirmedDeletes: [] } }))}
          >
            Revert (commit the removal)
          </Button>
        )}
      </div>
    </section>
  );
}
