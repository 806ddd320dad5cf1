// Parses the AWS Price List API's GetProducts answer (each PriceList entry a JSON document with `product.attributes`
// and `terms.OnDemand.<sku.term>.priceDimensions.<rate>.pricePerUnit.USD`) into hourly on-demand prices per instance
// type. Pure: aws-price-list.server.ts does the calls.
import { z } from "zod";

const priceDocument = z.object({
  product: z
    .object({
      attributes: z
        .object({
          instanceType: z.string(),
          regionCode: z.string().optional(),
          operatingSystem: z.string().optional(),
          tenancy: z.string().optional(),
          preInstalledSw: z.string().optional(),
          capacitystatus: z.string().optional(),
          gpu: z.string().optional(),
        })
        .passthrough(),
    })
    .passthrough(),
  terms: z
    .object({
      OnDemand: z
        .record(
          z.string(),
          z
            .object({
              priceDimensions: z.record(
                z.string(),
                z.object({ unit: z.string(), pricePerUnit: z.record(z.string(), z.string()) }).passthrough(),
              ),
            })
            .passthrough(),
        )
        .optional(),
    })
    .passthrough(),
});

export interface ListedPrice {
  instanceType: string;
  region: string;
  onDemandHourly: number;
  gpuCount: number | null;
}

/** The GetProducts filters for one region's Linux, shared-tenancy, no-software, in-use on-demand EC2 prices. */
export function ec2PriceFilters(
  region: string,
  instanceTypes: readonly string[],
): { Type: "TERM_MATCH"; Field: string; Value: string }[][] {
  const common = [
    { Type: "TERM_MATCH" as const, Field: "regionCode", Value: region },
    { Type: "TERM_MATCH" as const, Field: "operatingSystem", Value: "Linux" },
    { Type: "TERM_MATCH" as const, Field: "tenancy", Value: "Shared" },
    { Type: "TERM_MATCH" as const, Field: "preInstalledSw", Value: "NA" },
    { Type: "TERM_MATCH" as const, Field: "capacitystatus", Value: "Used" },
  ];
  return instanceTypes.map((t) => [{ Type: "TERM_MATCH" as const, Field: "instanceType", Value: t }, ...common]);
}

/**
 * Hourly USD on-demand price of each instance type in the documents. A document that is not a price document, or
 * whose terms have no hourly USD rate, is skipped and named in `skipped` rather than failing the whole refresh.
 */
export function parsePriceList(
  documents: readonly string[],
  region: string,
): { prices: ListedPrice[]; skipped: string[] } {
  const prices = new Map<string, ListedPrice>();
  const skipped: string[] = [];
  for (const raw of documents) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      skipped.push("a PriceList entry that is not JSON");
      continue;
    }
    const parsed = priceDocument.safeParse(json);
    if (!parsed.success) {
      skipped.push(`a PriceList entry without product attributes or terms (${parsed.error.issues[0]?.path.join(".")})`);
      continue;
    }
    const a = parsed.data.product.attributes;
    if (a.regionCode && a.regionCode !== region) continue;
    const rates = Object.values(parsed.data.terms.OnDemand ?? {})
      .flatMap((term) => Object.values(term.priceDimensions))
      .filter((d) => d.unit === "Hrs" && d.pricePerUnit.USD !== undefined);
    const hourly = rates.map((d) => Number(d.pricePerUnit.USD)).find((v) => Number.isFinite(v) && v > 0);
    if (hourly === undefined) {
      skipped.push(`${a.instanceType}: no hourly USD on-demand rate`);
      continue;
    }
    const gpus = a.gpu === undefined ? null : Number(a.gpu);
    prices.set(a.instanceType, {
      instanceType: a.instanceType,
      region,
      onDemandHourly: hourly,
      gpuCount: gpus !== null && Number.isFinite(gpus) ? gpus : null,
    });
  }
  return { prices: [...prices.values()].sort((x, y) => x.instanceType.localeCompare(y.instanceType)), skipped };
}
