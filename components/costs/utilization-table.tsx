// Utilization against cost per group: where the money buys little work.
import { pct, share, usd0 } from "./format";

export interface UtilizationRow {
  group: string;
  utilizationAvg: number;
  p50: number;
  p90: number;
  idleShare: number;
  underutilizedShare: number;
  costUsd: number;
  idleCostUsd: number;
}

export function UtilizationTable({ rows, groupLabel, avg }: { rows: UtilizationRow[]; groupLabel: string; avg: number }) {
  return (
    <section className="card" aria-labelledby="util-title">
      <h2 id="util-title" style={{ marginTop: 0 }}>GPU utilization and cost efficiency by {groupLabel}</h2>
      <div className="stat"><span className="value">{pct(avg, 1)}</span> <span className="help">average utilization (GPU-hour weighted)</span></div>
      <div style={{ overflowX: "auto" }}>
      <table className="table" data-testid="utilization-table">
        <thead>
          <tr>
            <th scope="col">{groupLabel}</th><th scope="col">Avg</th><th scope="col">p50</th><th scope="col">p90</th>
            <th scope="col" title="Share of GPU-hours under 10% utilization">Idle</th><th scope="col" title="Share of GPU-hours under 50% utilization">Under 50%</th>
            <th scope="col">Cost</th><th scope="col">Idle cost</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.group}>
              <th scope="row">{r.group}</th>
              <td>{pct(r.utilizationAvg, 1)}</td><td>{pct(r.p50)}</td><td>{pct(r.p90)}</td>
              <td>{share(r.idleShare)}</td><td>{share(r.underutilizedShare)}</td>
              <td>{usd0(r.costUsd)}</td><td>{usd0(r.idleCostUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <p className="help">p50/p90 are of hourly utilization over GPU-hours, to the nearest percent (the monthly report&apos;s figures, rounded); idle and under 50% are shares of GPU-hours.</p>
    </section>
  );
}
