// Cost per 1,000 requests of each model server per day: the GPU cost of the team's inference pool in each hour,
// shared among the models it served that hour by their requests, over the requests they served. Pure.
import type { InferenceLoadRow } from "./inference-load";
import { DAY_MS, HOUR_MS, type UsageRow } from "./schema";

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
  const out = new Map<string, UnitEconomicsRow>();
  for (const [k, models] of modelsByPoolHour) {
    const cost = costByPoolHour.get(k) ?? 0;
    const total = models.reduce((s, m) => s + m.requestsPerSecond, 0);
    for (const m of models) {
      // A pool serving two models: each gets the hour's cost in proportion to its requests (equal shares when idle).
      const share = total > 0 ? m.requestsPerSecond / total : 1 / models.length;
      const day = new Date(Math.floor(m.hour / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
      const id = [day, m.team, m.nodePool, m.model, m.modelVersion].join("|");
      const acc = out.get(id) ?? { day, team: m.team, nodePool: m.nodePool, model: m.model, modelVersion: m.modelVersion, requests: 0, costUsd: 0, costPer1kRequestsUsd: null };
      acc.requests += m.requestsPerSecond * (HOUR_MS / 1000);
      acc.costUsd += cost * share;
      out.set(id, acc);
    }
  }
  return [...out.values()]
    .map((r) => ({ ...r, costPer1kRequestsUsd: r.requests > 0 ? (r.costUsd / r.requests) * 1000 : null }))
    .sort((a, b) => b.day.localeCompare(a.day) || a.model.localeCompare(b.model) || a.modelVersion.localeCompare(b.modelVersion) || a.nodePool.localeCompare(b.nodePool));
}
