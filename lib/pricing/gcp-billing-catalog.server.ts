import "server-only";
import { CloudCatalogClient } from "@google-cloud/billing";
import { policyFetch, type UrlPolicy } from "@/lib/net/policy-fetch.server";
import { logger } from "@/lib/observability/logger";
import type { InstancePrice } from "./lookup-price";
import type { ListedPrice } from "./aws-price-list";
import { COMPUTE_ENGINE_SERVICE, GCP_CATALOG_URL, priceMachineTypes, type CatalogSku } from "./gcp-billing-catalog";
import { fetchWithThrottleRetry, type ThrottleRetry } from "./price-api-retry.server";

export interface GcpCatalogSource extends ThrottleRetry {
  /** The region whose prices are read (the cluster's), e.g. us-east4. */
  region: string;
  /** The catalog's origin; a local endpoint in tests. Fetched under the URL policy. */
  endpoint?: string;
  /** An API key with the Cloud Billing API enabled: the catalog is public, but Google still asks who calls. */
  apiKey?: string;
  policy: UrlPolicy;
  pageSize?: number;
  maxPages?: number;
}

/**
 * The google-auth-library shape the REST fallback calls: every request the client makes goes through policyFetch
 * (the allow-list and connect-time address checks), carries the API key, and is retried while throttled (HTTP 429,
 * RESOURCE_EXHAUSTED) after Retry-After or a back-off.
 */
function policyAuth(source: GcpCatalogSource) {
  const headers = () => new Headers(source.apiKey ? { "x-goog-api-key": source.apiKey } : {});
  return {
    getRequestHeaders: async () => headers(),
    fetch: async (url: string, init: { method?: string; headers?: Headers; body?: string }) => {
      const sent: Record<string, string> = {};
      new Headers(init.headers).forEach((v, k) => (sent[k] = v));
      headers().forEach((v, k) => (sent[k] = v));
      const res = await fetchWithThrottleRetry(
        () =>
          policyFetch(
            url,
            {
              method: init.method === "POST" ? "POST" : "GET",
              headers: sent,
              body: init.body,
              what: "Cloud Billing Catalog",
              maxBodyBytes: 64 * 1024 * 1024,
            },
            source.policy,
          ),
        source,
      );
      const answer = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") answer.set(k, v);
      return new Response(res.text, { status: res.status, headers: answer });
    },
  };
}

/**
 * On-demand prices in the source's region of the machine types (their vCPUs, memory and GPUs from the offline
 * table), from Compute Engine's SKUs in the Cloud Billing Catalog, read page by page (pageToken) over the client's
 * REST transport.
 */
export async function fetchGcpPrices(
  source: GcpCatalogSource,
  machines: readonly InstancePrice[],
): Promise<{ prices: ListedPrice[]; skipped: string[]; pages: number }> {
  const origin = new URL(source.endpoint ?? GCP_CATALOG_URL);
  const client = new CloudCatalogClient({
    fallback: true,
    apiEndpoint: origin.hostname,
    port: origin.port ? Number(origin.port) : origin.protocol === "http:" ? 80 : 443,
    protocol: origin.protocol.replace(":", ""),
    authClient: policyAuth(source),
  } as ConstructorParameters<typeof CloudCatalogClient>[0]);
  const skus: CatalogSku[] = [];
  let pages = 0;
  try {
    let pageToken: string | undefined = undefined;
    do {
      if (pages >= (source.maxPages ?? 100))
        throw new Error(`Cloud Billing Catalog: more than ${source.maxPages ?? 100} pages of Compute Engine SKUs`);
      const [page, , raw]: [unknown[], unknown, { nextPageToken?: string | null } | null | undefined] =
        await client.listSkus(
          { parent: COMPUTE_ENGINE_SERVICE, currencyCode: "USD", pageSize: source.pageSize ?? 5000, pageToken },
          { autoPaginate: false },
        );
      pages++;
      skus.push(...(page as CatalogSku[]));
      pageToken = raw?.nextPageToken || undefined;
    } while (pageToken);
  } catch (error) {
    throw new Error(catalogFailure(error), { cause: error });
  } finally {
    await client.close();
  }
  return { ...priceMachineTypes(skus, source.region, machines), pages };
}

/** The catalog's own words stay in the log: an endpoint could answer anything. The status name is enough to act on. */
function catalogFailure(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof e?.code === "number") {
    const names: Record<number, string> = {
      3: "INVALID_ARGUMENT",
      7: "PERMISSION_DENIED",
      8: "RESOURCE_EXHAUSTED",
      14: "UNAVAILABLE",
      16: "UNAUTHENTICATED",
      5: "NOT_FOUND",
    };
    const name = names[e.code] ?? `code ${e.code}`;
    logger.warn(
      { err: typeof e.message === "string" ? e.message : String(error) },
      "Cloud Billing Catalog ListSkus failed",
    );
    const fix =
      e.code === 8
        ? ": the API stayed throttled after retries; the next refresh tries again"
        : e.code === 7 || e.code === 16
          ? ": check the API key and that the Cloud Billing API is enabled"
          : ": the server log has the details";
    return `Cloud Billing Catalog ListSkus failed (${name})${fix}`;
  }
  return error instanceof Error ? error.message : String(error);
}
