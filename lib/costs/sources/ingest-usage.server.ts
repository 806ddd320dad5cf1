import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import { rollupSamples } from "@/lib/costs/rollups/allocation";
import { fetchDailyCosts } from "./cost-explorer.server";
import { DEMO_SOURCE, demoFleet, demoSamples } from "./demo-fleet";
import type { UsageCoverage } from "@/lib/costs/rollups/forecast";
import { demoInferenceLoad } from "./inference-load";
import { upsertInferenceLoad } from "@/lib/costs/rollups/inference-load-store.server";
import { latestUsageHour, refreshIngestionResults } from "@/lib/costs/rollups/ingestion-results.server";
import { computeDataHealth, dataHealthSchema, type DataHealth } from "./data-health";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import { labelMapping, type LabelMapping } from "./label-mapping";
import { fetchPrometheusSamples } from "./prometheus-usage.server";
import { priceSamples } from "@/lib/pricing/sample-prices";
import { liveGpuRate, priceSourceOf } from "@/lib/pricing/live-prices";
import { costLivePrices, livePricesFor, type FetchPrices } from "@/lib/pricing/live-prices.server";
import { refreshRecommendations } from "@/lib/costs/recommendations/refresh-recommendations.server";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { defineSetting } from "@/lib/settings/setting";
import { readSetting } from "@/lib/settings/setting-store.server";
import {
  DAY_MS,
  HOUR_MS,
  type CapacityType,
  type CostSettings,
  type CostSource,
  storedCostSettingsSchema,
} from "@/lib/costs/schema";
import { refreshDailyRollup, upsertCostLines, upsertUsageRows } from "@/lib/costs/rollups/usage-store.server";

export const COST_SETTINGS_KEY = "costs.source";
/** The cost data sources an admin saved in Settings; none saved is the schema's defaults (the demo source). */
export const costSettingsSetting = defineSetting(COST_SETTINGS_KEY, storedCostSettingsSchema);
const HISTORY_DAYS = 90;
/** Cost Explorer revises the last days of a month's figures: re-read them on every run. */
const BILLING_RESTATEMENT_DAYS = 3;

export async function readCostSettings(db: Db): Promise<CostSettings> {
  const stored = await readSetting(db, costSettingsSetting);
  if (stored.state === "invalid")
    throw new Error(`setting ${COST_SETTINGS_KEY} is invalid (${stored.problem}): fix it in Settings`);
  return stored.state === "valid" ? stored.value : storedCostSettingsSchema.parse({});
}

/** The source whose hourly rollups the dashboards read: real Prometheus data when configured, else the demo. */
export function usageSourceOf(settings: CostSettings): string {
  return settings.sources.includes("prometheus") ? "prometheus" : DEMO_SOURCE;
}

/** The label mapping the Prometheus source reads with: the preset, the node keys and the team/workload keys from Settings. */
export function mappingOf(settings: CostSettings): LabelMapping {
  return labelMapping(settings.labelPreset, {
    teamKey: settings.teamTagKey,
    workloadKey: settings.workloadTagKey,
    nodePoolKey: settings.nodePoolLabelKey,
    capacityTypeKey: settings.capacityTypeLabelKey,
    instanceTypeKey: settings.instanceTypeLabelKey,
  });
}

async function lastSuccess(db: Db, source: string) {
  return db.ingestionRun.findFirst({ where: { source, status: "succeeded" }, orderBy: { finishedAt: "desc" } });
}

