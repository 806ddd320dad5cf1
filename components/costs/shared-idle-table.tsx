// Each team's cost with the pools' unallocated GPUs kept apart, and with their cost shared among the teams on each
// pool by GPU-hours (OpenCost's shareIdle): the same total, two ways of charging it.
import type { TeamCostBothWays } from "@/lib/costs/rollups/share-idle";
import { usd0 } from "./format";
import { UNALLOCATED_TEAM } from "@/lib/costs/schema";

/**
 * `teamNames`: slug to name, so rows read "Recommender systems" as the rest of the portal does, not "recsys". The
 * columns are both ways of charging a team, not its idle cost: that is what the heading says on each.
 */
export function SharedIdleTable({
  rows,
  days,
  teamNames = {},
}: {
  rows: TeamCostBothWays[];
  days: number;
  teamNames?: Record<string, string>;
}) {
  if (rows.length === 0) return null;
  const total = (pick: (r: TeamCostBothWays) => number) => rows.reduce((s, r) => s + pick(r), 0);
  // Both ways charge the same money; the totals differ only when the unallocated line is not in view (a scoped user).
  const apart = total((r) => r.ownUsd);
  const shared = total((r) => r.withSharedIdleUsd);
  return (
    <section className="card mt-16" aria-labelledby="shared-idle-title">
      <h2 className="flush-top" id="shared-idle-title">
        Idle capacity: kept apart or shared
      </h2>
      <p className="help">
        Last {days} days. Unallocated GPUs (on a paid node, no pod requesting them) either stay their own line or are
        charged to the teams on the same pool that day in proportion to their GPU-hours, as OpenCost&apos;s shareIdle
        does. Export: <a href={`/api/v1/costs/export?days=${days}&groupBy=team`}>idle apart</a> ·{" "}
        <a href={`/api/v1/costs/export?days=${days}&groupBy=team&shareIdle=true`} data-testid="export-shared-idle">
          idle shared
        </a>
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Table, scrolls sideways on narrow screens">
        <table className="table" data-testid="shared-idle">
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Cost, idle on its own line</th>
              <th scope="col">Share of idle added</th>
              <th scope="col">Cost, idle shared</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.team}>
                <th scope="row">
                  {r.team === UNALLOCATED_TEAM ? "Unallocated (idle GPUs)" : (teamNames[r.team] ?? r.team)}
                </th>
                <td>{usd0(r.ownUsd)}</td>
                <td>{r.sharedIdleUsd ? `+${usd0(r.sharedIdleUsd)}` : "—"}</td>
                <td>{usd0(r.withSharedIdleUsd)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td>{usd0(apart)}</td>
              <td />
              <td>{usd0(shared)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      {Math.abs(shared - apart) >= 0.5 && (
        <p className="help flush" data-testid="shared-idle-scope-note">
          The totals differ because only your teams are shown: shared, the idle cost of the pools they use (the
          unallocated line, not shown here) is spread onto them.
        </p>
      )}
    </section>
  );
}
