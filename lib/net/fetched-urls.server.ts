import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import type { CostSettings } from "@/lib/costs/schema";
import { drStep } from "@/lib/dr/schema";
import { getSetting } from "@/lib/env/get-env";
import { judgeFetchedUrls, type FetchedUrl } from "./fetched-urls";
import { AZURE_RETAIL_PRICES_URL } from "@/lib/pricing/azure-retail-prices";
import { GCP_CATALOG_URL } from "@/lib/pricing/gcp-billing-catalog";

/**
 * Every URL the portal is configured to fetch (cost sources, the newest version of each DR plan's health checks)
 * and whether `allow` lets it through, so an admin sees what a change to the list opens or breaks.
 */
export async function listFetchedUrls(db: Db, settings: CostSettings, allow: readonly string[]): Promise<FetchedUrl[]> {
  const found: { source: string; url: string }[] = [];
  if (settings.prometheusUrl) found.push({ source: "Prometheus URL", url: settings.prometheusUrl });
  if (settings.awsEndpoint) found.push({ source: "AWS endpoint", url: settings.awsEndpoint });
  // Single sign-on fetches the provider's discovery document, keys and tokens (its endpoints share the issuer's host
  // in every provider we know of; one elsewhere is refused at sign-in with a message naming it).
  const oidcIssuer = getSetting("OIDC_ISSUER");
  if (oidcIssuer) found.push({ source: "OIDC_ISSUER (single sign-on)", url: oidcIssuer });
  // Live Azure and GCP prices are fetched under the policy too (AWS's Price List endpoint is the SDK's own).
  if (settings.livePrices && (settings.cloud === "azure" || settings.cloud === "gcp")) {
    found.push({
      source: settings.cloud === "azure" ? "Azure Retail Prices API" : "Cloud Billing Catalog",
      url: settings.priceApiEndpoint ?? (settings.cloud === "azure" ? AZURE_RETAIL_PRICES_URL : GCP_CATALOG_URL),
    });
  }
  const plans = await db.drPlan.findMany({
    distinct: ["key"],
    orderBy: [{ key: "asc" }, { version: "desc" }],
    select: { key: true, steps: true },
  });
  for (const plan of plans) {
    const steps = drStep.array().safeParse(plan.steps);
    if (!steps.success) continue;
    steps.data.forEach((step, i) => {
      for (const s of [step, step.validation]) {
        if (s?.type === "http_health_check") found.push({ source: `DR plan ${plan.key}, step ${i + 1}`, url: s.url });
      }
    });
  }
  return judgeFetchedUrls(found, allow);
}
