// GET /api/v1/costs/timeseries?days=&groupBy=&team=: daily GPU cost per group (stacked chart data).
import { route } from "@/lib/http/route.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { costTeamScope, narrowScope } from "@/lib/costs/rollups/cost-queries.server";
import { dailyByGroup, rangeWindow } from "@/lib/costs/rollups/rollup-reads.server";
import { pivotDailyCost } from "@/lib/costs/reports/dashboard";
import { readCostSettings, usageSourceOf } from "@/lib/costs/sources/ingest-usage.server";
import { costQuerySchema, costTimeseriesResponse } from "@/lib/costs/schema";

export const GET = route(
  { action: "costs.read", response: costTimeseriesResponse, query: costQuerySchema },
  async ({ user, query }) => {
    const db = getPrisma();
    const source = usageSourceOf(await readCostSettings(db));
    const w = rangeWindow(query.days, Date.now());
    const rows = await dailyByGroup(
      db,
      source,
      query.groupBy,
      w.start,
      w.end,
      narrowScope(await costTeamScope(db, user), query.team),
    );
    return { source, groupBy: query.groupBy, ...pivotDailyCost(rows, w.start, w.days) };
  },
);
