// Server components (they read clusters through lib/clusters), so they live beside the page, not in components/.
// A clusters-list row's live cells: each row renders inside <Suspense> and the read is time-boxed, so a slow or
// unreachable cluster delays only its own cells, never the page.
import Link from "next/link";
import type { PortalUser } from "@/lib/auth/permissions";
import { clusterHealthCells } from "@/lib/clusters/cluster-health";
import { readClusterGpuSummary } from "@/lib/clusters/cluster-live-view.server";

export async function ClusterLiveCells({
  actor,
  cluster,
}: {
  actor: PortalUser;
  cluster: { id: string; name: string };
}) {
  const cells = clusterHealthCells(await readClusterGpuSummary({ actor, target: cluster }));
  return (
    <>
      <td data-testid="cluster-health">
        <span className={`badge badge-${cells.health.tone}`}>{cells.health.label}</span>
        {cells.health.reason && <div className="help wrap-anywhere">{cells.health.reason}</div>}
      </td>
      <td className="num">
        {cells.gpus}
        {cells.nodes !== "—" && <div className="help">on {cells.nodes} nodes</div>}
      </td>
      <td>
        {cells.pending && cells.pending.count > 0 ? (
          <Link href={`/clusters/${cluster.id}#pending-pods`} className="badge badge-warning">
            {cells.pending.label}
          </Link>
        ) : (
          (cells.pending?.label ?? "—")
        )}
      </td>
    </>
  );
}

export function ClusterLiveCellsLoading() {
  return (
    <>
      <td>
        <span className="help" role="status" aria-label="Reading the cluster">
          reading…
        </span>
      </td>
      <td />
      <td />
    </>
  );
}
