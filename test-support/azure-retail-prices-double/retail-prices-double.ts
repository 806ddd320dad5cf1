// A local HTTP endpoint answering the Azure Retail Prices API (GET /api/retail/prices?$filter=…) in its documented
// shape: { BillingCurrency, CustomerEntityId, CustomerEntityType, Items, NextPageLink, Count }, pages linked by
// NextPageLink ($skip), the first requests throttled with 429 and Retry-After. The $filter is read the way the
// portal writes it: armRegionName and armSkuName equalities; serviceName and priceType must be present.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RetailItem {
  armSkuName: string;
  armRegionName: string;
  retailPrice: number;
  meterName?: string;
  skuName?: string;
  productName?: string;
  type?: string;
}

export interface RetailPricesDouble {
  endpoint: string;
  requests: string[];
  throttled: number;
  stop: () => Promise<void>;
}

function item(i: RetailItem) {
  const series = i.armSkuName.replace(/^Standard_/, "").replace(/_/g, " ");
  return {
    currencyCode: "USD",
    tierMinimumUnits: 0,
    retailPrice: i.retailPrice,
    unitPrice: i.retailPrice,
    armRegionName: i.armRegionName,
    location: i.armRegionName,
    effectiveStartDate: "2025-06-01T00:00:00Z",
    meterId: `meter-${i.armSkuName}-${i.meterName ?? ""}`,
    meterName: i.meterName ?? series,
    productId: "DZH318Z0BQ4W",
    skuId: "DZH318Z0BQ4W/00XX",
    productName: i.productName ?? `Virtual Machines ${series} Series`,
    skuName: i.skuName ?? series,
    serviceName: "Virtual Machines",
    serviceId: "DZH313Z7MMC8",
    serviceFamily: "Compute",
    unitOfMeasure: "1 Hour",
    type: i.type ?? "Consumption",
    isPrimaryMeterRegion: true,
    armSkuName: i.armSkuName,
  };
}

export async function startRetailPricesDouble(o: {
  items: RetailItem[];
  pageSize?: number;
  throttleFirst?: number;
}): Promise<RetailPricesDouble> {
  const requests: string[] = [];
  let throttled = 0;
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://double");
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== "/api/retail/prices") return json(404, { error: "not found" });
    if (throttled < (o.throttleFirst ?? 0)) {
      throttled++;
      return json(429, { Error: "Too many requests" }, { "retry-after": "0" });
    }
    const filter = url.searchParams.get("$filter") ?? "";
    if (!/serviceName eq 'Virtual Machines'/.test(filter) || !/priceType eq 'Consumption'/.test(filter))
      return json(400, { Error: { Code: "BadRequest", Message: "filter" } });
    const region = /armRegionName eq '([^']+)'/.exec(filter)?.[1];
    const skus = new Set([...filter.matchAll(/armSkuName eq '([^']+)'/g)].map((m) => m[1]));
    const matching = o.items.filter(
      (i) => (region === undefined || i.armRegionName === region) && (skus.size === 0 || skus.has(i.armSkuName)),
    );
    const skip = Number(url.searchParams.get("$skip") ?? 0);
    const size = o.pageSize ?? 1000;
    const page = matching.slice(skip, skip + size);
    let next: string | null = null;
    if (skip + size < matching.length) {
      const n = new URL(
        url.href.replace("http://double", `http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      );
      n.searchParams.set("$skip", String(skip + size));
      next = n.href;
    }
    json(200, {
      BillingCurrency: "USD",
      CustomerEntityId: "Default",
      CustomerEntityType: "Retail",
      Items: page.map(item),
      NextPageLink: next,
      Count: page.length,
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}/api/retail/prices`,
    requests,
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