async function ingestOne(
  db: Db,
  source: CostSource,
  settings: CostSettings,
  now: number,
  signal?: AbortSignal,
  fetchPrices?: FetchPrices,
): Promise<{ rows: number; rangeStart: Date; rangeEnd: Date; health?: DataHealth }> {
  const last = await lastSuccess(db, source);
  const allow = await readUrlAllowList(db);
  const hourEnd = Math.floor(now / HOUR_MS) * HOUR_MS;
  if (source === "demo" || source === "prometheus") {
    // Re-read the last complete hour too: it may have been partial at the previous run.
    const from = Math.max(hourEnd - HISTORY_DAYS * DAY_MS, (last?.rangeEnd?.getTime() ?? 0) - HOUR_MS);
    if (source === "demo") {
      const rate = (s: { instanceType: string; capacityType: CapacityType }) =>
        gpuHourlyRate(settings.cloud, s.instanceType, s.capacityType);
      const rows = rollupSamples(demoSamples({ now, days: HISTORY_DAYS, from }), source, rate, { hourOrdered: true });
      await upsertUsageRows(db, rows);
      await upsertInferenceLoad(
        db,
        demoInferenceLoad({ now, days: HISTORY_DAYS, from, fleet: demoFleet(), source: DEMO_SOURCE }),
      );
      await refreshDailyRollup(db, source, from, hourEnd);
      return { rows: rows.length, rangeStart: new Date(from), rangeEnd: new Date(hourEnd) };
    }
    const mapping = mappingOf(settings);
    const { samples, inference, region } = await fetchPrometheusSamples(
      { url: required(settings.prometheusUrl, "prometheusUrl"), allow, modelServer: settings.modelServer, mapping },
      from,
      hourEnd,
      signal,
    );
    const instanceTypes = [...new Set(samples.map((s) => s.instanceType))];
    const {
      live,
      region: liveRegion,
      refreshError,
    } = await livePricesFor(db, settings, { now, instanceTypes, nodeRegion: region, fetchPrices });
    // An instance type without a list price is priced as its pool's or its GPU's nearest known type, never dropped.
    const listRate = liveGpuRate(settings.cloud, live);
    const price = priceSamples(samples, settings.cloud, listRate);
    const rows = rollupSamples(samples, source, (s) => price(s).rate);
    await upsertUsageRows(db, rows);
    await upsertInferenceLoad(db, inference);
    await refreshDailyRollup(db, source, from, hourEnd);
    // Without a region in Settings, the nodes' region label says where the cluster runs, so a price list of another
    // region is shown as a mismatch.
    const clusterRegion = settings.clusterRegion ?? region;
    const prices = {
      ...priceSourceOf(
        settings.cloud,
        liveRegion,
        live,
        instanceTypes.filter((t) => listRate(t, "on_demand") > 0),
      ),
      clusterRegion,
      refreshError,
    };
    const health = computeDataHealth({
      samples,
      price,
      mapping,
      from,
      until: hourEnd,
      prices: { ...prices, liveRegion },
      isLive: (t) => live.has(t),
    });
    return { rows: rows.length, rangeStart: new Date(from), rangeEnd: new Date(hourEnd), health };
  }
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const from = Math.max(
    today - HISTORY_DAYS * DAY_MS,
    (last?.rangeEnd?.getTime() ?? 0) - BILLING_RESTATEMENT_DAYS * DAY_MS,
  );
  if (from >= today) return { rows: 0, rangeStart: new Date(from), rangeEnd: new Date(today) };
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const { lines } = await fetchDailyCosts(
    {
      region: settings.awsRegion,
      endpoint: settings.awsEndpoint,
      allow,
      teamTagKey: settings.teamTagKey,
      workloadTagKey: settings.workloadTagKey,
    },
    day(from),
    day(today),
    now,
  );
  await upsertCostLines(db, lines, source);
  return { rows: lines.length, rangeStart: new Date(from), rangeEnd: new Date(today) };
}

/**
 * Ingests every configured source (or only `only`) into the rollup tables, records an IngestionRun per source and
 * refreshes recommendations. Idempotent: rows are upserted by their identity, so a retried job rewrites the same rows.
 */
