import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import { readEnv } from "@/lib/env/get-env";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { listInstanceTypes, lookupPrice, priceTable, type CloudProvider, type InstancePrice } from "./lookup-price";
import type { ListedPrice } from "./aws-price-list";
import { fetchAwsPrices } from "./aws-price-list.server";
import { fetchAzurePrices } from "./azure-retail-prices.server";
import { fetchGcpPrices } from "./gcp-billing-catalog.server";
import { gpuInstance } from "./gpu-rates";
import type { LivePrice, PriceSourceState } from "./live-prices";
import { DAY_MS, type CostSettings } from "@/lib/costs/schema";

/** Reads on-demand prices of instance types in a region from the cloud's price API. */
export type FetchPrices = (region: string, instanceTypes: readonly string[]) => Promise<{ prices: ListedPrice[] }>;

/** The cloud's price API: AWS Price List, Azure Retail Prices, GCP Cloud Billing Catalog; none on premises. */
export function priceApiOf(db: Db, settings: CostSettings): FetchPrices | null {
  const cloud = settings.cloud;
  if (cloud === "aws") return (region, types) => fetchAwsPrices({ region }, types);
  if (cloud === "azure")
    return async (region, types) =>
      fetchAzurePrices(
        { region, endpoint: settings.priceApiEndpoint, policy: { allow: await readUrlAllowList(db) } },
        types,
      );
  if (cloud === "gcp") {
    return async (region, types) => {
      const env = readEnv();
      // The catalog prices a machine by its parts; the table says how many vCPUs, GiB and GPUs each type has.
      const machines = types.map((t) => lookupPrice("gcp", t)).filter((m): m is InstancePrice => m !== undefined);
      return fetchGcpPrices(
        {
          region,
          endpoint: settings.priceApiEndpoint,
          apiKey: env.ok ? env.env.GCP_BILLING_API_KEY : undefined,
          policy: { allow: await readUrlAllowList(db) },
        },
        machines,
      );
    };
  }
  return null;
}

/** Live prices are re-read once a day: list prices change a few times a year. */
const REFRESH_AFTER_MS = DAY_MS;

/**
 * The region the cluster's prices come from: Settings' cluster region, else the region the nodes' labels name (a
 * cluster in us-west-2 must not be charged us-east-1 prices because Settings is blank), else the offline table's.
 */
export function priceRegionOf(settings: CostSettings, nodeRegion?: string): string {
  return settings.clusterRegion ?? nodeRegion ?? priceTable(settings.cloud).region;
}

/**
 * The cached live prices of the cluster's region, refreshed from the cloud's price API (every GPU type of the table
 * and the types the data uses) when the last successful refresh is older than a day. A failed refresh keeps the cache
 * (or the offline table) and is returned as `refreshError`, so the data health can say the prices are the table's
 * and why; every attempt is recorded in PriceRefresh for Settings.
 */
