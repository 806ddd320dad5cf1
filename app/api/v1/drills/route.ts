import { route } from "@/lib/http/route.server";
import { startDrill } from "@/lib/dr/start-drill.server";
import { startDrillInput } from "@/lib/dr/schema";

// POST /api/v1/drills: start a drill (dry run by default; live needs drill.run-live and the cluster name as
// confirmation, checked by the service).
export const POST = route(
  { action: "drill.run-dry", body: startDrillInput, successStatus: 202 },
  async ({ user, body, requestId }) => {
    const started = await startDrill(user, body, { requestId });
    return Response.json(started, { status: 202 });
  },
);