export async function ingestUsage(
  db: Db,
  o: { now: number; only?: string; signal?: AbortSignal; /** Tests: the price API. */ fetchPrices?: FetchPrices },
): Promise<{ source: string; status: string; rows: number; error?: string }[]> {
  const settings = await readCostSettings(db);
  // A run still "running" after the job's lease (30 min) belongs to a dead worker: close it so status is honest.
  await db.ingestionRun.updateMany({
    where: { status: "running", startedAt: { lt: new Date(o.now - 45 * 60_000) } },
    data: { status: "failed", error: "abandoned: the worker stopped before finishing", finishedAt: new Date(o.now) },
  });
  const sources = settings.sources.filter((s) => !o.only || s === o.only);
  const results: { source: string; status: string; rows: number; error?: string }[] = [];
  for (const source of sources) {
    const run = await db.ingestionRun.create({ data: { source, status: "running", startedAt: new Date(o.now) } });
    try {
      const r = await ingestOne(db, source, settings, o.now, o.signal, o.fetchPrices);
      // Fenced on status: a run someone marked failed (e.g. a lapsed lease) is not turned into a success.
      await db.ingestionRun.updateMany({
        where: { id: run.id, status: "running" },
        data: {
          status: "succeeded",
          rows: r.rows,
          rangeStart: r.rangeStart,
          rangeEnd: r.rangeEnd,
          health: r.health,
          finishedAt: new Date(),
        },
      });
      results.push({ source, status: "succeeded", rows: r.rows });
    } catch (e) {
      const error = (e as Error).message.slice(0, 2000);
      await db.ingestionRun.updateMany({
        where: { id: run.id, status: "running" },
        data: { status: "failed", error, finishedAt: new Date() },
      });
      results.push({ source, status: "failed", rows: 0, error });
    }
  }
  if (results.some((r) => r.status === "succeeded")) {
    // Demo rows are costed at the offline table (see ingestOne): so is their advice.
    const source = usageSourceOf(settings);
    // Stored with the run's results, so the costs page prices at this region without reading the run's health.
    const nodeRegion =
      source === "prometheus" ? (await latestDataHealth(db, source))?.prices?.clusterRegion : undefined;
    await refreshRecommendations(db, {
      now: o.now,
      source,
      cloud: settings.cloud,
      livePrices: source === "prometheus" ? await costLivePrices(db, settings, nodeRegion) : undefined,
    });
    await refreshIngestionResults(db, { now: o.now, source, nodeRegion });
  }
  const failed = results.filter((r) => r.status === "failed");
  if (failed.length > 0)
    throw new Error(`usage ingestion failed for ${failed.map((f) => `${f.source} (${f.error})`).join("; ")}`);
  return results;
}

/** For the seed: 90 days of demo usage (source "demo") and the recommendations computed from it. */
export async function seedDemoUsage(db: Db, now: number): Promise<{ rows: number; recommendations: number }> {
  const rows = rollupSamples(
    demoSamples({ now, days: HISTORY_DAYS }),
    DEMO_SOURCE,
    (s) => gpuHourlyRate("aws", s.instanceType, s.capacityType),
    { hourOrdered: true },
  );
  await upsertUsageRows(db, rows);
  await upsertInferenceLoad(
    db,
    demoInferenceLoad({ now, days: HISTORY_DAYS, fleet: demoFleet(), source: DEMO_SOURCE }),
  );
  const hourEnd = Math.floor(now / HOUR_MS) * HOUR_MS;
  await refreshDailyRollup(db, DEMO_SOURCE, hourEnd - HISTORY_DAYS * DAY_MS, hourEnd);
  await db.ingestionRun.create({
    data: {
      source: DEMO_SOURCE,
      status: "succeeded",
      rows: rows.length,
      startedAt: new Date(now),
      finishedAt: new Date(now),
      rangeStart: new Date(hourEnd - HISTORY_DAYS * DAY_MS),
      rangeEnd: new Date(hourEnd),
    },
  });
  const { current } = await refreshRecommendations(db, { now, source: DEMO_SOURCE, cloud: "aws" });
  await refreshIngestionResults(db, { now, source: DEMO_SOURCE });
  return { rows: rows.length, recommendations: current };
}

/** The usage sources: hourly GPU rollups, whose freshness is that of their newest ingested hour. */
const isUsageSource = (source: string) => source === DEMO_SOURCE || source === "prometheus";

