import { route } from "@/lib/http/route.server";
import { startDrill } from "@/lib/dr/start-drill.server";
import { drillStartedResponse, startDrillInput } from "@/lib/dr/schema";

// POST /api/v1/drills: start a drill (dry run by default; live needs drill.run-live and the cluster name as
// confirmation, checked by the service).
export const POST = route(
  { action: "drill.run-dry", response: drillStartedResponse, body: startDrillInput, successStatus: 202 },
  async ({ user, body, traceId }) => {
    return startDrill({ actor: user, input: body, traceId });
  },
);
