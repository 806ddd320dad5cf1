// Types and zod schemas of the cost domain: raw GPU samples, hourly rollups, dashboard queries and
// recommendation state changes. Pure: shared by the ingestion job, the API and the browser.
import { z } from "zod";
import { cloudProviders } from "@/lib/pricing/lookup-price";
import { labelPresets } from "@/lib/costs/sources/label-mapping";
import { modelServers } from "@/lib/costs/sources/model-servers";

/**
 * unknown: the node carries none of the convention's capacity labels (kube-state-metrics' allow-list left it out):
 * priced on demand, the dearer of the two, and never advised onto spot or into a commitment.
 */
export const capacityTypes = ["on_demand", "spot", "unknown"] as const;
export type CapacityType = (typeof capacityTypes)[number];

/**
 * Team name for GPUs on a paid node that no pod requested (OpenCost's idle allocation). Their samples carry
 * requestedGpus 1 so the capacity's cost shows up; consolidation advice reads them.
 */
export const UNALLOCATED_TEAM = "unallocated";

/** One GPU observed over `hours`: 1 for a whole hour, less when it served this pod for part of the hour (a pod change or a short-lived node; lib/costs/sources/prometheus-join.ts). What DCGM + kube-state-metrics say about it. */
export interface GpuSample {
  /** Start of the observation, epoch milliseconds. */
  ts: number;
  hours: number;
  gpuId: string;
  node: string;
  team: string;
  workloadType: string;
  nodePool: string;
  instanceType: string;
  capacityType: CapacityType;
  /** GPUs requested by the pod holding this GPU (0 or 1 per physical GPU; fractional for time-sliced GPUs). */
  requestedGpus: number;
  /** DCGM_FI_DEV_GPU_UTIL (or GR_ENGINE_ACTIVE × 100), 0–100. */
  utilization: number;
  /** DCGM_FI_DEV_FB_USED, MiB. */
  memoryUsedMiB: number;
  /** DCGM's `modelName` ("NVIDIA A10G"): prices a GPU whose node has no known instance type. */
  gpuModel?: string;
  /** Where the join found team, node and capacity type: the data-health figures (lib/costs/sources/data-health.ts). */
  provenance?: SampleProvenance;
}

export interface SampleProvenance {
  /** label: the team label; namespace: no team label, the namespace stands in; unallocated: no pod requested it. */
  teamFrom: "label" | "namespace" | "unallocated";
  /** hostname: DCGM's Hostname is a node; pod: the holding pod's node; exporter: the exporter pod's node. */
  nodeFrom: "hostname" | "pod" | "exporter" | "unknown";
  /** The series carried `exported_pod`/`exported_namespace` (scraped without honorLabels). */
  exportedLabels: boolean;
  /** kube-state-metrics' pod series carried `exported_pod`/`exported_namespace` (its ServiceMonitor lacks honorLabels). */
  ksmExportedLabels?: boolean;
  capacityKnown: boolean;
}

/** One row of GpuUsageHourly (hour as epoch ms so pure code needs no Date arithmetic). */
export interface UsageRow {
  hour: number;
  source: string;
  team: string;
  workloadType: string;
  nodePool: string;
  instanceType: string;
  capacityType: CapacityType;
  gpuHoursAllocated: number;
  gpuHoursUsed: number;
  utilizationAvg: number;
  utilizationP50: number;
  utilizationP90: number;
  memoryUsedMiBAvg: number;
  memoryUsedMiBMax: number;
  idleGpuHours: number;
  gpuHoursUnder10: number;
  gpuHoursUnder50: number;
  sampleCount: number;
  costUsd: number;
  idleCostUsd: number;
}

export const groupBys = ["team", "workloadType", "nodePool"] as const;
export type GroupBy = (typeof groupBys)[number];
export const rangeDays = [7, 30, 90] as const;

export const costQuerySchema = z.object({
  days: z.coerce
    .number()
    .int()
    .refine((d) => (rangeDays as readonly number[]).includes(d), { message: "days must be 7, 30 or 90" })
    .default(30),
  groupBy: z.enum(groupBys, { message: `groupBy must be one of ${groupBys.join(", ")}` }).default("team"),
  team: z.string().min(1).max(63).optional(),
});
export type CostQuery = z.output<typeof costQuerySchema>;

/** The CSV export's query: the dashboard's, and shareIdle to share each pool's idle cost among its teams (by team only). */
export const costExportQuerySchema = costQuerySchema
  .extend({
    shareIdle: z
      .enum(["true", "false"], { message: "shareIdle must be true or false" })
      .default("false")
      .transform((v) => v === "true"),
  })
  .refine((q) => !q.shareIdle || q.groupBy === "team", {
    path: ["shareIdle"],
    message: "shareIdle=true needs groupBy=team: idle cost is shared among teams",
  });
export type CostExportQuery = z.output<typeof costExportQuerySchema>;

/** The monthly report's query: a calendar month (the current one by default) and Markdown or CSV. */
export const monthlyReportQuerySchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "month must look like 2026-11" })
    .optional(),
  format: z.enum(["md", "csv"], { message: "format must be md or csv" }).default("md"),
});
export type MonthlyReportQuery = z.output<typeof monthlyReportQuerySchema>;

