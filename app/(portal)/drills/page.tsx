import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/session.server";
import { listDrillClusters } from "@/lib/dr/list-drill-clusters.server";
import { listDrillPlans } from "@/lib/dr/list-drill-plans.server";
import { listLastBackups } from "@/lib/dr/list-last-backups.server";
import { DrillPlansTable } from "@/components/dr/drill-plans-table";
import { BackupAgeCard } from "@/components/dr/backup-age-card";

export const metadata = { title: "DR drills" };
export const dynamic = "force-dynamic";

export default async function DrillsPage() {
  const user = await requirePage("drill.read");
  const now = new Date();
  const [plans, clusters, backups] = await Promise.all([
    listDrillPlans({ actor: user }),
    listDrillClusters({ actor: user }),
    listLastBackups({ actor: user, now: now.getTime() }),
  ]);
  const canDry = can(user, "drill.run-dry");
  const canLive = can(user, "drill.run-live");
  const canOverride = can(user, "drill.override-protected");
  return (
    <>
      <h1>Disaster-recovery drills</h1>
      <p className="subtitle">
        Prove recovery works within its targets: run a plan dry (reads only) or live (through the Kubernetes API),
        measure RTO and RPO, keep the evidence.
      </p>

      <h2>Last successful backup per cluster</h2>
      {backups.length === 0 ? (
        <div className="card empty">No cluster is registered yet: register one under Clusters to see its backups.</div>
      ) : (
        <div className="grid grid-4" data-testid="cluster-backups">
          {backups.map((b) => (
            <BackupAgeCard
              key={b.clusterTargetId}
              clusterName={b.clusterName}
              isSandbox={b.isSandbox}
              backup={b.backup}
              error={b.error}
            />
          ))}
        </div>
      )}

      <h2>Plans</h2>
      {plans.length === 0 ? (
        <div className="card empty">
          No DR plans yet. The reference templates are seeded with the demo data (seedDrTemplates).
        </div>
      ) : (
        <DrillPlansTable
          plans={plans}
          clusters={clusters}
          canDry={canDry}
          canLive={canLive}
          canOverride={canOverride}
          now={now}
        />
      )}
    </>
  );
}
