import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/session.server";
import { listDrillClusters, listPlansWithLastResult } from "@/lib/dr/drill-queries.server";
import { formatDuration } from "@/lib/dr/drill-verdict";
import { lastSuccessfulBackupPerCluster } from "@/lib/dr/last-backups.server";
import { StartDrillButton } from "@/components/dr/start-drill-dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";

export const metadata = { title: "DR drills" };
export const dynamic = "force-dynamic";

export default async function DrillsPage() {
  const user = await requirePage("drill.read");
  const now = new Date();
  const [plans, clusters, backups] = await Promise.all([listPlansWithLastResult(), listDrillClusters(), lastSuccessfulBackupPerCluster({ now: now.getTime() })]);
  const canDry = can(user, "drill.run-dry");
  const canLive = can(user, "drill.run-live");
  const canOverride = can(user, "drill.override-protected");
  return (
    <>
      <h1>Disaster-recovery drills</h1>
      <p className="subtitle">Prove recovery works within its targets: run a plan dry (reads only) or live (through the Kubernetes API), measure RTO and RPO, keep the evidence.</p>

      <h2>Last successful backup per cluster</h2>
      {backups.length === 0 ? (
        <div className="card empty">No cluster is registered yet: register one under Clusters to see its backups.</div>
      ) : (
        <div className="grid grid-4" data-testid="cluster-backups">
          {backups.map((b) => (
            <div key={b.clusterTargetId} className="card stat">
              <div className="label">{b.clusterName}{b.isSandbox ? " · sandbox" : ""}</div>
              {b.backup ? (
                <>
                  <div className="value">{formatDuration(b.backup.ageSeconds)} old</div>
                  <div className="help"><code>{b.backup.name}</code> · <RelativeTime date={new Date(b.backup.createdAt)} now={now} /></div>
                </>
              ) : (
                <div className="help">{b.error ? `Could not read backups: ${b.error}` : "No Completed Velero backup found."}</div>
              )}
            </div>
          ))}
        </div>
      )}

      <h2>Plans</h2>
      {plans.length === 0 ? (
        <div className="card empty">No DR plans yet. The reference templates are seeded with the demo data (seedDrTemplates).</div>
      ) : (
        <table className="table" data-testid="dr-plans">
          <thead>
            <tr><th>Plan</th><th>Cluster</th><th>Targets</th><th>Last live result</th><th>Last run</th><th aria-label="Actions" /></tr>
          </thead>
          <tbody>
            {plans.map((p) => (
              <tr key={p.key} data-plan={p.key}>
                <td>
                  <Link href={`/drills/plans/${p.key}`}>{p.name}</Link>
                  <div className="help"><code>{p.key}</code> v{p.version}{p.isTemplate ? " · template" : ""} · {p.stepCount} steps{p.schedule ? ` · cron ${p.schedule}` : ""}</div>
                </td>
                <td>{p.cluster?.name ?? <span className="help">chosen per run</span>}<div className="help">{p.namespaces.join(", ")}</div></td>
                <td>RTO {p.rtoMinutes} min<br />RPO {p.rpoMinutes} min</td>
                <td>
                  {p.lastLive ? (
                    <>
                      <StatusBadge status={p.lastLive.status} />
                      <div className="help">RTO {formatDuration(p.lastLive.rtoSeconds)} · RPO {formatDuration(p.lastLive.rpoSeconds)}</div>
                    </>
                  ) : (
                    <span className="help">never run live</span>
                  )}
                </td>
                <td>{p.lastRun ? <Link href={`/drills/runs/${p.lastRun.id}`}><StatusBadge status={p.lastRun.status} label={`${p.lastRun.mode === "live" ? "live" : "dry"} ${p.lastRun.status}`} /> <RelativeTime date={new Date(p.lastRun.createdAt)} now={now} /></Link> : <span className="help">—</span>}</td>
                <td>
                  <div className="row">
                    {canDry && clusters.length > 0 && <StartDrillButton planKey={p.key} planName={p.name} mode="dry_run" clusters={clusters} defaultClusterId={p.cluster?.id ?? null} touchedNamespaces={p.touchedNamespaces} canOverrideProtected={canOverride} />}
                    {canLive && clusters.length > 0 && <StartDrillButton planKey={p.key} planName={p.name} mode="live" clusters={clusters} defaultClusterId={p.cluster?.id ?? null} touchedNamespaces={p.touchedNamespaces} canOverrideProtected={canOverride} />}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
