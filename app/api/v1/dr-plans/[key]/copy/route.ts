import { route } from "@/lib/http/route.server";
import { planKeyParams } from "@/lib/dr/api-params";
import { copyPlan } from "@/lib/dr/copy-plan.server";
import { copyPlanInput, planVersionResponse } from "@/lib/dr/schema";

// POST /api/v1/dr-plans/{key}/copy: copy a plan (a template, say) under a new key.
export const POST = route(
  { action: "drill.manage", response: planVersionResponse, params: planKeyParams, body: copyPlanInput },
  async ({ user, params, body, traceId }) => copyPlan({ actor: user, planKey: params.key, input: body, traceId }),
);
