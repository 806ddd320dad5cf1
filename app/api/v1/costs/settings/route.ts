// GET/PUT /api/v1/costs/settings: which sources ingestion reads (demo, prometheus, aws-cost-explorer) and how.
import { route } from "@/lib/http/route.server";
import { getCostSettings } from "@/lib/costs/get-cost-settings.server";
import { updateCostSettings } from "@/lib/costs/update-cost-settings.server";
import { costSettingsResponse, costSettingsSchema } from "@/lib/costs/schema";

export const GET = route({ action: "settings.manage", response: costSettingsResponse }, async ({ user, traceId }) =>
  getCostSettings({ actor: user, now: Date.now(), traceId }),
);

export const PUT = route(
  { action: "settings.manage", response: costSettingsSchema, body: costSettingsSchema },
  async ({ user, body, traceId }) => updateCostSettings({ actor: user, settings: body, traceId }),
);
