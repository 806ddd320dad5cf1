// GET /api/v1/costs/recommendations[?state=open,snoozed]: recommendations visible to the caller, largest savings first.
import { route } from "@/lib/http/route.server";
import { listVisibleRecommendations } from "@/lib/costs/recommendations/list-visible-recommendations.server";
import { recommendationListQuerySchema, recommendationListResponse } from "@/lib/costs/schema";

export const GET = route(
  { action: "costs.read", response: recommendationListResponse, query: recommendationListQuerySchema },
  async ({ user, query }) => listVisibleRecommendations({ actor: user, states: query.state, now: Date.now() }),
);
