import { drillRunResponse } from "@/lib/dr/schema";
import { route } from "@/lib/http/route.server";
import { runIdParams } from "@/lib/dr/api-params";
import { getDrillRun } from "@/lib/dr/get-drill-run.server";

// GET /api/v1/drills/{id}: a run with its steps as stored so far (the run page polls this).
export const GET = route(
  {
    action: "drill.read",
    response: drillRunResponse,
    successHeaders: { "Cache-Control": "no-store" },
    params: runIdParams,
  },
  ({ user, params, traceId }) => getDrillRun({ actor: user, runId: params.id, traceId }),
);
