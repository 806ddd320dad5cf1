// The reference's scaling recommendation per inference workload (latest ingested hour).
import { Fragment } from "react";
import type { WeeklyScalingRow } from "@/lib/costs/rollups/weekly-scaling";
import { pct } from "./format";

const num = (v: number | null) => (v === null ? "—" : v.toLocaleString("en-US", { maximumFractionDigits: 1 }));

const weekday = (hour: number) =>
  new Date(hour).toLocaleString("en-US", {
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZone: "UTC",
  });

export function InferenceScalingTable({ rows }: { rows: WeeklyScalingRow[] }) {
  return (
    <section className="card" aria-labelledby="scaling-title">
      <h2 className="flush-top" id="scaling-title">
        Inference scaling recommendation
      </h2>
      <p className="help">
        Larger of the queue-based (waiting requests ÷ measured requests per second per replica, the busiest hour of the
        last week) and the utilization-based (80% target) replica counts, for the latest ingested hour and for every
        hour of the week before it: size the service for the week&apos;s peak and scale down on the schedule (hours of
        the week at each count, UTC). Replicas are the serving pods when model-server metrics are ingested, otherwise
        one per GPU; queue and throughput then show as — (an admin enables them under Settings, model server).
      </p>
      {rows.length === 0 ? (
        <p className="empty">No inference workloads in the latest hour.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table, scrolls sideways on narrow screens">
          <table className="table" data-testid="inference-scaling">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Node pool</th>
                <th scope="col">GPUs</th>
                <th scope="col">Replicas</th>
                <th scope="col">Utilization</th>
                <th scope="col">Requests/s</th>
                <th scope="col">Queue</th>
                <th scope="col">Per replica (req/s)</th>
                <th scope="col">
                  Needed by queue <span className="help">/ by utilization</span>
                </th>
                <th scope="col">Now</th>
                <th scope="col">Week&apos;s peak</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <Fragment key={`${r.team}/${r.nodePool}`}>
                  <tr className="row-with-detail">
                    <td>{r.team}</td>
                    <td>
                      {r.nodePool} ({r.instanceType})
                    </td>
                    <td>{r.gpus}</td>
                    <td
                      title={
                        r.replicasFrom === "pods"
                          ? "Serving pods (model-server metrics)"
                          : "One replica per GPU assumed (no model-server metrics)"
                      }
                    >
                      {num(r.currentReplicas)}
                      {r.replicasFrom === "gpus" && <span className="help"> (per GPU)</span>}
                    </td>
                    <td>{pct(r.avgUtilization, 1)}</td>
                    <td>{num(r.requestsPerSecond)}</td>
                    <td>{num(r.queueDepth)}</td>
                    <td>{num(r.throughputPerReplica)}</td>
                    <td>
                      {r.throughputPerReplica === null ? "—" : r.queueBased}
                      <span className="help"> / {r.utilizationBased}</span>
                    </td>
                    <td>
                      {r.recommendedReplicas}
                      {r.recommendedReplicas !== r.currentReplicas && (
                        <span className="help">
                          {" "}
                          ({r.recommendedReplicas > r.currentReplicas ? "+" : ""}
                          {r.recommendedReplicas - r.currentReplicas})
                        </span>
                      )}
                    </td>
                    <td data-testid="peak-replicas">
                      <strong>{r.peakReplicas}</strong> <span className="help">({weekday(r.peakHour)} UTC)</span>
                    </td>
                  </tr>
                  {/* The schedule is a list as long as the week's distinct counts: its own row, full width, so it
                    does not squeeze a column into a tall, narrow strip. */}
                  <tr className="detail-row">
                    <td colSpan={10} data-testid="replica-schedule">
                      <span className="help">Schedule (hours a week at each count, UTC):</span>{" "}
                      {r.schedule.map((s) => `${s.replicas} × ${s.hours} h`).join(", ")}
                    </td>
                  </tr>
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
