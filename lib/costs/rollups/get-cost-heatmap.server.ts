import "server-only";
import type { PortalUser } from "@/lib/auth/permissions";
import type { CostQuery } from "@/lib/costs/schema";
import { getCostSummary } from "./get-cost-summary.server";

/** GPU utilization by hour of day × day of week (UTC) over the teams the actor may see. */
export async function getCostHeatmap(o: CostQuery & { actor: PortalUser; now: number }) {
  const s = await getCostSummary(o);
  return {
    source: s.source,
    range: s.range,
    rows: "day of week (0 = Sunday, UTC)",
    columns: "hour of day (UTC)",
    utilizationPercent: s.heatMap,
  };
}
