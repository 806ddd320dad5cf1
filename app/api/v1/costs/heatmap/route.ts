// GET /api/v1/costs/heatmap?days=&team=: GPU utilization by hour of day × day of week (UTC).
import { route } from "@/lib/http/route.server";
import { getCostHeatmap } from "@/lib/costs/rollups/get-cost-heatmap.server";
import { costHeatmapResponse, costQuerySchema } from "@/lib/costs/schema";

export const GET = route(
  { action: "costs.read", response: costHeatmapResponse, query: costQuerySchema },
  async ({ user, query }) => getCostHeatmap({ actor: user, ...query, now: Date.now() }),
);
