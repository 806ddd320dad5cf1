import "server-only";
import { getPrisma, type Db } from "@/lib/db/prisma.server";
import type { CloudProvider } from "./lookup-price";
import type { CachedPrice, PriceList } from "./price-list";
import { readCostSettings } from "@/lib/costs/sources/ingest-usage.server";
import { livePriceList } from "./live-prices";
import { loadLivePrices } from "./live-prices.server";

/**
 * The cached live prices of a cloud's region for the plan engine (form preview, submit, the plans API), the same
 * cache the costs pages price with. Null when live prices are off in Settings or the cache has none for that
 * region: the plan is then priced from the offline table and says so.
 */
export async function livePriceListFor(
  cloud: CloudProvider,
  region: string,
  db: Db = getPrisma(),
): Promise<PriceList | null> {
  if (cloud === "on_premise") return null;
  const settings = await readCostSettings(db);
  if (!settings.livePrices) return null;
  const live = await loadLivePrices(db, cloud, region);
  return live.size > 0 ? livePriceList(cloud, region, live) : null;
}

/** Every cached live price list (one per cloud and region), for the request form's in-browser preview. */
export async function livePriceLists(db: Db): Promise<PriceList[]> {
  const settings = await readCostSettings(db);
  if (!settings.livePrices) return [];
  const rows = await db.gpuPrice.findMany({ orderBy: [{ cloud: "asc" }, { region: "asc" }, { instanceType: "asc" }] });
  const lists = new Map<string, PriceList & { prices: CachedPrice[] }>();
  for (const r of rows) {
    const key = `${r.cloud}/${r.region}`;
    const list = lists.get(key) ?? { cloud: r.cloud as CloudProvider, region: r.region, prices: [] };
    list.prices.push({
      instanceType: r.instanceType,
      onDemandHourly: r.onDemandHourly,
      gpuCount: r.gpuCount,
      fetchedAt: r.fetchedAt.toISOString(),
    });
    lists.set(key, list);
  }
  return [...lists.values()];
}
