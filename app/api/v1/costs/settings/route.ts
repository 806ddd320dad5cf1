// GET/PUT /api/v1/costs/settings: which sources ingestion reads (demo, prometheus, aws-cost-explorer) and how.
import { route } from "@/lib/http/route.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { ingestionStatus, readCostSettings } from "@/lib/costs/sources/ingest-usage.server";
import { updateCostSettings } from "@/lib/costs/update-cost-settings.server";
import { costSettingsResponse, costSettingsSchema } from "@/lib/costs/schema";

export const GET = route({ action: "settings.manage", response: costSettingsResponse }, async () => {
  const db = getPrisma();
  const settings = await readCostSettings(db);
  return { settings, ingestion: await ingestionStatus(db, Date.now(), settings) };
});

export const PUT = route(
  { action: "settings.manage", response: costSettingsSchema, body: costSettingsSchema },
  async ({ user, body, traceId }) => updateCostSettings({ user, settings: body, traceId }),
);
