// GPU utilization by hour of day × day of week (UTC): a table, so it is readable without colour too.
import { pct } from "./format";
import { heatCellColours } from "./heat-colour";

const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export function HeatMap({ matrix }: { matrix: (number | null)[][] }) {
  const cells = matrix.flat().filter((v): v is number => v !== null);
  const peak = cells.length ? Math.max(...cells) : 0;
  return (
    <section className="card" aria-labelledby="heat-title">
      <h2 id="heat-title" style={{ marginTop: 0 }}>
        Utilization by hour and weekday (UTC)
      </h2>
      <div className="stat">
        <span className="value">{pct(peak)}</span> <span className="help">busiest hour</span>
      </div>
      <div style={{ overflowX: "auto" }}>
        <table
          className="heat"
          style={{ borderCollapse: "collapse", fontSize: 12, width: "100%", tableLayout: "fixed" }}
        >
          <thead>
            <tr>
              <th scope="col" style={{ width: 44 }}>
                Day
              </th>
              {Array.from({ length: 24 }, (_, h) => (
                <th key={h} scope="col" style={{ fontWeight: 400, padding: "0 2px" }}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.map((row, d) => (
              <tr key={d}>
                <th scope="row" style={{ paddingRight: 6 }}>
                  {days[d]}
                </th>
                {row.map((v, h) => (
                  <td
                    key={h}
                    title={`${days[d]} ${h}:00 UTC: ${v === null ? "no data" : pct(v, 1)}`}
                    style={{ ...heatCellColours(v), height: 26, textAlign: "center" }}
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
