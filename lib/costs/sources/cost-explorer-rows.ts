// AWS Cost Explorer GetCostAndUsage results → daily cost lines. Pure; the SDK call is in cost-explorer.server.ts.

export interface CostLine {
  /** YYYY-MM-DD */
  day: string;
  service: string;
  team: string;
  workloadType: string;
  amountUsd: number;
  currency: string;
}

/** Marker for a dimension the query did not group by (Cost Explorer groups by at most two keys per call). */
export const ALL = "*";
export const UNTAGGED = "untagged";

export type GroupDim = "service" | "team" | "workloadType";

interface ResultByTime {
  TimePeriod?: { Start?: string; End?: string };
  Groups?: { Keys?: string[]; Metrics?: Record<string, { Amount?: string; Unit?: string }> }[];
}

/** Tag group keys come back as "<tag key>$<value>"; an empty value means the resource is untagged. */
export function tagValue(key: string): string {
  const i = key.indexOf("$");
  const v = i >= 0 ? key.slice(i + 1) : key;
  return v === "" ? UNTAGGED : v;
}

export function costLinesFromResults(
  results: readonly ResultByTime[],
  dims: readonly [GroupDim, GroupDim],
  metric = "UnblendedCost",
): CostLine[] {
  const out: CostLine[] = [];
  for (const r of results) {
    const day = r.TimePeriod?.Start;
    if (!day) continue;
    for (const g of r.Groups ?? []) {
      const m = g.Metrics?.[metric];
      if (!m?.Amount) continue;
      const line: CostLine = {
        day,
        service: ALL,
        team: ALL,
        workloadType: ALL,
        amountUsd: Number(m.Amount),
        currency: m.Unit ?? "USD",
      };
      dims.forEach((d, i) => {
        const k = g.Keys?.[i] ?? "";
        line[d] = d === "service" ? k || "unknown" : tagValue(k);
      });
      out.push(line);
    }
  }
  return out;
}
