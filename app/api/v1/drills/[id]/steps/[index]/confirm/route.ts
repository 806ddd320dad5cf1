import { route } from "@/lib/http/route.server";
import { stepParams } from "@/lib/dr/api-params";
import { confirmManualStep } from "@/lib/dr/confirm-manual-step.server";
import { confirmStepInput, stepConfirmedResponse } from "@/lib/dr/schema";

// POST /api/v1/drills/{id}/steps/{index}/confirm: an operator confirms a manual step is done.
export const POST = route(
  { action: "drill.run-live", response: stepConfirmedResponse, params: stepParams, body: confirmStepInput },
  async ({ user, params, body, traceId }) =>
    confirmManualStep({ actor: user, runId: params.id, stepIndex: params.index, note: body?.note ?? "", traceId }),
);
