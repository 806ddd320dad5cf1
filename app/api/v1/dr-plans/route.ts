import { planListResponse } from "@/lib/dr/schema";
import { route } from "@/lib/http/route.server";
import { listDrillPlans } from "@/lib/dr/list-drill-plans.server";

// GET /api/v1/dr-plans: the newest version of every DR plan with its last run and last live result.
export const GET = route({ action: "drill.read", response: planListResponse }, async ({ user, traceId }) => ({
  plans: await listDrillPlans({ actor: user, traceId }),
}));