const recommendationStates = ["open", "accepted", "snoozed", "dismissed"] as const;
/** Which recommendations to list: a comma-separated list of states, every state when absent. */
export const recommendationListQuerySchema = z.object({
  state: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",") : undefined))
    .pipe(
      z
        .array(
          z.enum(recommendationStates, {
            message: `state must be a comma-separated list of ${recommendationStates.join(", ")}`,
          }),
        )
        .optional(),
    ),
});

/** A recommendation's id in a route's path. */
export const recommendationIdParams = z.object({ id: z.string().min(1).max(64) });

export const snoozeDays = [7, 30, 90] as const;
export const recommendationActionSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("accept") }),
  z.object({ action: z.literal("reopen") }),
  z.object({
    action: z.literal("snooze"),
    days: z
      .number()
      .int()
      .refine((d) => (snoozeDays as readonly number[]).includes(d), { message: "days must be 7, 30 or 90" }),
  }),
  z.object({
    action: z.literal("dismiss"),
    reason: z
      .string()
      .trim()
      .min(3, { message: "reason is required to dismiss: say why this advice does not apply" })
      .max(500),
  }),
]);
export type RecommendationAction = z.output<typeof recommendationActionSchema>;

export const costSources = ["demo", "prometheus", "aws-cost-explorer"] as const;
export type CostSource = (typeof costSources)[number];

/** A Kubernetes label key (`team`, `example.com/owner`); kube-state-metrics turns it into `label_…`. */
const labelKey = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^([a-zA-Z0-9.-]+\/)?[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$/, {
    message: "must be a Kubernetes label key like team or example.com/team-name",
  });

/** Setting "costs.source": what the ingestion job reads. Admins edit it; the URL is checked again at use. */
export const costSettingsSchema = z.object({
  sources: z.array(z.enum(costSources)).min(1).default(["demo"]),
  cloud: z.enum(cloudProviders).default("aws"),
  prometheusUrl: z
    .string()
    .url({ message: "prometheusUrl must be an http(s) URL like http://prometheus.monitoring.svc:9090" })
    .optional(),
  awsRegion: z
    .string()
    .regex(/^[a-z0-9-]{2,32}$/)
    .default("us-east-1"),
  /** The region the GPU cluster runs in: it decides the price (the offline table is one region's). */
  clusterRegion: z
    .string()
    .regex(/^[a-z0-9-]{2,32}$/, { message: "clusterRegion must be a region code like us-west-2" })
    .optional(),
  /** Read on-demand prices from the cloud's price API (AWS Price List) once a day, the table as the fallback. */
  livePrices: z.boolean().default(false),
  /**
   * The Azure Retail Prices API or Cloud Billing Catalog base URL instead of the provider's own
   * (https://prices.azure.com/api/retail/prices, https://cloudbilling.googleapis.com); fetched under the URL policy.
   */
  priceApiEndpoint: z
    .string()
    .url({ message: "priceApiEndpoint must be an http(s) URL like https://prices.azure.com/api/retail/prices" })
    .optional(),
  /** A Cost Explorer-compatible endpoint instead of AWS's own; fetched under the URL policy like every URL. */
  awsEndpoint: z.string().url().optional(),
  /** The team and workload-type keys: Cost Explorer's tags and the pods' Kubernetes labels. */
  teamTagKey: z.string().min(1).max(128).default("team"),
  workloadTagKey: z.string().min(1).max(128).default("workload-type"),
  /** The cluster's node-label convention (lib/costs/sources/label-mapping.ts); "auto" reads every preset's labels. */
  labelPreset: z
    .enum(labelPresets, { message: `labelPreset must be one of ${labelPresets.join(", ")}` })
    .default("auto"),
  /** Node label keys that override the preset's: pool, capacity type (spot when `spot` or `true`), instance type. */
  nodePoolLabelKey: labelKey.optional(),
  capacityTypeLabelKey: labelKey.optional(),
  instanceTypeLabelKey: labelKey.optional(),
  /** Which model server's metrics (request counter, queue gauge) Prometheus holds: vLLM, Triton, or none. */
  modelServer: z
    .enum(modelServers, { message: `modelServer must be one of ${modelServers.join(", ")}` })
    .default("none"),
  /** Data older than this many hours is shown as stale. */
  staleAfterHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(3),
});
export type CostSettings = z.output<typeof costSettingsSchema>;

/**
 * The cost setting as read back from the database. Keys it no longer has (such as the Prometheus allow-list, now
 * the portal-wide URL allow-list) are dropped rather than refused.
 * @alias
 */
export const storedCostSettingsSchema = costSettingsSchema;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

// Responses of the cost routes (route() holds each handler to its schema; the OpenAPI document and lib/client read them).

