// POST /api/v1/costs/recommendations/{id}: {action: accept | reopen | snooze (days 7|30|90) | dismiss (reason)}.
import { route } from "@/lib/http/route.server";
import { changeRecommendationState } from "@/lib/costs/recommendations/change-recommendation-state.server";
import { recommendationActionSchema, recommendationIdParams, recommendationSchema } from "@/lib/costs/schema";

export const POST = route(
  {
    action: "costs.manage",
    response: recommendationSchema,
    params: recommendationIdParams,
    body: recommendationActionSchema,
  },
  async ({ user, params, body, traceId }) =>
    changeRecommendationState({ actor: user, id: params.id, action: body, now: Date.now(), traceId }),
);
