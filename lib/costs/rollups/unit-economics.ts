// Cost per 1,000 requests and per million generated tokens of each model server per day: the GPU cost of the team's
// inference pool in each hour, shared among the models it served that hour by their requests, over the requests
// they served and the tokens they generated (vLLM's generation_tokens_total). Pure.
import type { InferenceLoadRow } from "@/lib/costs/sources/inference-load";
import { DAY_MS, HOUR_MS, type UsageRow } from "@/lib/costs/schema";

export interface UnitEconomicsRow {
  /** YYYY-MM-DD (UTC). */
  day: string;
  team: string;
  nodePool: string;
  model: string;
  modelVersion: string;
  requests: number;
  costUsd: number;
  /** null on a day without requests: its cost is real, a per-request figure is not. */
  costPer1kRequestsUsd: number | null;
  /** Output tokens generated; null when the server counts none (Triton, or hours before tokens were read). */
  generatedTokens: number | null;
  /** null without tokens: a per-token figure over hours with no count would understate the cost. */
  costPerMillionTokensUsd: number | null;
  /** Share of the day's cost whose hours had a token count: below 1, the per-token figure covers those hours only. */
  tokenCoverage: number;
}

export function unitEconomics(rows: readonly UsageRow[], load: readonly InferenceLoadRow[]): UnitEconomicsRow[] {
  const costByPoolHour = new Map<string, number>();
  for (const r of rows) {
    if (r.workloadType !== "inference") continue;
    const k = `${r.team}|${r.nodePool}@${r.hour}`;
    costByPoolHour.set(k, (costByPoolHour.get(k) ?? 0) + r.costUsd);
  }
  const modelsByPoolHour = new Map<string, InferenceLoadRow[]>();
  for (const l of load) {
    const k = `${l.team}|${l.nodePool}@${l.hour}`;
    modelsByPoolHour.set(k, [...(modelsByPoolHour.get(k) ?? []), l]);
  }
  const out = new Map<string, UnitEconomicsRow & { tokenCostUsd: number }>();
  for (const [k, models] of modelsByPoolHour) {
    const cost = costByPoolHour.get(k) ?? 0;
    const total = models.reduce((s, m) => s + m.requestsPerSecond, 0);
    for (const m of models) {
      // A pool serving two models: each gets the hour's cost in proportion to its requests (equal shares when idle).
      const share = total > 0 ? m.requestsPerSecond / total : 1 / models.length;
      const day = new Date(Math.floor(m.hour / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
      const id = [day, m.team, m.nodePool, m.model, m.modelVersion].join("|");
      const acc = out.get(id) ?? {
        day,
        team: m.team,
        nodePool: m.nodePool,
        model: m.model,
        modelVersion: m.modelVersion,
        requests: 0,
        costUsd: 0,
        costPer1kRequestsUsd: null,
        generatedTokens: null,
        costPerMillionTokensUsd: null,
        tokenCoverage: 0,
        tokenCostUsd: 0,
      };
      acc.requests += m.requestsPerSecond * (HOUR_MS / 1000);
      acc.costUsd += cost * share;
      if (m.generatedTokensPerSecond !== null && m.generatedTokensPerSecond !== undefined) {
        acc.generatedTokens = (acc.generatedTokens ?? 0) + m.generatedTokensPerSecond * (HOUR_MS / 1000);
        acc.tokenCostUsd += cost * share;
      }
      out.set(id, acc);
    }
  }
  return [...out.values()]
    .map(({ tokenCostUsd, ...r }) => ({
      ...r,
      costPer1kRequestsUsd: r.requests > 0 ? (r.costUsd / r.requests) * 1000 : null,
      // Over the hours that counted tokens only, so hours without a count do not dilute the figure.
      costPerMillionTokensUsd:
        r.generatedTokens !== null && r.generatedTokens > 0 ? (tokenCostUsd / r.generatedTokens) * 1e6 : null,
      tokenCoverage: r.costUsd > 0 ? tokenCostUsd / r.costUsd : r.generatedTokens === null ? 0 : 1,
    }))
    .sort(
      (a, b) =>
        b.day.localeCompare(a.day) ||
        a.model.localeCompare(b.model) ||
        a.modelVersion.localeCompare(b.modelVersion) ||
        a.nodePool.localeCompare(b.nodePool),
    );
}
