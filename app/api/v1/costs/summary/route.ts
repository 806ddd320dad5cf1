// GET /api/v1/costs/summary?days=7|30|90&groupBy=team|workloadType|nodePool[&team=slug]: everything the dashboard shows.
import { route } from "@/lib/http/route.server";
import { getCostSummary } from "@/lib/costs/rollups/get-cost-summary.server";
import { costQuerySchema, costSummaryResponse } from "@/lib/costs/schema";

export const GET = route(
  { action: "costs.read", response: costSummaryResponse, query: costQuerySchema },
  async ({ user, query }) => getCostSummary({ actor: user, ...query, now: Date.now() }),
);
