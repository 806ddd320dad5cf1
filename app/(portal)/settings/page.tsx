import "@/components/requests/requests.css";
import { requirePage } from "@/lib/auth/session.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { ingestionStatus, latestDataHealth, readCostSettings } from "@/lib/costs/sources/ingest-usage.server";
import { DataHealthCard } from "@/components/costs/data-health-card";
import { PriceSourcesCard } from "@/components/costs/price-sources-card";
import { priceSourceStates } from "@/lib/pricing/live-prices.server";
import { costSettingsSchema, type CostSettings } from "@/lib/costs/schema";
import { listFetchedUrls } from "@/lib/net/fetched-urls.server";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { ignoredAllowEntries } from "@/lib/net/url-policy";
import { CostSettingsForm } from "@/components/costs/cost-settings-form";
import { IngestionCard, type IngestionRow } from "@/components/costs/ingestion-card";
import { TeamBudgetsTable } from "@/components/costs/team-budgets-table";
import { UrlAllowListForm } from "@/components/net/url-allow-list-form";
import { SsoGroupMappingForm } from "@/components/auth/sso-group-mapping-form";
import { readSsoGroupMapping, ssoEnv } from "@/lib/auth/sso-sign-in.server";
import { getSetting } from "@/lib/env/get-env";

export const metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  await requirePage("settings.manage");
  const db = getPrisma();
  const now = Date.now();
  let settings: CostSettings;
  let ingestion: IngestionRow[] = [];
  let invalidSetting: string | null = null;
  try {
    settings = await readCostSettings(db);
  } catch (error) {
    // A stored setting the schema refuses must not lock admins out of the page that fixes it.
    invalidSetting = (error as Error).message;
    settings = costSettingsSchema.parse({});
  }
  if (!invalidSetting) ingestion = await ingestionStatus(db, now, settings);
  const allowList = await readUrlAllowList(db);
  // Entries saved before they were validated match nothing: say so before the admin saves.
  const ignored = ignoredAllowEntries(allowList);
  const fetched = await listFetchedUrls(db, settings, allowList);
  const health = await latestDataHealth(db, "prometheus");
  const sso = await readSsoGroupMapping(ssoEnv(), db);
  const priceSources = await priceSourceStates(db, settings);
  const teams = await db.team.findMany({
    orderBy: { name: "asc" },
    select: { slug: true, name: true, monthlyBudgetUsd: true },
  });
  return (
    <>
      <h1>Settings</h1>
      <p className="subtitle">
        Where cost data comes from, how fresh it is, which URLs the portal may fetch, which identity-provider groups
        give which role and teams, and each team&apos;s monthly GPU budget.
      </p>
      {invalidSetting && (
        <div className="alert alert-warning" role="alert" data-testid="invalid-setting">
          The saved cost setting cannot be read ({invalidSetting}). The form shows the defaults: saving it replaces the
          stored setting.
        </div>
      )}
      {ignored.length > 0 && (
        <div className="alert alert-warning" role="alert" data-testid="ignored-allow-entries">
          The saved URL allow-list has entries that are ignored: {ignored.join("; ")}. Fix or remove them and save.
        </div>
      )}
      <div className="grid grid-2 items-start">
        <div className="grid">
          <CostSettingsForm settings={settings} />
          <UrlAllowListForm entries={allowList} fetched={fetched} />
          <SsoGroupMappingForm mapping={sso.mapping} source={sso.source} enabled={Boolean(getSetting("OIDC_ISSUER"))} />
        </div>
        <div className="grid">
          <IngestionCard rows={ingestion} now={new Date(now).toISOString()} />
          <DataHealthCard health={health} />
          <PriceSourcesCard states={priceSources} />
          <TeamBudgetsTable
            teams={teams.map((t) => ({
              ...t,
              monthlyBudgetUsd: t.monthlyBudgetUsd === null ? null : Number(t.monthlyBudgetUsd),
            }))}
          />
        </div>
      </div>
    </>
  );
}
