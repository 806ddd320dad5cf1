// The monthly cost estimate: three scenarios, per node pool, each with the instance type and price it is computed
// from, and the recommendations with their savings.
import type { CostEstimate, PoolCost, PoolScenario, PricedAt } from "@/lib/plans/estimate-cost";
import { formatUsd } from "./request-form-model";
import { worstCaseNote } from "./cost-notes";

function WorstCaseNote({ cost, pool }: { cost: CostEstimate; pool: PoolCost }) {
  const note = worstCaseNote(cost, pool);
  return note ? (
    <div className="help" data-testid="pool-worst-case">
      {note}
    </div>
  ) : null;
}

const scenarios = [
  ["minimum", "Minimum"],
  ["expected", "Expected"],
  ["maximum", "Worst case"],
] as const;

const capacityLabel = (c: PricedAt["capacity_type"]) => c.replace("_", "-");

/** Every digit of the hourly price the figure used (up to six decimals), so the product can be checked by hand. */
const hourlyUsd = (n: number) =>
  new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: 6,
  }).format(n);

/** A scenario as stored: plans stored before each figure named its price carry no priced_at. */
type StoredScenario = Omit<PoolScenario, "priced_at"> & { priced_at?: PricedAt };

/** The arithmetic behind one scenario's monthly figure, and where its price comes from. */
function ScenarioCell({ s, hours }: { s: StoredScenario; hours: number }) {
  const at = s.priced_at;
  return (
    <>
      {formatUsd(s.monthly, 2)}
      {at ? (
        <>
          <div className="help">
            {s.nodes} × {at.instance_type} ({capacityLabel(at.capacity_type)}) × {hourlyUsd(at.hourly_per_node)}/h ×{" "}
            {hours} h
          </div>
          <div className="help" data-testid="pool-price-source">
            {at.price_source}, as of {at.price_as_of}
          </div>
        </>
      ) : (
        <div className="help">{s.nodes} nodes</div>
      )}
    </>
  );
}

export function CostSummary({ cost }: { cost: CostEstimate }) {
  const recommendations = cost.recommendations.filter((r) => r.applicable);
  return (
    <div data-testid="cost-summary">
      <p className="help" data-testid="cost-priced-from">
        Priced from {cost.priced_from.label}.
      </p>
      {cost.priced_from.region_mismatch && (
        <div className="alert alert-warning" role="status" data-testid="cost-region-mismatch">
          {cost.priced_from.region_mismatch}
        </div>
      )}
      <div className="grid grid-3-tight">
        {scenarios.map(([s, label]) => (
          <div key={s} className="stat card" data-testid={`cost-${s}`}>
            <div className="label">{label} / month</div>
            <div className="value">{formatUsd(cost.totals[s])}</div>
            <div className="help">{Math.round(cost.gpu_hours[s]).toLocaleString("en-US")} GPU-hours</div>
          </div>
        ))}
      </div>
      <table className="table mt-12" data-testid="cost-pools">
        <caption className="visually-hidden">
          Monthly cost per node pool and scenario, with the price each is computed from
        </caption>
        <thead>
          <tr>
            <th scope="col">Node pool</th>
            {scenarios.map(([key, label]) => (
              <th key={key} scope="col">
                {label} / month
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cost.node_pools.map((p) => (
            <tr key={p.node_pool}>
              <th scope="row">
                {p.node_pool}
                <div className="help">
                  {p.instance_type} <span className="badge">{capacityLabel(p.capacity_type)}</span> · {p.gpus_per_node}{" "}
                  GPU
                </div>
                <div className="help" data-testid="pool-price-basis">
                  {p.price_basis}
                </div>
                <WorstCaseNote cost={cost} pool={p} />
              </th>
              {scenarios.map(([key]) => {
                const s: StoredScenario = p.scenarios[key];
                return (
                  <td key={key} data-testid={`pool-${key}`}>
                    <ScenarioCell s={s} hours={cost.hours_per_month} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="h3">Recommendations</h3>
      {recommendations.length === 0 ? (
        <p className="help">No savings found for this plan.</p>
      ) : (
        <ul className="plain-list">
          {recommendations.map((r) => (
            <li key={r.kind}>
              <strong>{r.title}</strong> — saves <strong>{formatUsd(r.monthly_savings)}</strong>/month
              <div className="help">{r.detail}</div>
            </li>
          ))}
        </ul>
      )}
      <p className="help">
        Prices: {cost.price_source.source}, {cost.price_source.region}, as of {cost.price_source.prices_as_of}.{" "}
        {cost.assumptions.join(" ")}
      </p>
    </div>
  );
}
