import { route } from "@/lib/http/route.server";
import { runIdParams } from "@/lib/dr/api-params";
import { abortDrill } from "@/lib/dr/abort-drill.server";
import { abortDrillInput, drillAbortResponse } from "@/lib/dr/schema";

// POST /api/v1/drills/{id}/abort: stop a drill; the current step's rollback runs, the rest is skipped.
export const POST = route(
  { action: "drill.run-dry", response: drillAbortResponse, params: runIdParams, body: abortDrillInput },
  async ({ user, params, body, traceId }) =>
    abortDrill({ actor: user, runId: params.id, reason: body?.reason ?? "", traceId }),
);
