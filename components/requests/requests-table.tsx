// The requests list: one row per request with its status, team, cost and security at a glance. At 1,024 px it fits
// without scrolling: the requester sits under the team, the
// cluster beside the kind, and the title keeps a readable width.
import "./requests.css";
import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { SortHeader } from "@/components/ui/sort-header";
import { StatusBadge } from "@/components/ui/status-badge";
import { requestKindInfo, type RequestKind } from "@/lib/requests/request-kinds";
import type { RequestSummary } from "@/lib/requests/request-views";
import { formatUsd } from "./request-form-model";

export function RequestsTable({
  items,
  sort,
  sortHref,
  now,
}: {
  items: RequestSummary[];
  sort: string;
  sortHref: (sort: string) => string;
  now: Date;
}) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Table, scrolls sideways on narrow screens">
      <table className="table" data-testid="requests-table">
        <caption className="visually-hidden">Requests</caption>
        <thead>
          <tr>
            <SortHeader label="#" field="number" sort={sort} href={sortHref} />
            <th scope="col" className="requests-title-col">
              Title
            </th>
            <th scope="col">Status</th>
            <th scope="col">Team</th>
            <SortHeader label="Cost / month" field="cost" sort={sort} href={sortHref} />
            <th scope="col">Security</th>
            <SortHeader label="Created" field="createdAt" sort={sort} href={sortHref} />
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id}>
              <td className="nowrap">REQ-{r.number}</td>
              <td className="requests-title-col">
                <Link href={`/requests/${r.id}`}>{r.title}</Link>
                <div className="help">
                  {requestKindInfo[r.kind as RequestKind]?.label ?? r.kind}
                  {r.clusterName ? ` · on ${r.clusterName}` : ""}
                </div>
              </td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td>
                {r.teamName}
                <div className="help">by {r.requesterName}</div>
              </td>
              <td>{formatUsd(r.monthlyCostUsd)}</td>
              <td>
                {r.securityScore}/100
                {r.criticalFindings > 0 && (
                  <>
                    {" "}
                    <span className="badge badge-danger">{r.criticalFindings} critical</span>
                  </>
                )}
              </td>
              <td>
                <RelativeTime date={r.createdAt} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
