import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { readSsoGroupMapping, ssoEnv } from "@/lib/auth/sso-sign-in.server";
import { ingestionStatus, latestDataHealth, readCostSettings } from "@/lib/costs/sources/ingest-usage.server";
import { priceSourceStates } from "@/lib/pricing/live-prices.server";
import { costSettingsSchema, type CostSettings } from "@/lib/costs/schema";
import { getPrisma } from "@/lib/db/prisma.server";
import { listFetchedUrls } from "@/lib/net/fetched-urls.server";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { listVisibleTeams } from "@/lib/people/list-visible-teams.server";

/**
 * Everything the Settings page shows, across the domains it configures: cost data sources and their ingestion and
 * health, price sources, the URL allow-list and what the portal fetches, the SSO group mapping, team budgets.
 */
export async function loadSettings({ actor, now, traceId }: { actor: PortalUser; now: number; traceId?: string }) {
  await authorize(actor, "settings.manage", {}, traceId);
  const db = getPrisma();
  let settings: CostSettings;
  let invalidSetting: string | null = null;
  try {
    settings = await readCostSettings(db);
  } catch (error) {
    // A stored setting the schema refuses must not lock admins out of the page that fixes it.
    invalidSetting = (error as Error).message;
    settings = costSettingsSchema.parse({});
  }
  const ingestion = invalidSetting ? [] : await ingestionStatus(db, now, settings);
  const allowList = await readUrlAllowList(db);
  const fetched = await listFetchedUrls(db, settings, allowList);
  const health = await latestDataHealth(db, "prometheus");
  const sso = await readSsoGroupMapping(ssoEnv(), db);
  const priceSources = await priceSourceStates(db, settings);
  const teams = await listVisibleTeams({ actor, action: "settings.manage" });
  return { settings, invalidSetting, ingestion, allowList, fetched, health, sso, priceSources, teams };
}
