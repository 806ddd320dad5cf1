"use client";
// One request: its status and people, the plan in tabs, the decision, the live timeline and the apply results.
import Link from "next/link";
import "./requests.css";
import { useState } from "react";
import { CodeBlock } from "@/components/ui/code-block";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Tabs } from "@/components/ui/tabs";
import type { RequestPageView } from "@/lib/requests/request-views";
import { requestKindInfo, type RequestKind } from "@/lib/requests/request-kinds";
import { ApplyResults } from "./apply-results";
import { ApprovalPanel } from "./approval-panel";
import { DryRunDiff } from "./dry-run-diff";
import type { PrecheckView } from "@/lib/requests/precheck";
import { planTabItems } from "./plan-tabs";
import { PostApplyActions } from "./post-apply-actions";
import { GitDeliveryPanel } from "./git-delivery-panel";
import { formatUsd } from "./request-form-model";
import { RequestTimeline } from "./request-timeline";

const statusLabel: Record<string, string> = {
  pending_approval: "Pending approval",
  approved: "Approved",
  applying: "Applying",
  applied: "Applied",
  apply_failed: "Apply failed",
  rejected: "Rejected",
  reverted: "Reverted",
  cancelled: "Cancelled",
};

export function RequestDetailView({
  request,
  now,
  viewerIsOwnApprover,
  canViewCluster,
}: {
  request: RequestPageView;
  now: Date;
  viewerIsOwnApprover?: boolean;
  canViewCluster?: boolean;
}) {
  const { plan } = request;
  const latest = request.latestRun;
  const cluster = request.clusterTarget;
  // A check run on this page (Diff tab or Decision panel) is newer than the one the page loaded with.
  const [ranHere, setRanHere] = useState<PrecheckView | null>(null);
  const tabs = [
    ...planTabItems(plan, {
      count: request.objectCount,
      view: (
        <CodeBlock
          code={request.manifestsYaml}
          filename={`req-${request.number}.yaml`}
          label="Generated Kubernetes manifests"
          mime="application/yaml"
        />
      ),
    }).map((t) => (t.id === "yaml" ? { ...t, label: `Plan (${request.objectCount})` } : t)),
    {
      id: "diff",
      label: "Diff",
      content: (
        <DryRunDiff
          requestId={request.id}
          clusterName={cluster?.name ?? null}
          onResult={(r) => setRanHere({ checkedAt: new Date(), checkedBy: "you", preconditions: r.preconditions })}
        />
      ),
    },
    {
      id: "runbooks",
      label: `Runbooks (${plan.runbooks.length})`,
      content:
        plan.runbooks.length === 0 ? (
          <p className="help">No runbooks for this plan.</p>
        ) : (
          plan.runbooks.map((r, i) => (
            <div className="mb-12" key={i}>
              <CodeBlock
                code={r}
                filename={`req-${request.number}-runbook-${i + 1}.md`}
                label={`Runbook ${i + 1}`}
                mime="text/markdown"
              />
            </div>
          ))
        ),
    },
  ];
  return (
    <>
      <div className="row items-start">
        <div>
          <h1>
            <span className="help text-large">REQ-{request.number}</span> {request.title}
          </h1>
          <p className="subtitle">
            {requestKindInfo[request.kind as RequestKind]?.label ?? request.kind} for{" "}
            <strong>{request.team.name}</strong> · requested by {request.requester.name}{" "}
            <RelativeTime date={new Date(request.createdAt)} now={now} /> · target{" "}
            {cluster ? (
              <>
                {canViewCluster ? <Link href={`/clusters/${cluster.id}`}>{cluster.name}</Link> : cluster.name}
                {cluster.isSandbox && (
                  <>
                    {" "}
                    <span className="badge badge-warning">local API double</span>
                  </>
                )}
              </>
            ) : (
              "none"
            )}
            {cluster && canViewCluster && ["applied", "apply_failed", "applying"].includes(request.status) && (
              <>
                {" "}
                ·{" "}
                <Link href={`/clusters/${cluster.id}#request-${request.number}`} data-testid="live-objects-link">
                  Live status of its objects
                </Link>
              </>
            )}
          </p>
        </div>
        <span className="spacer" />
        <span className="text-large" data-testid="request-status">
          <StatusBadge status={request.status} label={statusLabel[request.status] ?? request.status} />
        </span>
      </div>
      <div className="grid grid-4 mb-16">
        <div className="card stat">
          <div className="label">Expected cost / month</div>
          <div className="value">{formatUsd(request.monthlyCostUsd)}</div>
        </div>
        <div className="card stat">
          <div className="label">Security score</div>
          <div className="value">
            {request.securityScore}
            <span className="help">/100</span>
          </div>
          {request.criticalFindings > 0 && (
            <span className="badge badge-danger">{request.criticalFindings} critical</span>
          )}
        </div>
        <div className="card stat">
          <div className="label">Objects</div>
          <div className="value">{request.objectCount}</div>
        </div>
        <div className="card stat">
          <div className="label">Decision</div>
          {request.approval ? (
            <div data-testid="decision">
              <StatusBadge
                status={request.approval.decision === "approved" ? "approved" : "rejected"}
                label={request.approval.decision}
              />{" "}
              by {request.approval.approverName}
              <div className="help">“{request.approval.comment}”</div>
              {request.approval.overrideReason && (
                <div className="help">Override: {request.approval.overrideReason}</div>
              )}
            </div>
          ) : (
            <div className="help">Waiting for a platform admin</div>
          )}
        </div>
      </div>
      <div className="request-layout">
        <div className="min-w-0">
          <section className="card">
            <Tabs items={tabs} label="Plan of the request" />
          </section>
          {latest && (
            <section className="card mt-16" aria-labelledby="results-title">
              <h2 className="flush-top" id="results-title">
                Result per object
              </h2>
              <ApplyResults run={latest} />
            </section>
          )}
        </div>
        <div className="grid content-start">
          {viewerIsOwnApprover && request.status === "pending_approval" && (
            <div className="alert alert-info" role="note">
              You requested this yourself: another platform admin must approve or reject it.
            </div>
          )}
          <ApprovalPanel
            requestId={request.id}
            criticalFindings={request.criticalFindings}
            canApprove={request.permissions.approve}
            precheck={ranHere ?? request.precheck}
            onPrecheck={setRanHere}
          />
          {request.gitDelivery && (
            <GitDeliveryPanel requestId={request.id} delivery={request.gitDelivery} permissions={request.permissions} />
          )}
          <PostApplyActions
            requestId={request.id}
            created={request.createdObjects}
            leftInPlace={request.revertLeavesInPlace}
            inherited={request.revertInherits}
            permissions={request.permissions}
          />
          <RequestTimeline requestId={request.id} status={request.status} kind={request.kind} />
        </div>
      </div>
    </>
  );
}
