// The request page's header: the title with the actions the viewer can take, then one line that starts with the
// status (as a pull request's page does, so the status never sits alone on a line at 1,024 px) and says what, for
// whom, by whom and where, then the facts a reviewer weighs, in one row.
import Link from "next/link";
import { ButtonLink } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { RequestPageView } from "@/lib/requests/request-views";
import { requestKindInfo, type RequestKind } from "@/lib/requests/request-kinds";
import { formatUsd } from "./request-form-model";

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

/** The id of the decision panel, which the header's "Approve or reject" jumps to. */
export const DECISION_ANCHOR = "decision-panel";

export function RequestHeader({
  request,
  now,
  canViewCluster,
}: {
  request: RequestPageView;
  now: Date;
  canViewCluster?: boolean;
}) {
  const cluster = request.clusterTarget;
  const canDecide = request.permissions.approve && request.status === "pending_approval";
  const showsLiveObjects =
    cluster && canViewCluster && ["applied", "apply_failed", "applying"].includes(request.status);
  return (
    <header className="request-header">
      <h1 className="request-header-title">
        <span className="help text-large">REQ-{request.number}</span> {request.title}
      </h1>
      {(canDecide || showsLiveObjects) && (
        <div className="request-header-actions">
          {canDecide && (
            <ButtonLink href={`#${DECISION_ANCHOR}`} variant="primary" size="sm">
              Approve or reject
            </ButtonLink>
          )}
          {cluster && showsLiveObjects && (
            <ButtonLink
              href={`/clusters/${cluster.id}#request-${request.number}`}
              size="sm"
              data-testid="live-objects-link"
            >
              Live status of its objects
            </ButtonLink>
          )}
        </div>
      )}
      <p className="request-header-meta">
        <span className="text-large" data-testid="request-status">
          <StatusBadge status={request.status} label={statusLabel[request.status] ?? request.status} />
        </span>{" "}
        {requestKindInfo[request.kind as RequestKind]?.label ?? request.kind} for <strong>{request.team.name}</strong> ·
        requested by {request.requester.name} <RelativeTime date={new Date(request.createdAt)} now={now} /> · target{" "}
        {cluster ? (
          <span className="nowrap">
            {canViewCluster ? <Link href={`/clusters/${cluster.id}`}>{cluster.name}</Link> : cluster.name}
            {cluster.isSandbox && (
              <>
                {" "}
                <span className="badge badge-warning">local API double</span>
              </>
            )}
          </span>
        ) : (
          "none"
        )}
      </p>
      <dl className="card request-facts">
        <div className="stat">
          <dt className="label">Expected cost / month</dt>
          <dd className="value">{formatUsd(request.monthlyCostUsd)}</dd>
        </div>
        <div className="stat">
          <dt className="label">Security score</dt>
          <dd className="value">
            {request.securityScore}
            <span className="help">/100</span>{" "}
            {request.criticalFindings > 0 && (
              <span className="badge badge-danger">{request.criticalFindings} critical</span>
            )}
          </dd>
        </div>
        <div className="stat">
          <dt className="label">Objects</dt>
          <dd className="value">{request.objectCount}</dd>
        </div>
        <div className="stat">
          <dt className="label">Decision</dt>
          <dd>
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
              <div className="help">
                {request.status === "pending_approval" ? "Waiting for a platform admin" : "None recorded"}
              </div>
            )}
          </dd>
        </div>
      </dl>
    </header>
  );
}
