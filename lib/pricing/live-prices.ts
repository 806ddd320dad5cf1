// GPU rates from live (price API) prices where the cache has them for the cluster's region, the offline table
// elsewhere, and where the prices came from, so every figure can say whose prices it used. Pure.
import { priceTable, type CloudProvider } from "./lookup-price";
import { gpuHourlyPrice, priceOf, type PriceList } from "./price-list";
import type { GpuRate } from "./sample-prices";

export interface LivePrice {
  instanceType: string;
  onDemandHourly: number;
  gpuCount: number | null;
  fetchedAt: number;
}

export interface PriceSource {
  /** live: every priced type came from the price API's cache; table: the offline table; mixed: some of each. */
  kind: "live" | "table" | "mixed";
  /** The region whose prices were used for live prices; the table's region otherwise. */
  region: string;
  tableRegion: string;
  tableAsOf: string;
  /** Oldest live price used (ISO), when any was. */
  liveAsOf: string | null;
}

/**
 * Per-GPU rates through the portal's one price lookup (lib/pricing/price-list.ts): on-demand from the live price
 * (split over the instance's GPUs), spot from the table scaled by how the live on-demand price differs from the
 * table's, never above on-demand; the offline table where the cache has no price.
 */
export function liveGpuRate(cloud: CloudProvider, live: ReadonlyMap<string, LivePrice>): GpuRate {
  const list = livePriceList(cloud, "cluster", live);
  return (instanceType, capacityType) => gpuHourlyPrice(priceOf(list, cloud, undefined, instanceType), capacityType);
}

/** The cache's live prices of one region as the price lookup takes them. */
export function livePriceList(cloud: CloudProvider, region: string, live: ReadonlyMap<string, LivePrice>): PriceList {
  return {
    cloud,
    region,
    prices: [...live.values()].map((p) => ({ ...p, fetchedAt: new Date(p.fetchedAt).toISOString() })),
  };
}

export function priceSourceOf(
  cloud: CloudProvider,
  /** The region the live prices were read for (not necessarily the cluster's). */
  liveRegion: string | undefined,
  live: ReadonlyMap<string, LivePrice>,
  typesPriced: readonly string[],
): PriceSource {
  const table = priceTable(cloud);
  const usedLive = typesPriced.filter((t) => live.has(t));
  const kind = usedLive.length === 0 ? "table" : usedLive.length === typesPriced.length ? "live" : "mixed";
  const oldest = usedLive.length ? Math.min(...usedLive.map((t) => live.get(t)!.fetchedAt)) : null;
  return {
    kind,
    region: kind === "table" ? table.region : (liveRegion ?? table.region),
    tableRegion: table.region,
    tableAsOf: table.pricesAsOf,
    liveAsOf: oldest === null ? null : new Date(oldest).toISOString(),
  };
}

/** One cloud's price source as Settings shows it: the API, the region it reads, its last refresh. */
export interface PriceSourceState {
  cloud: CloudProvider;
  /** The price API's name, or null when the cloud has none (on premises). */
  api: string | null;
  region: string;
  enabled: boolean;
  attemptedAt: string | null;
  refreshedAt: string | null;
  priceCount: number;
  error: string | null;
  /** The offline table's region and date: what is used where the API gave nothing. */
  tableRegion: string;
  tableAsOf: string;
}
