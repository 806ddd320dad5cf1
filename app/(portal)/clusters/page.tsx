import "@/components/requests/requests.css";
import { DeliverySettingsForm } from "@/components/requests/delivery-settings-form";
import Link from "next/link";
import { Suspense } from "react";
import { ClusterLiveCells, ClusterLiveCellsLoading } from "./cluster-live-cells";
import { CheckConnectionButton } from "@/components/requests/check-connection-button";
import { RegisterClusterForm } from "@/components/requests/register-cluster-form";
import { RelativeTime } from "@/components/ui/relative-time";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/session.server";
import { listClusters } from "@/lib/clusters/list-clusters.server";
import { listKubeconfigContexts } from "@/lib/clusters/list-kubeconfig-contexts.server";

export const metadata = { title: "Clusters" };

/** "kubeconfig-context:sandbox" may wrap after its scheme, never inside a name. */
function withBreakAfterScheme(ref: string) {
  const at = ref.indexOf(":");
  if (at < 0) return ref;
  return (
    <>
      {ref.slice(0, at + 1)}
      <wbr />
      {ref.slice(at + 1)}
    </>
  );
}

export default async function ClustersPage() {
  const user = await requirePage("cluster.read");
  const canManage = can(user, "cluster.manage");
  const clusters = await listClusters({ actor: user });
  const now = new Date();
  const contexts = listKubeconfigContexts({ actor: user });
  return (
    <>
      <h1>Clusters</h1>
      <p className="subtitle">
        The Kubernetes clusters approved requests are applied to. Open one for its nodes, GPUs, pending pods and the
        live status of what requests applied. Credentials stay in the server&apos;s configuration: only a reference to
        them is stored.
      </p>
      {clusters.length === 0 ? (
        <div className="card empty">
          No cluster is registered yet.{canManage ? " Register one below." : " Ask a platform admin to register one."}
        </div>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table, scrolls sideways on narrow screens">
          <table className="table" data-testid="clusters-table">
            <caption className="visually-hidden">Registered clusters</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Health</th>
                <th scope="col" className="num">
                  GPUs allocated / allocatable
                </th>
                <th scope="col">Pending GPU pods</th>
                <th scope="col">Connection</th>
                <th scope="col">Delivery</th>
              </tr>
            </thead>
            <tbody>
              {clusters.map((c) => (
                <tr key={c.id}>
                  <td>
                    <strong>
                      <Link href={`/clusters/${c.id}`}>{c.name}</Link>
                    </strong>
                    {c.isSandbox && (
                      <div>
                        <span className="badge badge-warning nowrap">sandbox</span>{" "}
                        <span className="help">local API double</span>
                      </div>
                    )}
                    <div className="help">
                      registered <RelativeTime date={c.createdAt} now={now} />
                    </div>
                  </td>
                  <Suspense fallback={<ClusterLiveCellsLoading />}>
                    <ClusterLiveCells actor={user} cluster={c} />
                  </Suspense>
                  <td>
                    <code className="nowrap">{c.apiServer}</code>
                    <div className="help">
                      credentials <code>{withBreakAfterScheme(c.credentialRef)}</code>
                    </div>
                    <div className="help mt-4">
                      protected:{" "}
                      {c.protectedNamespaces.length
                        ? c.protectedNamespaces.map((n) => (
                            <span key={n} className="badge mr-4 nowrap">
                              {n}
                            </span>
                          ))
                        : "none"}
                    </div>
                    {canManage && (
                      <div className="mt-4">
                        <CheckConnectionButton clusterId={c.id} clusterName={c.name} />
                      </div>
                    )}
                  </td>
                  <td>
                    {canManage ? (
                      <DeliverySettingsForm
                        clusterId={c.id}
                        clusterName={c.name}
                        initial={{
                          deliveryMode: c.deliveryMode,
                          gitRepoUrl: c.gitRepoUrl,
                          gitBaseBranch: c.gitBaseBranch,
                          gitPath: c.gitPath,
                          gitHubRepo: c.gitHubRepo,
                          gitHubApiUrl: c.gitHubApiUrl,
                          gitCredentialRef: c.gitCredentialRef,
                          gitSyncRef: c.gitSyncRef,
                        }}
                      />
                    ) : c.deliveryMode === "git" ? (
                      <span>
                        Git: <code className="wrap-anywhere">{c.gitRepoUrl}</code>
                      </span>
                    ) : (
                      "direct apply"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canManage && (
        <div className="mt-20">
          <RegisterClusterForm contexts={contexts} />
        </div>
      )}
    </>
  );
}
