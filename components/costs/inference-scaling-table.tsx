// The reference's scaling recommendation per inference workload (latest ingested hour).
import type { InferenceScalingRow } from "@/lib/costs/custom-metrics";
import { pct } from "./format";

export function InferenceScalingTable({ rows }: { rows: InferenceScalingRow[] }) {
  return (
    <section className="card" aria-labelledby="scaling-title">
      <h2 id="scaling-title" style={{ marginTop: 0 }}>Inference scaling recommendation</h2>
      <p className="help">Larger of the queue-based and utilization-based (80% target) replica counts, from the latest ingested hour. Queue depth shows as — when no model-server metrics are ingested.</p>
      {rows.length === 0 ? (
        <p className="empty">No inference workloads in the latest hour.</p>
      ) : (
        <table className="table" data-testid="inference-scaling">
          <thead><tr><th scope="col">Team</th><th scope="col">Node pool</th><th scope="col">Replicas</th><th scope="col">Utilization</th><th scope="col">Queue</th><th scope="col">Recommended</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.team}/${r.nodePool}`}>
                <td>{r.team}</td><td>{r.nodePool} ({r.instanceType})</td><td>{r.currentReplicas}</td><td>{pct(r.avgUtilization, 1)}</td>
                <td>{r.queueDepth ?? "—"}</td><td><strong>{r.recommendedReplicas}</strong></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
