// GPU utilization by hour of day × day of week (UTC): a table, so it is readable without colour too.
import { pct } from "./format";
import { heatCellColours } from "./heat-colour";

const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export function HeatMap({ matrix }: { matrix: (number | null)[][] }) {
  const cells = matrix.flat().filter((v): v is number => v !== null);
  const peak = cells.length ? Math.max(...cells) : 0;
  return (
    <section className="card" aria-labelledby="heat-title">
      <h2 className="flush-top" id="heat-title">
        Utilization by hour and weekday (UTC)
      </h2>
      <div className="stat">
        <span className="value">{pct(peak)}</span> <span className="help">busiest hour</span>
      </div>
      <div className="scroll-x">
        <table className="heat heat-map-table">
          <thead>
            <tr>
              <th className="w-44" scope="col">
                Day
              </th>
              {Array.from({ length: 24 }, (_, h) => (
                <th className="heat-hour" key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.map((row, d) => (
              <tr key={d}>
                <th className="pr-6" scope="row">
                  {days[d]}
                </th>
                {row.map((v, h) => (
                  <td
                    key={h}
                    title={`${days[d]} ${h}:00 UTC: ${v === null ? "no data" : pct(v, 1)}`}
                    className="heat-cell"
                    style={heatCellColours(v)}
                  >
                    {v === null ? "" : Math.round(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
