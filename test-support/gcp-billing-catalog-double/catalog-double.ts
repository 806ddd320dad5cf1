// A local HTTP endpoint answering the Cloud Billing Catalog's REST ListSkus (GET /v1/services/{service}/skus) in its
// documented shape: { skus: [Sku], nextPageToken }, prices as Money { currencyCode, units, nanos }; pages follow
// pageToken; the first requests can be throttled with 429 RESOURCE_EXHAUSTED.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface CatalogPart {
  description: string;
  region: string;
  usd: number;
  /** "h" for cores and GPUs, "GiBy.h" for memory. */
  unit: "h" | "GiBy.h";
  usageType?: "OnDemand" | "Preemptible" | "Commit1Yr";
}

export interface CatalogDouble {
  endpoint: string;
  requests: string[];
  headers: http.IncomingHttpHeaders[];
  throttled: number;
  stop: () => Promise<void>;
}

function money(usd: number) {
  const units = Math.floor(usd);
  return { currencyCode: "USD", units: String(units), nanos: Math.round((usd - units) * 1e9) };
}

function sku(p: CatalogPart, i: number) {
  const group = p.unit === "GiBy.h" ? "RAM" : /GPU/.test(p.description) ? "GPU" : "CPU";
  return {
    name: `services/6F81-5844-456A/skus/0000-0000-${String(i).padStart(4, "0")}`,
    skuId: `0000-0000-${String(i).padStart(4, "0")}`,
    description: p.description,
    category: {
      serviceDisplayName: "Compute Engine",
      resourceFamily: "Compute",
      resourceGroup: group,
      usageType: p.usageType ?? "OnDemand",
    },
    serviceRegions: [p.region],
    pricingInfo: [
      {
        summary: "",
        pricingExpression: {
          usageUnit: p.unit,
          usageUnitDescription: p.unit === "h" ? "hour" : "gibibyte hour",
          baseUnit: p.unit === "h" ? "s" : "By.s",
          baseUnitDescription: "second",
          baseUnitConversionFactor: 3600,
          displayQuantity: 1,
          tieredRates: [{ startUsageAmount: 0, unitPrice: money(p.usd) }],
        },
        currencyConversionRate: 1,
        effectiveTime: "2025-06-01T00:00:00Z",
      },
    ],
    serviceProviderName: "Google",
    geoTaxonomy: { type: "REGIONAL", regions: [p.region] },
  };
}

export async function startCatalogDouble(o: {
  parts: CatalogPart[];
  pageSize?: number;
  throttleFirst?: number;
}): Promise<CatalogDouble> {
  const requests: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  let throttled = 0;
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    headers.push(req.headers);
    const url = new URL(req.url ?? "/", "http://double");
    const json = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...extra });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== "/v1/services/6F81-5844-456A/skus")
      return json(404, { error: { code: 404, message: "not found", status: "NOT_FOUND" } });
    if (throttled < (o.throttleFirst ?? 0)) {
      throttled++;
      return json(
        429,
        {
          error: {
            code: 429,
            message: "Quota exceeded for quota metric 'Read requests'",
            status: "RESOURCE_EXHAUSTED",
          },
        },
        { "retry-after": "0" },
      );
    }
    const size = Math.min(Number(url.searchParams.get("pageSize") ?? 5000), o.pageSize ?? 5000);
    const start = Number(url.searchParams.get("pageToken") || 0);
    const all = o.parts.map(sku);
    const end = start + size;
    json(200, { skus: all.slice(start, end), nextPageToken: end < all.length ? String(end) : "" });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    headers,
    get throttled() {
      return throttled;
    },
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
