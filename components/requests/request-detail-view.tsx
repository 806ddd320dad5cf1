"use client";
// One request: its header (status, people, facts), the plan in tabs, the decision, the live timeline and the apply
// results.
import "./requests.css";
import { useState } from "react";
import { CodeBlock } from "@/components/ui/code-block";
import { Tabs } from "@/components/ui/tabs";
import type { RequestPageView } from "@/lib/requests/request-views";
import { ApplyResults } from "./apply-results";
import { ApprovalPanel } from "./approval-panel";
import { DryRunDiff } from "./dry-run-diff";
import type { PrecheckView } from "@/lib/requests/precheck";
import { planTabItems } from "./plan-tabs";
import { PostApplyActions } from "./post-apply-actions";
import { GitDeliveryPanel } from "./git-delivery-panel";
import { RequestTimeline } from "./request-timeline";
import { DECISION_ANCHOR, RequestHeader } from "./request-header";

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
      <RequestHeader request={request} now={now} canViewCluster={canViewCluster} />
      {/* The decision, deliveries, actions and timeline come first in reading order (and first at 1,024 px, where
          the columns stack): they say what the request needs now; the plan's tabs are what one reads to decide. */}
      <div className="request-layout request-detail-layout">
        <div className="grid content-start request-side">
          {viewerIsOwnApprover && request.status === "pending_approval" && (
            <div className="alert alert-info" role="note">
              You requested this yourself: another platform admin must approve or reject it.
            </div>
          )}
          <ApprovalPanel
            id={DECISION_ANCHOR}
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
        <div className="request-main">
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
      </div>
    </>
  );
}
