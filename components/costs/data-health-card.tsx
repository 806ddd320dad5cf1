// What share of the last ingestion's GPU-hours the portal could attribute to a team, a node pool and a price, and
// the cause and fix of the rest: shown on the costs page and in Settings so unreadable labels never look like $0.
import { Fragment } from "react";
import { healthShares, type DataHealth } from "@/lib/costs/sources/data-health";

const pct = (share: number) => `${(share * 100).toFixed(share > 0.999 || share < 0.001 ? 0 : 1)}%`;
const hours = (h: number) => `${h.toLocaleString("en-US", { maximumFractionDigits: 1 })} GPU-hours`;

const utc = (t: number) => new Date(t).toISOString().slice(0, 16).replace("T", " ");

/** The hours the data covers; the window read only when the record predates that or there was no data. */
function span(h: DataHealth): string {
  if (h.dataFrom != null && h.dataUntil != null)
    return `of data from ${utc(h.dataFrom)} to ${utc(h.dataUntil)} UTC (read ${utc(h.from)} to ${utc(h.until)} UTC)`;
  if (h.dataFrom === null) return `(no data) read from ${utc(h.from)} to ${utc(h.until)} UTC`;
  return `from ${utc(h.from)} to ${utc(h.until)} UTC`;
}

/** `text` with its back-quoted parts as code. */
function WithCode({ text }: { text: string }) {
  return (
    <>
      {text
        .split("`")
        .map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>))}
    </>
  );
}

export function DataHealthCard({ health }: { health: (DataHealth & { at: string }) | null }) {
  if (!health) return null;
  const shares = healthShares(health);
  const clean = health.issues.length === 0;
  return (
    <section
      className={`card${clean ? "" : " alert-warning"}`}
      aria-labelledby="data-health-title"
      data-testid="data-health"
    >
      <h2 id="data-health-title" className="h3 flush-top">
        Data health of the last Prometheus ingestion
      </h2>
      <p className="help flush-top">
        {hours(health.gpuHours)} {span(health)}, ingested {health.at.slice(0, 16).replace("T", " ")} UTC.
      </p>
      <dl className="row gap-24 flush mb-8">
        <div>
          <dt>Attributed to a team</dt>
          <dd data-testid="health-team">{pct(shares.team)}</dd>
        </div>
        <div>
          <dt>In a known node pool</dt>
          <dd data-testid="health-pool">{pct(shares.pool)}</dd>
        </div>
        {shares.capacity !== null && (
          <div>
            <dt>Spot or on demand known</dt>
            <dd data-testid="health-capacity">{pct(shares.capacity)}</dd>
          </div>
        )}
        <div>
          <dt>Priced</dt>
          <dd data-testid="health-price">
            {pct(shares.price)}
            {shares.price > shares.listPrice ? ` (${pct(shares.listPrice)} at list price, the rest estimated)` : ""}
          </dd>
        </div>
      </dl>
      {health.prices && (
        <p className="help" data-testid="health-prices">
          Prices:{" "}
          {health.prices.kind === "table"
            ? `the offline price table (${health.prices.tableRegion}, as of ${health.prices.tableAsOf})`
            : `the cloud's price API for ${health.prices.region} (fetched ${health.prices.liveAsOf?.slice(0, 10) ?? "—"})${health.prices.kind === "mixed" ? `, the offline table (${health.prices.tableRegion}, as of ${health.prices.tableAsOf}) for types it does not list` : ""}`}
          {health.prices.clusterRegion && health.prices.clusterRegion !== health.prices.region && (
            <strong> · the cluster runs in {health.prices.clusterRegion}</strong>
          )}
        </p>
      )}
      {clean ? (
        <p className="flush">Every GPU-hour has a team, a pool and a list price.</p>
      ) : (
        <ul className="flush pl-18" data-testid="health-issues">
          {health.issues.map((issue) => (
            <li key={issue.code} data-code={issue.code}>
              <WithCode text={issue.cause} />: <WithCode text={issue.fix} />{" "}
              <span className="help">({hours(issue.gpuHours)})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
