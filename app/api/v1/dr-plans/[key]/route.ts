import { route } from "@/lib/http/route.server";
import { planKeyParams, planQuery } from "@/lib/dr/api-params";
import { getDrillPlan } from "@/lib/dr/get-drill-plan.server";
import { editPlan } from "@/lib/dr/edit-plan.server";
import { editPlanInput, planResponse, planVersionResponse } from "@/lib/dr/schema";

// GET /api/v1/dr-plans/{key}?version=: one plan version and its dry-run rendering.
export const GET = route(
  { action: "drill.read", response: planResponse, params: planKeyParams, query: planQuery },
  async ({ user, params, query, traceId }) =>
    getDrillPlan({ actor: user, planKey: params.key, version: query.version, traceId }),
);

// PATCH /api/v1/dr-plans/{key}: store an edited plan as a new version.
export const PATCH = route(
  { action: "drill.manage", response: planVersionResponse, params: planKeyParams, body: editPlanInput },
  async ({ user, params, body, traceId }) => editPlan({ actor: user, planKey: params.key, patch: body, traceId }),
);
