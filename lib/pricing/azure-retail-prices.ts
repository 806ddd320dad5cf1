// The Azure Retail Prices API (GET https://prices.azure.com/api/retail/prices?$filter=…): the query for one region's
// Linux pay-as-you-go VM prices and the parse of its answer ({ Items: [...], NextPageLink, Count }) into hourly
// on-demand prices per VM size. Pure: azure-retail-prices.server.ts does the calls.
import { z } from "zod";
import type { ListedPrice } from "./aws-price-list";

export const AZURE_RETAIL_PRICES_URL = "https://prices.azure.com/api/retail/prices";
const API_VERSION = "2023-01-01-preview";

const retailItem = z
  .object({
    currencyCode: z.string(),
    retailPrice: z.number(),
    armRegionName: z.string(),
    armSkuName: z.string(),
    meterName: z.string().default(""),
    skuName: z.string().default(""),
    productName: z.string().default(""),
    serviceName: z.string().default(""),
    unitOfMeasure: z.string(),
    type: z.string(),
  })
  .passthrough();

export const retailPricesPage = z.object({
  Items: z.array(z.unknown()),
  NextPageLink: z.string().nullable().optional(),
});

/**
 * The first page's URL: Virtual Machines consumption prices of the sizes in one region. Sizes are OR-ed in groups so
 * a URL stays short; each group is its own paginated query.
 */
export function azureRetailPriceUrls(
  base: string,
  region: string,
  vmSizes: readonly string[],
  perQuery = 10,
): string[] {
  const urls: string[] = [];
  for (let i = 0; i < vmSizes.length; i += perQuery) {
    const sizes = vmSizes.slice(i, i + perQuery).map((s) => `armSkuName eq '${s.replace(/'/g, "''")}'`);
    const filter = `serviceName eq 'Virtual Machines' and priceType eq 'Consumption' and armRegionName eq '${region.replace(/'/g, "''")}' and (${sizes.join(" or ")})`;
    const url = new URL(base);
    url.searchParams.set("api-version", API_VERSION);
    url.searchParams.set("$filter", filter);
    urls.push(url.href);
  }
  return urls;
}

/** Spot and Low Priority meters are other markets; Windows and DevTest are other products: only the Linux list price counts. */
function isLinuxPayAsYouGo(i: z.infer<typeof retailItem>): boolean {
  const words = `${i.meterName} ${i.skuName}`;
  return (
    i.type === "Consumption" &&
    !/\b(spot|low priority)\b/i.test(words) &&
    !/windows/i.test(i.productName) &&
    i.unitOfMeasure === "1 Hour"
  );
}

/**
 * Hourly USD on-demand (Linux, pay-as-you-go) price of each VM size in the items. An item that does not parse is
 * named in `skipped`; the cheapest matching meter of a size wins (a size is listed once per meter region).
 */
export function parseRetailPrices(
  items: readonly unknown[],
  region: string,
): { prices: ListedPrice[]; skipped: string[] } {
  const prices = new Map<string, ListedPrice>();
  const skipped: string[] = [];
  for (const raw of items) {
    const parsed = retailItem.safeParse(raw);
    if (!parsed.success) {
      skipped.push(`an item without ${parsed.error.issues[0]?.path.join(".") || "the expected fields"}`);
      continue;
    }
    const i = parsed.data;
    if (i.armRegionName !== region || i.currencyCode !== "USD" || !isLinuxPayAsYouGo(i)) continue;
    if (!(i.retailPrice > 0)) {
      skipped.push(`${i.armSkuName}: no hourly price`);
      continue;
    }
    const seen = prices.get(i.armSkuName);
    if (!seen || i.retailPrice < seen.onDemandHourly)
      prices.set(i.armSkuName, { instanceType: i.armSkuName, region, onDemandHourly: i.retailPrice, gpuCount: null });
  }
  return { prices: [...prices.values()].sort((x, y) => x.instanceType.localeCompare(y.instanceType)), skipped };
}
