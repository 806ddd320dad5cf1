// One drill run in a list (the home page's last results): a dry run is marked as such, so a passed dry run is not
// read as a passed recovery.
import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";

export interface DrillRunSummaryProps {
  run: { id: string; mode: string; status: string; createdAt: Date; plan: { name: string }; clusterTarget: { name: string } };
  now: Date;
}

export function DrillRunSummary({ run, now }: DrillRunSummaryProps) {
  return (
    <>
      <Link href={`/drills/runs/${run.id}`}>{run.plan.name}</Link> on {run.clusterTarget.name} ·{" "}
      {run.mode === "dry_run" ? <span className="badge" data-testid="drill-mode">dry run</span> : <span className="badge badge-danger" data-testid="drill-mode">live</span>} ·{" "}
      <StatusBadge status={run.status} /> · <RelativeTime date={run.createdAt} now={now} />
    </>
  );
}
