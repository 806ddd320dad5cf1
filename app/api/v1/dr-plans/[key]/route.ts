import { route } from "@/lib/http/route.server";
import { planKeyParams, planQuery } from "@/lib/dr/api-params";
import { getPlan } from "@/lib/dr/drill-queries.server";
import { editPlan } from "@/lib/dr/edit-plan.server";
import { editPlanInput, planResponse, planVersionResponse } from "@/lib/dr/schema";

// GET /api/v1/dr-plans/{key}?version=: one plan version and its dry-run rendering.
export const GET = route(
  { action: "drill.read", response: planResponse, params: planKeyParams, query: planQuery },
  async ({ params, query }) => getPlan(params.key, query.version),
);

// PATCH /api/v1/dr-plans/{key}: store an edited plan as a new version.
export const PATCH = route(
  { action: "drill.manage", response: planVersionResponse, params: planKeyParams, body: editPlanInput },
  async ({ user, params, body, traceId }) => editPlan(user, params.key, body, traceId),
);