const range = z.object({ start: z.string(), end: z.string(), days: z.number().int() });
const dailySeries = {
  keys: z.array(z.string()),
  /** One point per day: `day` and each key's cost in USD. */
  points: z.array(z.object({ day: z.string() }).catchall(z.union([z.number(), z.string()]))),
  totalUsd: z.number(),
  idleUsd: z.number(),
};
export const ingestionStatusSchema = z.object({
  source: z.string(),
  lastSuccessAt: z.string().nullable(),
  dataUntil: z.string().nullable(),
  dataAgeHours: z.number().nullable(),
  stale: z.boolean(),
  lastError: z.string().nullable(),
});
const budgetStatus = z.object({
  budgetUsd: z.number().nullable(),
  forecastUsd: z.number(),
  overByUsd: z.number(),
  alert: z.boolean(),
});
export const costSummaryResponse = z.object({
  source: z.string(),
  demo: z.boolean(),
  range,
  groupBy: z.enum(groupBys),
  daily: z.object(dailySeries),
  totals: z.object({
    costUsd: z.number(),
    idleCostUsd: z.number(),
    gpuHours: z.number(),
    utilizationAvg: z.number(),
    idleShare: z.number(),
    underutilizedShare: z.number(),
  }),
  utilization: z.array(
    z.object({
      group: z.string(),
      utilizationAvg: z.number(),
      p50: z.number(),
      p90: z.number(),
      idleShare: z.number(),
      underutilizedShare: z.number(),
      costUsd: z.number(),
      idleCostUsd: z.number(),
    }),
  ),
  heatMap: z.array(z.array(z.number().nullable())),
  spot: z.object({
    spotGpuHours: z.number(),
    onDemandGpuHours: z.number(),
    spotShare: z.number(),
    savingsUsd: z.number(),
  }),
  monthToDate: z.object({
    budget: budgetStatus,
    teamBudgets: z.array(budgetStatus.extend({ team: z.string() })),
    month: z.string(),
    monthToDateUsd: z.number(),
    linearUsd: z.number(),
    seasonalUsd: z.number(),
    daysInMonth: z.number().int(),
    daysElapsed: z.number(),
    dataUntil: z.string(),
  }),
  ingestion: z.array(ingestionStatusSchema),
  billed: z
    .object({ totalUsd: z.number(), byService: z.array(z.object({ service: z.string(), amountUsd: z.number() })) })
    .nullable(),
});
/** Everything the costs dashboard shows: what the summary route answers and the page renders. */
export type CostSummary = z.output<typeof costSummaryResponse>;
export const costTimeseriesResponse = z.object({ source: z.string(), groupBy: z.enum(groupBys), ...dailySeries });
export const costHeatmapResponse = z.object({
  source: z.string(),
  range,
  rows: z.string(),
  columns: z.string(),
  utilizationPercent: z.array(z.array(z.number().nullable())),
});
export const teamBudgetListResponse = z.object({
  items: z.array(
    z.object({
      slug: z.string(),
      name: z.string(),
      monthlyBudgetUsd: z.number().nullable(),
      demo: z.boolean(),
      appliesToData: z.boolean(),
    }),
  ),
});
export const teamBudgetResponse = z.object({
  slug: z.string(),
  name: z.string(),
  monthlyBudgetUsd: z.number().nullable(),
});
export const recommendationSchema = z.object({
  id: z.string(),
  title: z.string(),
  team: z.string().nullable(),
  state: z.enum(["open", "accepted", "snoozed", "dismissed"]),
  category: z.string(),
  resources: z.unknown(),
  currentMonthlyUsd: z.number(),
  projectedSavingsUsd: z.number(),
  confidence: z.string(),
  effort: z.string(),
  rationale: z.string(),
  actionItems: z.unknown(),
  requestDraft: z.unknown(),
  requestId: z.string().nullable(),
  snoozedUntil: z.date().nullable(),
  dismissReason: z.string().nullable(),
  stateChangedAt: z.date().nullable(),
  computedAt: z.date(),
  createdAt: z.date(),
});
export const recommendationListResponse = z.object({
  items: z.array(
    recommendationSchema.extend({
      request: z.object({ id: z.string(), number: z.number().int(), status: z.string() }).nullable(),
    }),
  ),
  totalProjectedSavingsUsd: z.number(),
  sumOfIndividualSavingsUsd: z.number(),
  overlappingWorkloads: z.array(z.string()),
});
export const costSettingsResponse = z.object({
  settings: costSettingsSchema,
  ingestion: z.array(ingestionStatusSchema),
});
export const ingestQueuedResponse = z.object({ jobId: z.string().nullable() });

/** POST /api/v1/costs/ingest: one source now, or all configured ones. */
export const queueIngestionSchema = z.object({ source: z.enum(costSources).optional() }).default({});

/** PUT /api/v1/costs/budgets: a team's monthly GPU budget; null removes it. */
export const teamBudgetSchema = z.object({
  team: z.string().min(1).max(63),
  monthlyBudgetUsd: z
    .number()
    .min(0, { message: "monthlyBudgetUsd must be 0 or more (null removes the budget)" })
    .max(1e11)
    .nullable(),
});
/** A download: the monthly report (Markdown or CSV) or the daily cost table (CSV). */
export const costDownloadResponse = z.string();
