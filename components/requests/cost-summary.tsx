// The monthly cost estimate: three scenarios, per node pool, and the recommendations with their savings.
import type { CostEstimate, PoolCost } from "@/lib/plans/estimate-cost";
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

const priceKindLabel: Record<PoolCost["price_kind"], string> = {
  on_demand: "on-demand",
  spot: "spot estimate",
  amortized: "amortized",
};

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
        {(["minimum", "expected", "maximum"] as const).map((s) => (
          <div key={s} className="stat card" data-testid={`cost-${s}`}>
            <div className="label">{s} / month</div>
            <div className="value">{formatUsd(cost.totals[s])}</div>
            <div className="help">{Math.round(cost.gpu_hours[s]).toLocaleString("en-US")} GPU-hours</div>
          </div>
        ))}
      </div>
      <table className="table mt-12">
        <caption className="visually-hidden">Monthly cost per node pool</caption>
        <thead>
          <tr>
            <th scope="col">Node pool</th>
            <th scope="col">Instance</th>
            <th scope="col">Nodes (min/exp/max)</th>
            <th scope="col">Expected / month</th>
          </tr>
        </thead>
        <tbody>
          {cost.node_pools.map((p) => (
            <tr key={p.node_pool}>
              <td>{p.node_pool}</td>
              <td>
                {p.instance_type} <span className="badge">{p.capacity_type.replace("_", "-")}</span>
                <div className="help">
                  {formatUsd(p.hourly_per_node, 2)}/h per node ({priceKindLabel[p.price_kind]}) · {p.gpus_per_node} GPU
                </div>
                <div className="help" data-testid="pool-price-source">
                  {p.price_basis}
                </div>
                <WorstCaseNote cost={cost} pool={p} />
              </td>
              <td>
                {p.scenarios.minimum.nodes} / {p.scenarios.expected.nodes} / {p.scenarios.maximum.nodes}
              </td>
              <td>{formatUsd(p.scenarios.expected.monthly)}</td>
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
