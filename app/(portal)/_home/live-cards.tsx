// Server components (they read clusters through lib/clusters), so they live beside the page, not in components/.
// Home-page cards that read a cluster live. Each renders inside <Suspense>, so a slow or unreachable cluster delays
// only its own card, never the page.
import Link from "next/link";
import { ClusterGpuLine } from "@/components/home/cluster-gpu-line";
import { RelativeTime } from "@/components/ui/relative-time";
import { groupByCluster } from "@/lib/dr/group-by-cluster";
import type { PortalUser } from "@/lib/auth/permissions";
import { readClusterGpuSummary, readNewestBackups } from "@/lib/clusters/cluster-live-view.server";

export async function ClusterGpuCard({
  actor,
  cluster,
}: {
  actor: PortalUser;
  cluster: { id: string; name: string; isSandbox: boolean };
}) {
  const summary = await readClusterGpuSummary({ actor, target: cluster });
  return (
    <li data-testid="home-cluster" data-cluster={cluster.name}>
      <Link href={`/clusters/${cluster.id}`}>{cluster.name}</Link>
      {cluster.isSandbox && (
        <>
          {" "}
          <span className="badge badge-warning">sandbox</span>
        </>
      )}
      {summary.reachable ? (
        <ClusterGpuLine clusterId={cluster.id} clusterName={cluster.name} summary={summary} />
      ) : (
        <p className="help wrap-anywhere flush mt-4">Cannot be read: {summary.reason}</p>
      )}
    </li>
  );
}

export async function NewestBackupsList({
  actor,
  clusters,
  now,
}: {
  actor: PortalUser;
  clusters: { id: string; name: string }[];
  now: Date;
}) {
  const { backups, errors } = await readNewestBackups({ actor, targets: clusters });
  return (
    <>
      {backups.length === 0 && errors.length === 0 && (
        <p className="empty">No Velero backup in the registered clusters yet.</p>
      )}
      {backups.length > 0 && (
        <div data-testid="home-backups">
          {groupByCluster(backups).map((group) => (
            <section key={group.cluster.id} aria-label={`Backups on ${group.cluster.name}`}>
              <h3 className="flush-top">
                <Link href={`/clusters/${group.cluster.id}`}>{group.cluster.name}</Link>
              </h3>
              <ul>
                {group.items.map((b) => (
                  <li key={b.name}>
                    <span className="wrap-anywhere">{b.name}</span>{" "}
                    <span
                      className={`badge ${b.phase === "Completed" ? "badge-success" : /Fail/.test(b.phase) ? "badge-danger" : "badge-info"}`}
                    >
                      {b.phase}
                    </span>
                    <span className="help">
                      {" "}
                      · {b.namespaces.join(", ") || "all namespaces"}
                      {b.startedAt && (
                        <>
                          {" "}
                          · <RelativeTime date={new Date(b.startedAt)} now={now} />
                        </>
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
      {errors.map((e) => (
        <p key={e.cluster.id} className="help wrap-anywhere">
          {e.cluster.name}: {e.message}
        </p>
      ))}
    </>
  );
}