export async function livePricesFor(
  db: Db,
  settings: CostSettings,
  o: {
    now: number;
    instanceTypes: readonly string[];
    /** The region the nodes' labels name, used when Settings has none. */
    nodeRegion?: string;
    fetchPrices?: FetchPrices;
    force?: boolean;
  },
): Promise<{ live: Map<string, LivePrice>; region: string; refreshError?: string }> {
  const cloud = settings.cloud;
  const region = priceRegionOf(settings, o.nodeRegion);
  if (!settings.livePrices) return { live: new Map(), region };
  const cached = await loadLivePrices(db, cloud, region);
  const api = o.fetchPrices ?? priceApiOf(db, settings);
  if (!api) return { live: cached, region, refreshError: `${cloud} has no price API: the offline table is used` };
  const wanted = [
    ...new Set([
      ...listInstanceTypes(cloud).filter((t) => gpuInstance(cloud, t)),
      ...o.instanceTypes.filter((t) => t !== "unknown"),
    ]),
  ].sort();
  const last = await db.priceRefresh.findUnique({ where: { cloud_region: { cloud, region } } });
  // A type the API does not list stays missing (priced from the table): only the age of the last successful refresh
  // counts. A failed one is tried again at the next ingestion (hourly), so a fixed allow-list or key takes effect.
  const lastRefresh =
    last?.refreshedAt?.getTime() ?? Math.max(-Infinity, ...[...cached.values()].map((p) => p.fetchedAt));
  if (!o.force && o.now - lastRefresh <= REFRESH_AFTER_MS) return { live: cached, region };
  const at = new Date(o.now);
  try {
    const { prices } = await api(region, wanted);
    await db.$transaction([
      ...prices.map((p) =>
        db.gpuPrice.upsert({
          where: { cloud_region_instanceType: { cloud, region, instanceType: p.instanceType } },
          create: {
            cloud,
            region,
            instanceType: p.instanceType,
            onDemandHourly: p.onDemandHourly,
            gpuCount: p.gpuCount,
            fetchedAt: at,
          },
          update: { onDemandHourly: p.onDemandHourly, gpuCount: p.gpuCount, fetchedAt: at },
        }),
      ),
      db.priceRefresh.upsert({
        where: { cloud_region: { cloud, region } },
        create: { cloud, region, attemptedAt: at, refreshedAt: at, priceCount: prices.length, error: null },
        update: { attemptedAt: at, refreshedAt: at, priceCount: prices.length, error: null },
      }),
    ]);
    return { live: await loadLivePrices(db, cloud, region), region };
  } catch (e) {
    const error = (e as Error).message.slice(0, 300);
    await db.priceRefresh.upsert({
      where: { cloud_region: { cloud, region } },
      create: { cloud, region, attemptedAt: at, priceCount: cached.size, error },
      update: { attemptedAt: at, error },
    });
    return { live: cached, region, refreshError: error };
  }
}

/**
 * The live prices the costs are charged at, for the figures computed from the stored costs (recommendations, the
 * spot tile): the cache of the cluster's region when live prices are on, as the ingestion reads them; else none.
 */
export async function costLivePrices(
  db: Db,
  settings: CostSettings,
  nodeRegion?: string,
): Promise<{ region: string; prices: Map<string, LivePrice> } | undefined> {
  if (!settings.livePrices) return undefined;
  // The same region the ingestion priced the costs at (Settings', else the nodes'), so advice quotes those prices.
  const region = priceRegionOf(settings, nodeRegion);
  return { region, prices: await loadLivePrices(db, settings.cloud, region) };
}

export async function loadLivePrices(db: Db, cloud: string, region: string): Promise<Map<string, LivePrice>> {
  const rows = await db.gpuPrice.findMany({ where: { cloud, region } });
  return new Map(
    rows.map((r) => [
      r.instanceType,
      {
        instanceType: r.instanceType,
        onDemandHourly: r.onDemandHourly,
        gpuCount: r.gpuCount,
        fetchedAt: r.fetchedAt.getTime(),
      },
    ]),
  );
}

const apiNames: Record<CloudProvider, string | null> = {
  aws: "AWS Price List API",
  azure: "Azure Retail Prices API",
  gcp: "Cloud Billing Catalog",
  on_premise: null,
};

/** Each cloud's price source for Settings: the API's last refresh for the region it reads, else the offline table. */
export async function priceSourceStates(db: Db, settings: CostSettings): Promise<PriceSourceState[]> {
  const refreshes = await db.priceRefresh.findMany();
  return (["aws", "azure", "gcp"] as const).map((cloud) => {
    const region =
      settings.clusterRegion && cloud === settings.cloud ? settings.clusterRegion : priceTable(cloud).region;
    const r = refreshes.find((x) => x.cloud === cloud && x.region === region);
    return {
      cloud,
      api: apiNames[cloud],
      region,
      enabled: settings.livePrices && settings.cloud === cloud,
      attemptedAt: r?.attemptedAt.toISOString() ?? null,
      refreshedAt: r?.refreshedAt?.toISOString() ?? null,
      priceCount: r?.priceCount ?? 0,
      error: r?.error ?? null,
      tableRegion: priceTable(cloud).region,
      tableAsOf: priceTable(cloud).pricesAsOf,
    };
  });
}
