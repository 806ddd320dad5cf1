// GET /api/v1/costs/summary?days=7|30|90&groupBy=team|workloadType|nodePool[&team=slug]: everything the dashboard shows.
import { route } from "@/lib/http/route.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { costSummary, costTeamScope } from "@/lib/costs/rollups/cost-queries.server";
import { costQuerySchema, costSummaryResponse } from "@/lib/costs/schema";

export const GET = route(
  { action: "costs.read", response: costSummaryResponse, query: costQuerySchema },
  async ({ user, query }) => {
    const db = getPrisma();
    return costSummary(db, { ...query, teams: await costTeamScope(db, user), now: Date.now() });
  },
);
