// POST /api/v1/costs/recommendations/{id}: {action: accept | reopen | snooze (days 7|30|90) | dismiss (reason)}.
import { z } from "zod";
import { route } from "@/lib/http/route.server";
import { changeRecommendationState } from "@/lib/costs/recommendations/change-recommendation-state.server";
import { recommendationActionSchema, recommendationSchema } from "@/lib/costs/schema";

export const POST = route(
  {
    action: "costs.manage",
    response: recommendationSchema,
    params: z.object({ id: z.string().min(1).max(64) }),
    body: recommendationActionSchema,
  },
  async ({ user, params, body, traceId }) =>
    changeRecommendationState({ actor: user, id: params.id, action: body, now: Date.now(), traceId }),
);
