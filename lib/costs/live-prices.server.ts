import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import { listInstanceTypes, priceTable } from "@/lib/pricing/lookup-price";
import type { ListedPrice } from "./aws-price-list";
import { fetchAwsPrices } from "./aws-price-list.server";
import { gpuInstance } from "./gpu-rates";
import type { LivePrice } from "./live-prices";
import { DAY_MS, type CostSettings } from "./schema";

/** Reads on-demand prices of instance types in a region from the cloud's price API. */
export type FetchPrices = (region: string, instanceTypes: readonly string[]) => Promise<{ prices: ListedPrice[] }>;

const fetchFromAws: FetchPrices = (region, instanceTypes) => fetchAwsPrices({ region }, instanceTypes);

/** Live prices are re-read once a day: list prices change a few times a year. */
const REFRESH_AFTER_MS = DAY_MS;

/**
 * The cached live prices of the cluster's region, refreshed from the price API (every GPU type of the table and the
 * types the data uses) when the last refresh is older than a day. A failed refresh keeps the cache (or the offline table) and is returned as `refreshError`,
 * so the data health can say the prices are the table's and why.
 */
export async function livePricesFor(
  db: Db,
  settings: CostSettings,
  o: { now: number; instanceTypes: readonly string[]; fetchPrices?: FetchPrices },
): Promise<{ live: Map<string, LivePrice>; refreshError?: string }> {
  if (!settings.livePrices) return { live: new Map() };
  const cloud = settings.cloud;
  const region = settings.clusterRegion ?? priceTable(cloud).region;
  if (cloud !== "aws") return { live: await loadLivePrices(db, cloud, region), refreshError: `live prices are read from AWS's Price List API only; ${cloud} uses the offline table` };
  const cached = await loadLivePrices(db, cloud, region);
  const wanted = [...new Set([...listInstanceTypes(cloud).filter((t) => gpuInstance(cloud, t)), ...o.instanceTypes.filter((t) => t !== "unknown")])].sort();
  // A type the API does not list stays missing (priced from the table): only the age of the last refresh counts.
  const lastRefresh = Math.max(-Infinity, ...[...cached.values()].map((p) => p.fetchedAt));
  const stale = o.now - lastRefresh > REFRESH_AFTER_MS;
  if (!stale) return { live: cached };
  try {
    const { prices } = await (o.fetchPrices ?? fetchFromAws)(region, wanted);
    const fetchedAt = new Date(o.now);
    await db.$transaction(
      prices.map((p) =>
        db.gpuPrice.upsert({
          where: { cloud_region_instanceType: { cloud, region, instanceType: p.instanceType } },
          create: { cloud, region, instanceType: p.instanceType, onDemandHourly: p.onDemandHourly, gpuCount: p.gpuCount, fetchedAt },
          update: { onDemandHourly: p.onDemandHourly, gpuCount: p.gpuCount, fetchedAt },
        }),
      ),
    );
    return { live: await loadLivePrices(db, cloud, region) };
  } catch (e) {
    return { live: cached, refreshError: (e as Error).message.slice(0, 300) };
  }
}

export async function loadLivePrices(db: Db, cloud: string, region: string): Promise<Map<string, LivePrice>> {
  const rows = await db.gpuPrice.findMany({ where: { cloud, region } });
  return new Map(rows.map((r) => [r.instanceType, { instanceType: r.instanceType, onDemandHourly: r.onDemandHourly, gpuCount: r.gpuCount, fetchedAt: r.fetchedAt.getTime() }]));
}
