// Compute Engine prices from the Cloud Billing Catalog (services/6F81-5844-456A/skus). The catalog prices a machine
// by its parts: the series' vCPU hour ("A3 Instance Core running in Americas"), its memory GiB-hour ("… Instance Ram
// …") and each attached GPU's hour ("Nvidia H100 80GB GPU running in Americas"), so a machine type's price is the
// sum of its parts in the region. Pure: gcp-billing-catalog.server.ts reads the pages.
import type { InstancePrice } from "./lookup-price";
import type { ListedPrice } from "./aws-price-list";

export const COMPUTE_ENGINE_SERVICE = "services/6F81-5844-456A";
export const GCP_CATALOG_URL = "https://cloudbilling.googleapis.com";

/** The fields of a catalog SKU the prices need (google.cloud.billing.v1.Sku as the REST client decodes it). */
export interface CatalogSku {
  description?: string | null;
  category?: { resourceFamily?: string | null; resourceGroup?: string | null; usageType?: string | null } | null;
  serviceRegions?: string[] | null;
  pricingInfo?:
    | {
        pricingExpression?: {
          usageUnit?: string | null;
          tieredRates?:
            | {
                startUsageAmount?: number | null;
                unitPrice?: {
                  currencyCode?: string | null;
                  units?: string | number | null;
                  nanos?: number | null;
                } | null;
              }[]
            | null;
        } | null;
      }[]
    | null;
}

/** The series name the catalog uses in its core and RAM SKUs, from a machine type: a3-megagpu-8g → "A3 Mega". */
export function seriesOfMachineType(machineType: string): string {
  if (/^a3-megagpu-/.test(machineType)) return "A3 Mega";
  if (/^a3-ultragpu-/.test(machineType)) return "A3 Ultra";
  return (machineType.split("-")[0] ?? machineType).toUpperCase();
}

/** The catalog's GPU SKU wording per GPU type of the price tables. */
const gpuSkuNames: Record<string, RegExp> = {
  "nvidia-t4": /^Nvidia Tesla T4 GPU running in /i,
  "nvidia-l4": /^Nvidia L4 GPU running in /i,
  "nvidia-a100": /^Nvidia Tesla A100 GPU running in /i,
  "nvidia-a100-80gb": /^Nvidia Tesla A100 80GB GPU running in /i,
  "nvidia-h100": /^Nvidia H100 80GB GPU running in /i,
  "nvidia-h100-mega": /^Nvidia H100 80GB Mega GPU running in /i,
  "nvidia-h200": /^Nvidia H200 141GB GPU running in /i,
};

/** Spot, commitments, reservations, DWS and sole-tenant premiums are other prices than on-demand list. */
const NOT_ON_DEMAND =
  /\b(preemptible|spot|commitment|commit|reserved|reservation|dws|sole tenancy|custom|extended|calendar)\b/i;

function hourlyUsd(sku: CatalogSku, unit: string): number | undefined {
  const expr = sku.pricingInfo?.[0]?.pricingExpression;
  if (!expr || expr.usageUnit !== unit) return undefined;
  // Tiered rates start at 0; the first tier above 0 is the list price (a free first tier would read as $0).
  const rate = (expr.tieredRates ?? [])
    .map((t) => t.unitPrice)
    .find((p) => p && p.currencyCode === "USD" && (Number(p.units ?? 0) > 0 || Number(p.nanos ?? 0) > 0));
  return rate ? Number(rate.units ?? 0) + Number(rate.nanos ?? 0) / 1e9 : undefined;
}

/** The on-demand SKUs of one region: "… running in …" descriptions, OnDemand usage, the region listed. */
function onDemandIn(skus: readonly CatalogSku[], region: string): CatalogSku[] {
  return skus.filter(
    (s) =>
      (s.category?.usageType ?? "OnDemand") === "OnDemand" &&
      (s.serviceRegions ?? []).includes(region) &&
      !NOT_ON_DEMAND.test(s.description ?? ""),
  );
}

/**
 * The hourly on-demand price in `region` of each machine type (its vCPUs, memory and GPUs from the offline table),
 * as the sum of its series' core and RAM SKUs and its GPUs' SKU. A type whose parts the catalog does not all list is
 * named in `skipped` and keeps the table's price.
 */
export function priceMachineTypes(
  skus: readonly CatalogSku[],
  region: string,
  machines: readonly InstancePrice[],
): { prices: ListedPrice[]; skipped: string[] } {
  const here = onDemandIn(skus, region);
  const find = (re: RegExp, unit: string) => {
    for (const s of here)
      if (re.test(s.description ?? "")) {
        const p = hourlyUsd(s, unit);
        if (p !== undefined) return p;
      }
    return undefined;
  };
  const prices: ListedPrice[] = [];
  const skipped: string[] = [];
  for (const m of machines) {
    const series = seriesOfMachineType(m.instanceType).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const core = find(new RegExp(`^${series} Instance Core running in `, "i"), "h");
    const ram = find(new RegExp(`^${series} Instance Ram running in `, "i"), "GiBy.h");
    const gpuKey = m.gpuType && /^a3-megagpu-/.test(m.instanceType) ? `${m.gpuType}-mega` : m.gpuType;
    const gpuRe = gpuKey ? gpuSkuNames[gpuKey] : undefined;
    const gpu = m.gpuCount > 0 ? (gpuRe ? find(gpuRe, "h") : undefined) : 0;
    const missing = [core === undefined && "core", ram === undefined && "RAM", gpu === undefined && "GPU"].filter(
      Boolean,
    );
    if (missing.length > 0) {
      skipped.push(`${m.instanceType}: no ${missing.join(", ")} SKU in ${region}`);
      continue;
    }
    const hourly = core! * m.vcpu + ram! * m.memoryGib + gpu! * m.gpuCount;
    prices.push({
      instanceType: m.instanceType,
      region,
      onDemandHourly: Math.round(hourly * 1e4) / 1e4,
      gpuCount: m.gpuCount,
    });
  }
  return { prices: prices.sort((x, y) => x.instanceType.localeCompare(y.instanceType)), skipped };
}
