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

/**
 * Seven columns, each a question (which workload, what it runs, how busy, what one replica serves, what each signal
 * needs, what to run now, the week's peak), so the table fits the 690 px a 1,024 px window leaves it without
 * scrolling sideways. `teamNames`: slug to name, as the rest of the costs page names teams.
 */
export function InferenceScalingTable({
  rows,
  teamNames = {},
}: {
  rows: WeeklyScalingRow[];
  teamNames?: Readonly<Record<string, string>>;
}) {
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
                <th scope="col">Workload</th>
                <th scope="col">Runs</th>
                <th scope="col">Load</th>
                <th scope="col" className="num">
                  Per replica
                </th>
                <th scope="col">
                  Needed <span className="help">by queue / utilization</span>
                </th>
                <th scope="col" className="num">
                  Now
                </th>
                <th scope="col">Week&apos;s peak</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <Fragment key={`${r.team}/${r.nodePool}`}>
                  <tr className="row-with-detail">
                    <th scope="row">
                      {teamNames[r.team] ?? r.team}
                      <div className="help">
                        {r.nodePool} · {r.instanceType}
                      </div>
                    </th>
                    <td>
                      <span
                        title={
                          r.replicasFrom === "pods"
                            ? "Serving pods (model-server metrics)"
                            : "One replica per GPU assumed (no model-server metrics)"
                        }
                      >
                        {num(r.currentReplicas)} replica{r.currentReplicas === 1 ? "" : "s"}
                      </span>
                      <div className="help">
                        {r.gpus} GPU{r.gpus === 1 ? "" : "s"}
                        {r.replicasFrom === "gpus" && ", one replica each"}
                      </div>
                    </td>
                    <td>
                      {pct(r.avgUtilization, 1)} <span className="help">busy</span>
                      <div className="help">
                        <span data-testid="requests-per-second">{num(r.requestsPerSecond)}</span> req/s · queue{" "}
                        {num(r.queueDepth)}
                      </div>
                    </td>
                    <td className="num">
                      {num(r.throughputPerReplica)} <span className="help">req/s</span>
                    </td>
                    <td>
                      {r.throughputPerReplica === null ? "—" : r.queueBased}
                      <span className="help"> / {r.utilizationBased}</span>
                    </td>
                    <td className="num">
                      {r.recommendedReplicas}
                      {r.recommendedReplicas !== r.currentReplicas && (
                        <span className="help">
                          {" "}
                          ({r.recommendedReplicas > r.currentReplicas ? "+" : "−"}
                          {Math.abs(r.recommendedReplicas - r.currentReplicas)})
                        </span>
                      )}
                    </td>
                    <td data-testid="peak-replicas">
                      <strong>{r.peakReplicas}</strong>
                      <div className="help">{weekday(r.peakHour)} UTC</div>
                    </td>
                  </tr>
                  {/* The schedule is a list as long as the week's distinct counts: its own row, full width, so it
                    does not squeeze a column into a tall, narrow strip. */}
                  <tr className="detail-row">
                    <td colSpan={7} data-testid="replica-schedule">
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
