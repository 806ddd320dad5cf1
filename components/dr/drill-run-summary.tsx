// One drill run in a list (the home page's last results): a dry run is marked as such, so a passed dry run is not
// read as a passed recovery.
import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";

export interface DrillRunSummaryProps {
  run: {
    id: string;
    mode: string;
    status: string;
    createdAt: Date;
    plan: { name: string };
    clusterTarget: { name: string };
  };
  now: Date;
}

/** Live or dry run, as a badge: a live run is the one that changed a cluster. */
export function DrillModeBadge({ mode }: { mode: string }) {
  return mode === "dry_run" ? (
    <span className="badge" data-testid="drill-mode">
      dry run
    </span>
  ) : (
    <span className="badge badge-danger" data-testid="drill-mode">
      live
    </span>
  );
}

/**
 * A run's verdict. A dry run's is neutral, never green or red: it only says whether the read-only checks would pass,
 * not that recovery was proven.
 */
export function DrillVerdictBadge({ mode, status }: { mode: string; status: string }) {
  return mode === "dry_run" ? (
    <StatusBadge status={`dry_run_${status}`} label={`dry run: ${status}`} />
  ) : (
    <StatusBadge status={status} />
  );
}

/**
 * Mode and verdict, saying "dry run" once: a dry run's verdict badge already says it ("dry run: passed"), so only a
 * live run gets a mode badge beside its verdict.
 */
export function DrillRunBadges({ mode, status }: { mode: string; status: string }) {
  return mode === "dry_run" ? (
    <DrillVerdictBadge mode={mode} status={status} />
  ) : (
    <>
      <DrillModeBadge mode={mode} /> <DrillVerdictBadge mode={mode} status={status} />
    </>
  );
}

export function DrillRunSummary({ run, now }: DrillRunSummaryProps) {
  return (
    <span data-mode={run.mode}>
      <Link href={`/drills/runs/${run.id}`}>{run.plan.name}</Link> on {run.clusterTarget.name} ·{" "}
      <DrillRunBadges mode={run.mode} status={run.status} /> · <RelativeTime date={run.createdAt} now={now} />
    </span>
  );
}
