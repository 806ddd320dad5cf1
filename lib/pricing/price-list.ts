// The one price lookup of the portal: the plan engine's cost estimate and the costs pages price an instance type
// through it, from a price list the caller loads (the live price cache of the cluster's region) or, without a live
// price, the offline table. Every price says where it came from. Pure: the list is passed in, nothing is fetched.
import { lookupPrice, priceTable, type CloudProvider, type InstancePrice } from "./lookup-price";

/** A price the cloud's price API returned, as the cache (GpuPrice) holds it. */
export interface CachedPrice {
  instanceType: string;
  onDemandHourly: number;
  /** GPUs of the instance as the API states them; null when it does not. */
  gpuCount: number | null;
  /** When the API was read (ISO). */
  fetchedAt: string;
}

/** The live prices of one cloud and region. */
export interface PriceList {
  cloud: CloudProvider;
  region: string;
  prices: readonly CachedPrice[];
}

export interface PriceOrigin {
  kind: "live" | "table";
  /** The region whose price this is. */
  region: string;
  /** The price's date (YYYY-MM-DD). */
  asOf: string;
  /** For a person: "live price API, us-west-2, 2026-12-01" or "offline table, us-east-1, 2025-06-01". */
  label: string;
  /** Set when the price is not of the region the cluster runs in: that region, and a sentence saying so. */
  regionMismatch: { clusterRegion: string; message: string } | null;
}

export interface PricedInstance extends InstancePrice {
  origin: PriceOrigin;
}

/**
 * Spot follows on-demand: the table's spot price scaled by how the live on-demand price differs from the table's
 * (spot markets follow list cuts), never above the live on-demand price.
 */
function scaledSpot(table: InstancePrice | undefined, liveOnDemand: number): number | null {
  if (!table || table.spotHourly === null || table.onDemandHourly <= 0) return null;
  return Math.min(liveOnDemand, table.spotHourly * (liveOnDemand / table.onDemandHourly));
}

/**
 * The price of an instance type for a cluster in `clusterRegion`: the list's live price when the list is of that
 * cloud and region and has the type, else the offline table's (with a region mismatch when the table is of another
 * region). Undefined when neither knows the type.
 */
export function priceOf(
  list: PriceList | null | undefined,
  cloud: CloudProvider,
  clusterRegion: string | undefined,
  instanceType: string,
): PricedInstance | undefined {
  const table = lookupPrice(cloud, instanceType);
  const live =
    list && list.cloud === cloud && (clusterRegion === undefined || list.region === clusterRegion)
      ? list.prices.find((p) => p.instanceType === instanceType)
      : undefined;
  // An API that states no GPUs (or none) leaves the count to the table.
  const gpuCount = (live?.gpuCount && live.gpuCount > 0 ? live.gpuCount : table?.gpuCount) ?? 0;
  if (live && live.onDemandHourly > 0) {
    const asOf = live.fetchedAt.slice(0, 10);
    return {
      instanceType,
      onDemandHourly: live.onDemandHourly,
      spotHourly: scaledSpot(table, live.onDemandHourly),
      vcpu: table?.vcpu ?? 0,
      memoryGib: table?.memoryGib ?? 0,
      gpuCount,
      gpuType: table?.gpuType ?? null,
      source: `live price API, ${list!.region}, ${asOf}`,
      asOf,
      origin: {
        kind: "live",
        region: list!.region,
        asOf,
        label: `live price API, ${list!.region}, ${asOf}`,
        regionMismatch: null,
      },
    };
  }
  if (!table) return undefined;
  const tableRegion = priceTable(cloud).region;
  const mismatch =
    clusterRegion !== undefined && clusterRegion !== tableRegion && cloud !== "on_premise"
      ? {
          clusterRegion,
          message: `the cluster runs in ${clusterRegion} but ${instanceType} is priced from the offline table's ${tableRegion} list price; prices differ between regions`,
        }
      : null;
  return {
    ...table,
    origin: {
      kind: "table",
      region: tableRegion,
      asOf: table.asOf,
      label: `offline table, ${tableRegion}, ${table.asOf}`,
      regionMismatch: mismatch,
    },
  };
}

/**
 * Hourly price of one GPU of the instance (the instance price split evenly over its GPUs); 0 when unknown. Capacity
 * of unknown type is priced on demand.
 */
export function gpuHourlyPrice(
  priced: PricedInstance | undefined,
  capacityType: "spot" | "on_demand" | "unknown",
): number {
  if (!priced || priced.gpuCount <= 0) return 0;
  const hourly = capacityType === "spot" && priced.spotHourly !== null ? priced.spotHourly : priced.onDemandHourly;
  return hourly / priced.gpuCount;
}
