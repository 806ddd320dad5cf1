import { planHistoryResponse } from "@/lib/dr/schema";
import { route } from "@/lib/http/route.server";
import { historyQuery, planKeyParams } from "@/lib/dr/api-params";
import { listPlanHistory } from "@/lib/dr/list-plan-history.server";

// GET /api/v1/dr-plans/{key}/history?mode=live: finished runs, oldest first, with RTO/RPO and targets (trend data).
export const GET = route(
  { action: "drill.read", response: planHistoryResponse, params: planKeyParams, query: historyQuery },
  async ({ user, params, query, traceId }) => ({
    runs: await listPlanHistory({ actor: user, planKey: params.key, ...query, traceId }),
  }),
);
