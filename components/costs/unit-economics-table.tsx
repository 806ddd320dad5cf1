// Cost per 1,000 requests and per million generated tokens of each model server per day (team page): what serving
// costs, not only what GPUs cost.
import type { UnitEconomicsRow } from "@/lib/costs/rollups/unit-economics";

const usd = (v: number, digits = 2) =>
  v.toLocaleString("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

export function UnitEconomicsTable({ rows }: { rows: UnitEconomicsRow[] }) {
  return (
    <section className="card mt-16" aria-labelledby="unit-economics-title">
      <h2 className="flush-top" id="unit-economics-title">
        Cost per 1,000 requests and per million tokens
      </h2>
      <p className="help">
        Each day, the GPU cost of the team&apos;s inference node pool, shared among the models it served by their
        requests, over the requests they served (the model server&apos;s request counter) and the tokens they generated
        (vLLM&apos;s <code>vllm:generation_tokens_total</code>; Triton counts no tokens). Needs the model server set
        under Settings.
      </p>
      {rows.length === 0 ? (
        <p className="empty">No model-server requests ingested for this team in the last 14 days.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table, scrolls sideways on narrow screens">
          <table className="table" data-testid="unit-economics">
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                <th scope="col">Model</th>
                <th scope="col">Node pool</th>
                <th scope="col">Requests</th>
                <th scope="col">Cost</th>
                <th scope="col">Per 1,000 requests</th>
                <th scope="col">Tokens generated</th>
                <th scope="col">Per 1M tokens</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.day}/${r.model}/${r.modelVersion}/${r.nodePool}`}>
                  <td>{r.day}</td>
                  <td>
                    {r.model} <span className="help">{r.modelVersion}</span>
                  </td>
                  <td>{r.nodePool}</td>
                  <td>{Math.round(r.requests).toLocaleString("en-US")}</td>
                  <td>{usd(r.costUsd)}</td>
                  <td>{r.costPer1kRequestsUsd === null ? "—" : usd(r.costPer1kRequestsUsd, 4)}</td>
                  <td>{r.generatedTokens === null ? "—" : Math.round(r.generatedTokens).toLocaleString("en-US")}</td>
                  <td>
                    {r.costPerMillionTokensUsd === null ? "—" : usd(r.costPerMillionTokensUsd, 4)}
                    {r.costPerMillionTokensUsd !== null && r.tokenCoverage < 0.999 && (
                      <span className="help">
                        {" "}
                        · over {Math.round(r.tokenCoverage * 100)}% of the day&apos;s cost (hours with a token count)
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
