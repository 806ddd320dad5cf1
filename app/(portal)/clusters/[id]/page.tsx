import Link from "next/link";
import { notFound } from "next/navigation";
import { ClusterInventoryView } from "@/components/clusters/cluster-inventory-view";
import { RequestObjectsView } from "@/components/clusters/request-objects-view";
import { Alert } from "@/components/ui/alert";
import { requirePage } from "@/lib/auth/session.server";
import { readClusterLiveView } from "@/lib/clusters/cluster-live-view.server";
import { getCluster } from "@/lib/clusters/get-cluster.server";

export const metadata = { title: "Cluster" };
// Live: every visit reads the cluster again.
export const dynamic = "force-dynamic";

export default async function ClusterPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePage("cluster.read");
  const { id } = await params;
  const target = await getCluster({ actor: user, clusterId: id });
  if (!target) notFound();
  const view = await readClusterLiveView({ actor: user, clusterId: id });
  if (!view) notFound();
  const now = new Date();
  return (
    <>
      <p className="help">
        <Link href="/clusters">Clusters</Link> / {target.name}
      </p>
      <h1>{target.name}</h1>
      <p className="subtitle">
        Live from <code className="wrap-anywhere">{target.apiServer}</code>, read with the credentials applies use;
        read-only.
        {target.isSandbox && (
          <>
            {" "}
            <span className="badge badge-warning">sandbox — local API double</span>
          </>
        )}{" "}
        Read {now.toISOString().slice(11, 19)} UTC: reload for the latest.
      </p>
      {view.reachable ? (
        <ClusterInventoryView inventory={view.inventory} />
      ) : (
        <Alert tone="danger" title="The cluster cannot be read." testId="cluster-unreachable">
          {view.reason}. Nodes, pending pods and live status appear once it answers; the requests below still show what
          they applied.
        </Alert>
      )}
      <h2 id="applied-objects">Objects requests applied</h2>
      <RequestObjectsView requests={view.requests} reachable={view.reachable} />
    </>
  );
}
