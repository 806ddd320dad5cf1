import "@/components/requests/requests.css";
import { requirePage } from "@/lib/auth/session.server";
import { DataHealthCard } from "@/components/costs/data-health-card";
import { PriceSourcesCard } from "@/components/costs/price-sources-card";
import { ignoredAllowEntries } from "@/lib/net/url-policy";
import { CostSettingsForm } from "@/components/costs/cost-settings-form";
import { IngestionCard } from "@/components/costs/ingestion-card";
import { TeamBudgetsTable } from "@/components/costs/team-budgets-table";
import { UrlAllowListForm } from "@/components/net/url-allow-list-form";
import { SsoGroupMappingForm } from "@/components/auth/sso-group-mapping-form";
import { loadSettings } from "@/lib/settings/load-settings.server";
import { getSetting } from "@/lib/env/get-env";

export const metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const user = await requirePage("settings.manage");
  const now = Date.now();
  const { settings, invalidSetting, ingestion, allowList, fetched, health, sso, priceSources, teams } =
    await loadSettings({ actor: user, now });
  // Entries saved before they were validated match nothing: say so before the admin saves.
  const ignored = ignoredAllowEntries(allowList);
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
      <div className="grid settings-columns items-start">
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
            teams={teams.map((t) => ({ slug: t.slug, name: t.name, monthlyBudgetUsd: t.monthlyBudgetUsd }))}
          />
        </div>
      </div>
    </>
  );
}
