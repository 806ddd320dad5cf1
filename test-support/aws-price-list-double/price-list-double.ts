// A local HTTP endpoint that answers the AWS Price List API's GetProducts (awsJson1_1, X-Amz-Target
// AWSPriceListService.GetProducts) in the documented shape: PriceList entries are JSON strings, pages follow
// NextToken, and the first requests can be throttled.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface DoubleProduct {
  instanceType: string;
  regionCode: string;
  onDemandHourly: number;
  gpu?: number;
  /** Other attributes (operatingSystem, tenancy, …); unset ones match every filter, as a product with them would. */
  attributes?: Record<string, string>;
}

export interface PriceListDouble {
  endpoint: string;
  requests: Record<string, unknown>[];
  throttled: number;
  stop: () => Promise<void>;
}

function document(p: DoubleProduct): string {
  const sku = `SKU${p.instanceType.replace(/\W/g, "")}${p.regionCode.replace(/\W/g, "")}`;
  return JSON.stringify({
    product: {
      productFamily: "Compute Instance",
      sku,
      attributes: {
        instanceType: p.instanceType,
        regionCode: p.regionCode,
        operatingSystem: "Linux",
        tenancy: "Shared",
        preInstalledSw: "NA",
        capacitystatus: "Used",
        ...(p.gpu === undefined ? {} : { gpu: String(p.gpu) }),
        ...p.attributes,
      },
    },
    serviceCode: "AmazonEC2",
    terms: {
      OnDemand: {
        [`${sku}.JRTCKXETXF`]: {
          offerTermCode: "JRTCKXETXF",
          sku,
          priceDimensions: {
            [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: {
              unit: "Hrs",
              description: `$${p.onDemandHourly} per On Demand Linux ${p.instanceType} Instance Hour`,
              pricePerUnit: { USD: p.onDemandHourly.toFixed(10) },
            },
          },
        },
      },
    },
    version: "20250601000000",
    publicationDate: "2025-06-01T00:00:00Z",
  });
}

export async function startPriceListDouble(o: {
  products: DoubleProduct[];
  pageSize?: number;
  throttleFirst?: number;
}): Promise<PriceListDouble> {
  const state: PriceListDouble = { endpoint: "", requests: [], throttled: 0, stop: async () => undefined };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, {
          "content-type": "application/x-amz-json-1.1",
          "x-amzn-requestid": `req-${state.requests.length}`,
        });
        res.end(JSON.stringify(body));
      };
      const target = String(req.headers["x-amz-target"] ?? "");
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      state.requests.push(body);
      if (target !== "AWSPriceListService.GetProducts")
        return send(400, { __type: "UnknownOperationException", message: `unsupported target ${target}` });
      if (state.throttled < (o.throttleFirst ?? 0)) {
        state.throttled++;
        return send(400, { __type: "ThrottlingException", Message: "Rate exceeded" });
      }
      if (body.ServiceCode !== "AmazonEC2")
        return send(400, { __type: "InvalidParameterException", Message: "ServiceCode must be AmazonEC2 here" });
      const filters = (body.Filters as { Field: string; Value: string }[] | undefined) ?? [];
      const matching = o.products.filter((p) => {
        const attrs: Record<string, string> = {
          instanceType: p.instanceType,
          regionCode: p.regionCode,
          ...p.attributes,
        };
        return filters.every((f) => attrs[f.Field] === undefined || attrs[f.Field] === f.Value);
      });
      const size = Math.min(Number(body.MaxResults ?? 100), o.pageSize ?? 100);
      const offset = body.NextToken ? Number(Buffer.from(String(body.NextToken), "base64").toString()) : 0;
      if (!Number.isInteger(offset) || offset < 0 || offset > matching.length)
        return send(400, { __type: "InvalidNextTokenException", Message: "bad token" });
      const page = matching.slice(offset, offset + size);
      send(200, {
        FormatVersion: "aws_v1",
        PriceList: page.map(document),
        ...(offset + size < matching.length
          ? { NextToken: Buffer.from(String(offset + size)).toString("base64") }
          : {}),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