/** The first ingested hour of a usage source (start, epoch ms): its first day from the daily rollup, then that day's first hour. */
async function firstUsageHour(db: Db, source: string): Promise<number | null> {
  const first = await db.gpuUsageDaily.findFirst({ where: { source }, orderBy: { day: "asc" }, select: { day: true } });
  const within = first ? { gte: first.day, lt: new Date(first.day.getTime() + DAY_MS) } : undefined;
  const hour = await db.gpuUsageHourly.findFirst({
    where: { source, hour: within },
    orderBy: { hour: "asc" },
    select: { hour: true },
  });
  return hour ? hour.hour.getTime() : null;
}

/**
 * What a usage source has data for, from its first ingested hour to the end of its newest one: within it a day
 * without rows cost nothing; outside it cost is unknown (never ingested, or not ingested yet). Null with no data.
 */
export async function usageCoverage(db: Db, source: string, now: number): Promise<UsageCoverage | null> {
  const [from, latest] = await Promise.all([firstUsageHour(db, source), latestUsageHour(db, source, now)]);
  return from === null || latest === null ? null : { from, until: latest + HOUR_MS };
}

export interface IngestionStatus {
  source: string;
  lastSuccessAt: string | null;
  /** Where the source's data ends (ISO): for usage, the end of the newest ingested hour; for billing, the last run's range end. */
  dataUntil: string | null;
  /** Whole hours from dataUntil to now; null with no data. */
  dataAgeHours: number | null;
  stale: boolean;
  lastError: string | null;
}

/**
 * Freshness of each configured source; pass the cost setting (and newest hours) when the caller has already read them. A usage source
 * is stale when its newest ingested hour is older than the stale setting, even if runs succeed: a run that finds
 * no rows (the DCGM exporter is down) still succeeds.
 */
export async function ingestionStatus(
  db: Db,
  now: number,
  settings?: CostSettings,
  newestHours?: ReadonlyMap<string, number | null>,
): Promise<IngestionStatus[]> {
  const s = settings ?? (await readCostSettings(db));
  // `newestHours`: a usage source's newest hour the caller has already read (usageCoverage), not read again.
  const newestHourOf = (source: string) =>
    newestHours?.has(source) ? newestHours.get(source)! : latestUsageHour(db, source, now);
  return Promise.all(
    s.sources.map(async (source) => {
      const [ok, lastRun, newestHour] = await Promise.all([
        lastSuccess(db, source),
        db.ingestionRun.findFirst({ where: { source }, orderBy: { startedAt: "desc" } }),
        isUsageSource(source) ? newestHourOf(source) : null,
      ]);
      const at = ok?.finishedAt?.getTime() ?? null;
      const dataUntil = isUsageSource(source)
        ? newestHour === null
          ? null
          : newestHour + HOUR_MS
        : (ok?.rangeEnd?.getTime() ?? null);
      // Billing data lags by a day by nature; usage is stale after the configured hours.
      const staleAfter = (source === "aws-cost-explorer" ? 36 : s.staleAfterHours) * HOUR_MS;
      return {
        source,
        lastSuccessAt: at === null ? null : new Date(at).toISOString(),
        dataUntil: dataUntil === null ? null : new Date(dataUntil).toISOString(),
        dataAgeHours: dataUntil === null ? null : Math.max(0, Math.floor((now - dataUntil) / HOUR_MS)),
        stale: at === null || now - at > staleAfter || dataUntil === null || now - dataUntil > staleAfter,
        lastError: lastRun?.status === "failed" ? lastRun.error : null,
      };
    }),
  );
}

/** The data health of a usage source's latest successful ingestion; null without one (or one from before health was recorded). */
export async function latestDataHealth(db: Db, source: string): Promise<(DataHealth & { at: string }) | null> {
  const run = await db.ingestionRun.findFirst({
    where: { source, status: "succeeded" },
    orderBy: { finishedAt: "desc" },
  });
  const parsed = dataHealthSchema.safeParse(run?.health);
  return run && parsed.success ? { ...parsed.data, at: (run.finishedAt ?? run.startedAt).toISOString() } : null;
}

function required<T>(v: T | undefined, field: string): T {
  if (v === undefined)
    throw new Error(
      `${field} is not set in setting ${COST_SETTINGS_KEY}: an admin must configure it before ingesting from this source`,
    );
  return v;
}
