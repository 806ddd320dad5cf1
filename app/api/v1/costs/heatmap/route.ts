// GET /api/v1/costs/heatmap?days=&team=: GPU utilization by hour of day × day of week (UTC).
import { route } from "@/lib/http/route.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { costSummary, costTeamScope } from "@/lib/costs/rollups/cost-queries.server";
import { costHeatmapResponse, costQuerySchema } from "@/lib/costs/schema";

export const GET = route(
  { action: "costs.read", response: costHeatmapResponse, query: costQuerySchema },
  async ({ user, query }) => {
    const db = getPrisma();
    const s = await costSummary(db, { ...query, teams: await costTeamScope(db, user), now: Date.now() });
    return {
      source: s.source,
      range: s.range,
      rows: "day of week (0 = Sunday, UTC)",
      columns: "hour of day (UTC)",
      utilizationPercent: s.heatMap,
    };
  },
);
