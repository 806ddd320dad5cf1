import "@/components/ui/primitives.css";
import { Meter } from "@/components/ui/meter";
import type { ClusterInventory } from "@/lib/k8s/cluster-inventory";

const capacityName = { spot: "spot", on_demand: "on-demand" } as const;

export function ClusterInventoryView({ inventory }: { inventory: ClusterInventory }) {
  const { totals, pools, pendingGpuPods } = inventory;
  return (
    <>
      <div className="grid grid-stats" data-testid="cluster-totals">
        <div className="card stat">
          <div className="help">Nodes</div>
          <div className="value">{totals.nodes}</div>
        </div>
        <div className="card stat">
          <div className="help">GPUs allocatable</div>
          <div className="value">{totals.gpuAllocatable}</div>
          <div className="help">of {totals.gpuCapacity} installed</div>
        </div>
        <div className="card stat">
          <div className="help">GPUs allocated</div>
          <div className="value">{totals.gpuAllocated}</div>
          <div className="help">{totals.gpuAllocatable - totals.gpuAllocated} free</div>
        </div>
        <div className="card stat">
          <div className="help">Pending GPU pods</div>
          <div className="value">{pendingGpuPods.length}</div>
          <div className="help">{pendingGpuPods.reduce((s, p) => s + p.gpus, 0)} GPUs waiting</div>
        </div>
      </div>
      <h2 id="node-pools">Nodes by pool</h2>
      {pools.length === 0 ? (
        <div className="card empty">The cluster lists no nodes.</div>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table, scrolls sideways on narrow screens">
          <table className="table" data-testid="node-pools">
            <caption className="visually-hidden">Nodes by pool with GPU capacity, allocatable and allocated</caption>
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Instance type</th>
                <th scope="col">Capacity</th>
                <th scope="col">Status</th>
                <th scope="col">GPUs installed</th>
                <th scope="col">Allocatable</th>
                <th scope="col">Allocated</th>
              </tr>
            </thead>
            {pools.map((pool) => (
              <tbody key={pool.name ?? "(none)"} data-pool={pool.name ?? ""}>
                <tr className="group-row">
                  <th scope="rowgroup" colSpan={4}>
                    Pool {pool.name ?? <em>(no node-pool label)</em>} · {pool.nodes.length} node
                    {pool.nodes.length === 1 ? "" : "s"}
                  </th>
                  <td>{pool.gpuCapacity}</td>
                  <td>{pool.gpuAllocatable}</td>
                  <td>
                    {pool.gpuAllocatable > 0 ? (
                      <Meter
                        used={pool.gpuAllocated}
                        total={pool.gpuAllocatable}
                        label={`GPUs allocated in pool ${pool.name ?? "without label"}`}
                      />
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
                {pool.nodes.map((node) => (
                  <tr key={node.name} data-node={node.name}>
                    {/* Node names break at their hyphens: breaking anywhere let the column shrink to a few letters. */}
                    <td className="break-words">{node.name}</td>
                    <td>{node.instanceType ?? <span className="help">unlabelled</span>}</td>
                    <td className="nowrap">
                      {node.capacityType ? capacityName[node.capacityType] : <span className="help">unlabelled</span>}
                    </td>
                    <td>
                      <span className={`badge ${node.ready ? "badge-success" : "badge-danger"}`}>
                        {node.ready ? "Ready" : "NotReady"}
                      </span>
                      {!node.schedulable && (
                        <>
                          {" "}
                          <span className="badge badge-warning">cordoned</span>
                        </>
                      )}
                    </td>
                    <td>{node.gpuCapacity}</td>
                    <td>{node.gpuAllocatable}</td>
                    <td>
                      {node.gpuAllocatable > 0 ? (
                        <Meter
                          used={node.gpuAllocated}
                          total={node.gpuAllocatable}
                          label={`GPUs allocated on ${node.name}`}
                        />
                      ) : (
                        node.gpuAllocated
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
      <h2 id="pending-pods">Pending GPU pods</h2>
      {pendingGpuPods.length === 0 ? (
        <div className="card empty">No pod is waiting for GPUs.</div>
      ) : (
        <ul className="plain-list" data-testid="pending-gpu-pods">
          {pendingGpuPods.map((pod) => (
            <li key={`${pod.namespace}/${pod.name}`} className="card">
              <strong className="wrap-anywhere">
                {pod.namespace}/{pod.name}
              </strong>{" "}
              <span className="badge badge-warning">Pending</span> · asks for {pod.gpus} GPU{pod.gpus === 1 ? "" : "s"}
              {pod.events.length === 0 ? (
                <p className="help">
                  {pod.condition ?? "No events recorded for this pod yet (events expire after an hour by default)."}
                </p>
              ) : (
                <ul>
                  {pod.events.map((e, i) => (
                    <li key={i} className="wrap-anywhere">
                      <span className={`badge ${e.type === "Warning" ? "badge-warning" : ""}`}>{e.reason}</span>{" "}
                      {e.message}
                      <span className="help">
                        {" "}
                        · seen {e.count}×{e.lastSeen ? `, last ${e.lastSeen.slice(0, 16).replace("T", " ")} UTC` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
