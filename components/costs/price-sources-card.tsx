// Each cloud's price source in Settings: which API, for which region, when it last refreshed, how many prices it
// holds and why the last refresh failed; where no live price is used, the offline table's region and date.
import type { PriceSourceState } from "@/lib/pricing/live-prices";

const day = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "never");

export function PriceSourcesCard({ states }: { states: PriceSourceState[] }) {
  return (
    <section className="card" aria-labelledby="price-sources-title" data-testid="price-sources">
      <h2 id="price-sources-title" className="h3 flush-top">
        Price sources
      </h2>
      <p className="help flush-top">
        Live prices are read once a day for the cluster region of the selected cloud. Without them, or for types an API
        does not list, the offline table is used (labelled as such wherever a cost shows).
      </p>
      <div
        className="table-scroll"
        tabIndex={0}
        role="region"
        aria-label="Price sources, scrolls sideways on narrow screens"
      >
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Cloud</th>
              <th scope="col">Source</th>
              <th scope="col">Region</th>
              <th scope="col">Last refresh</th>
              <th scope="col">Prices</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {states.map((s) => (
              <tr key={s.cloud} data-testid={`price-source-${s.cloud}`}>
                <th scope="row">{s.cloud.toUpperCase()}</th>
                <td>{s.enabled ? s.api : `offline table (as of ${s.tableAsOf})`}</td>
                <td>
                  {s.enabled ? s.region : s.tableRegion}
                  {s.region !== s.tableRegion && !s.enabled && <span className="help"> · cluster in {s.region}</span>}
                </td>
                <td>{s.enabled ? day(s.refreshedAt) : "—"}</td>
                <td>{s.enabled ? s.priceCount : "—"}</td>
                <td>
                  {!s.enabled ? (
                    <span className="badge">{s.api ? "live prices off" : "no price API"}</span>
                  ) : s.error ? (
                    <span role="status">
                      <span className="badge badge-danger">failed {day(s.attemptedAt)}</span> {s.error}
                      {s.priceCount > 0
                        ? ` · the cached prices of ${day(s.refreshedAt)} stay in use`
                        : " · the offline table is used"}
                    </span>
                  ) : s.refreshedAt ? (
                    <span className="badge badge-success">live</span>
                  ) : (
                    <span className="badge">waiting for the first ingestion</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
