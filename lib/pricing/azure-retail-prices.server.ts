import "server-only";
import { policyFetch, type UrlPolicy } from "@/lib/net/policy-fetch.server";
import { logger } from "@/lib/observability/logger";
import type { ListedPrice } from "./aws-price-list";
import {
  AZURE_RETAIL_PRICES_URL,
  azureRetailPriceUrls,
  parseRetailPrices,
  retailPricesPage,
} from "./azure-retail-prices";
import { fetchWithThrottleRetry, type ThrottleRetry } from "./price-api-retry.server";

export interface AzureRetailPricesSource extends ThrottleRetry {
  /** Region whose prices are read (the cluster's armRegionName), e.g. westus2. */
  region: string;
  /** The API's base URL; a local endpoint in tests. Fetched under the URL policy. */
  endpoint?: string;
  policy: UrlPolicy;
  /** Pages followed per query at most: the API pages at 1,000 items, a filtered VM query needs one or two. */
  maxPages?: number;
}

/**
 * Linux pay-as-you-go prices of the VM sizes in the source's region from the Azure Retail Prices API, following
 * NextPageLink (itself fetched under the URL policy) and retrying throttled (429) pages after Retry-After.
 */
export async function fetchAzurePrices(
  source: AzureRetailPricesSource,
  vmSizes: readonly string[],
): Promise<{ prices: ListedPrice[]; skipped: string[]; pages: number }> {
  const items: unknown[] = [];
  let pages = 0;
  for (const first of azureRetailPriceUrls(source.endpoint ?? AZURE_RETAIL_PRICES_URL, source.region, vmSizes)) {
    let next: string | null | undefined = first;
    for (let n = 0; next; n++) {
      if (n >= (source.maxPages ?? 50))
        throw new Error(
          `Azure Retail Prices API: more than ${source.maxPages ?? 50} pages for one query; narrow the VM sizes`,
        );
      const res = await fetchWithThrottleRetry(
        () => policyFetch(next!, { what: "Azure Retail Prices API", maxBodyBytes: 32 * 1024 * 1024 }, source.policy),
        source,
      );
      if (res.status !== 200) {
        logger.warn({ status: res.status, endpoint: new URL(next).origin }, "Azure Retail Prices API failed");
        throw new Error(`Azure Retail Prices API answered HTTP ${res.status}: the server log has the details`);
      }
      let json: unknown;
      try {
        json = JSON.parse(res.text);
      } catch {
        throw new Error("Azure Retail Prices API answered something that is not JSON: check the endpoint");
      }
      const page = retailPricesPage.safeParse(json);
      if (!page.success) throw new Error("Azure Retail Prices API answered without an Items list: check the endpoint");
      pages++;
      items.push(...page.data.Items);
      next = page.data.NextPageLink;
    }
  }
  return { ...parseRetailPrices(items, source.region), pages };
}
