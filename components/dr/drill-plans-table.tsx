// The DR plans with their last results and the start buttons. The actions column's header has a name (hidden
// visually) so screen readers announce the start buttons' column and axe's empty-table-header rule holds.
import Link from "next/link";
import type { DrillCluster, DrillPlanRow } from "@/lib/dr/views";
import { formatDuration, formatRpo, formatTargetMinutes } from "@/lib/dr/drill-verdict";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { StartDrillButton } from "./start-drill-dialog";
import { DrillRunBadges } from "./drill-run-summary";

export interface DrillPlansTableProps {
  plans: DrillPlanRow[];
  clusters: DrillCluster[];
  canDry: boolean;
  canLive: boolean;
  canOverride: boolean;
  now: Date;
}

export function DrillPlansTable({ plans, clusters, canDry, canLive, canOverride, now }: DrillPlansTableProps) {
  return (
    <table className="table" data-testid="dr-plans">
      <thead>
        <tr>
          <th scope="col">Plan</th>
          <th scope="col">Cluster</th>
          <th scope="col">Targets</th>
          <th scope="col">Last live result</th>
          <th scope="col">Last run</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {plans.map((p) => (
          <tr key={p.key} data-plan={p.key}>
            <td>
              <Link href={`/drills/plans/${p.key}`}>{p.name}</Link>
              <div className="help">
                <code>{p.key}</code> v{p.version}
                {p.isTemplate ? " · template" : ""} · {p.stepCount} steps{p.schedule ? ` · cron ${p.schedule}` : ""}
              </div>
            </td>
            <td>
              {p.cluster?.name ?? <span className="help">chosen per run</span>}
              <div className="help">{p.namespaces.join(", ")}</div>
            </td>
            <td>
              {/* Whole lines: "RTO 30" above "min" reads as two figures. */}
              <span className="nowrap">RTO {formatTargetMinutes(p.rtoMinutes)}</span>
              <br />
              <span className="nowrap">RPO {formatTargetMinutes(p.rpoMinutes)}</span>
            </td>
            <td>
              {p.lastLive ? (
                <>
                  <StatusBadge status={p.lastLive.status} />
                  <div className="help">
                    RTO {formatDuration(p.lastLive.rtoSeconds)} · RPO{" "}
                    {formatRpo(p.lastLive.rpoSeconds, p.lastLive.rpoBasis)}
                  </div>
                </>
              ) : (
                <span className="help">never run live</span>
              )}
            </td>
            <td>
              {p.lastRun ? (
                <Link href={`/drills/runs/${p.lastRun.id}`}>
                  <DrillRunBadges mode={p.lastRun.mode} status={p.lastRun.status} />{" "}
                  <RelativeTime date={new Date(p.lastRun.createdAt)} now={now} />
                </Link>
              ) : (
                <span className="help">—</span>
              )}
            </td>
            <td>
              <div className="row">
                {canDry && clusters.length > 0 && (
                  <StartDrillButton
                    planKey={p.key}
                    planName={p.name}
                    mode="dry_run"
                    clusters={clusters}
                    defaultClusterId={p.cluster?.id ?? null}
                    touchedNamespaces={p.touchedNamespaces}
                    canOverrideProtected={canOverride}
                  />
                )}
                {canLive && clusters.length > 0 && (
                  <StartDrillButton
                    planKey={p.key}
                    planName={p.name}
                    mode="live"
                    clusters={clusters}
                    defaultClusterId={p.cluster?.id ?? null}
                    touchedNamespaces={p.touchedNamespaces}
                    destructive={p.destructive}
                    canOverrideProtected={canOverride}
                  />
                )}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
