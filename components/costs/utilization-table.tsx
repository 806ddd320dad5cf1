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

export function UtilizationTable({
  rows,
  groupLabel,
  names = {},
  avg,
}: {
  rows: UtilizationRow[];
  groupLabel: string;
  /** Group key to the name shown (a team's name for its slug). */
  names?: Readonly<Record<string, string>>;
  avg: number;
}) {
  return (
    <section className="card" aria-labelledby="util-title">
      <h2 className="flush-top" id="util-title">
        GPU utilization and cost efficiency by {groupLabel}
      </h2>
      <div className="stat">
        <span className="value">{pct(avg, 1)}</span>{" "}
        <span className="help">average utilization (GPU-hour weighted)</span>
      </div>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Table, scrolls sideways on narrow screens">
        <table className="table" data-testid="utilization-table">
          <thead>
            <tr>
              <th scope="col">{groupLabel}</th>
              <th scope="col">Avg</th>
              <th scope="col">p50</th>
              <th scope="col">p90</th>
              <th scope="col">GPU-hours below 10 % busy</th>
              <th scope="col">GPU-hours below 50 % busy</th>
              <th scope="col">Cost</th>
              <th scope="col">Cost of unused GPU time</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.group}>
                <th scope="row">{names[r.group] ?? r.group}</th>
                <td>{pct(r.utilizationAvg, 1)}</td>
                <td>{pct(r.p50)}</td>
                <td>{pct(r.p90)}</td>
                <td>{share(r.idleShare)}</td>
                <td>{share(r.underutilizedShare)}</td>
                <td>{usd0(r.costUsd)}</td>
                <td>{usd0(r.idleCostUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="help">
        p50/p90 are of hourly utilization over GPU-hours, to the nearest percent (the monthly report&apos;s figures,
        rounded); the two &quot;GPU-hours below&quot; columns are shares of the group&apos;s GPU-hours. The cost of
        unused GPU time is what the idle part of every GPU-hour cost (a GPU 30 % busy leaves 70 % of its hour unused),
        so it is a share of cost, not of hours, and the two do not match.
      </p>
    </section>
  );
}
