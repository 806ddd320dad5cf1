// GET /api/v1/costs/timeseries?days=&groupBy=&team=: daily GPU cost per group (stacked chart data).
import { route } from "@/lib/http/route.server";
import { getCostTimeseries } from "@/lib/costs/rollups/get-cost-timeseries.server";
import { costQuerySchema, costTimeseriesResponse } from "@/lib/costs/schema";

export const GET = route(
  { action: "costs.read", response: costTimeseriesResponse, query: costQuerySchema },
  async ({ user, query }) => getCostTimeseries({ actor: user, ...query, now: Date.now() }),
);
