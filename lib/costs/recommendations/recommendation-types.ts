// What a recommendation is, how usage rows are grouped into workloads, and the helpers every rule shares.
import { priceTable, type CloudProvider } from "@/lib/pricing/lookup-price";
import type { PlanInputDraft } from "@/lib/plans/schema";
import { priceOf } from "@/lib/pricing/price-list";
import { liveGpuRate, livePriceList, type LivePrice } from "@/lib/pricing/live-prices";
import { fnv1a } from "@/lib/costs/prng";
import type { GpuRate } from "@/lib/pricing/sample-prices";
import { HOUR_MS, type CapacityType, type UsageRow } from "@/lib/costs/schema";

export const recommendationCategories = [
  "idle",
  "spot",
  "right-sizing",
  "reserved-capacity",
  "scheduled-scaling",
  "consolidation",
] as const;
export type RecommendationCategory = (typeof recommendationCategories)[number];
export type Confidence = "high" | "medium" | "low";
export type Effort = "low" | "medium" | "high";

export interface AffectedResource {
  team: string;
  workloadType: string;
  nodePool: string;
  instanceType: string;
  capacityType: CapacityType;
  /** Average GPUs allocated over the analysed window. */
  gpus: number;
}

export interface ComputedRecommendation {
  fingerprint: string;
  category: RecommendationCategory;
  title: string;
  /** Owning team, or null for fleet-wide advice (reserved capacity, consolidation of a shared pool). */
  team: string | null;
  resources: AffectedResource[];
  currentMonthlyUsd: number;
  projectedSavingsUsd: number;
  confidence: Confidence;
  effort: Effort;
  /** The numbers behind the advice, in words, so a reader can check them. */
  rationale: string;
  actionItems: string[];
  requestDraft: PlanInputDraft | null;
}

export interface RecommendationContext {
  rows: readonly UsageRow[];
  now: number;
  cloud: CloudProvider;
  /** Days of history analysed (default 30). */
  windowDays?: number;
  /** "Abandoned" means under 5% used for this many days (default 7). */
  idleDays?: number;
  /** GPU utilization a scaled workload should run at (default 0.8, the plan engine's default target). */
  targetUtilization?: number;
  /**
   * The inference table's sizing of each inference workload by "team|nodePool" (lib/costs/weekly-scaling.ts): the
   * week's peak and its lowest hour, in GPUs. Scheduled scaling of inference sizes with them, so the card and the
   * table name the same counts.
   */
  inferenceSizing?: ReadonlyMap<string, { peakGpus: number; floorGpus: number }>;
  /** The live prices the costs were charged at (the price API's cache of `region`); none: the offline table. */
  livePrices?: { region: string; prices: ReadonlyMap<string, LivePrice> };
  /** Team slug to display name: titles and rationales are read by people, who know "Natural language", not "nlp". */
  teamNames?: ReadonlyMap<string, string>;
}

/** The name people know a team by; a slug with no registered team reads as itself. */
export function teamLabel(ctx: Pick<RecommendationContext, "teamNames">, slug: string): string {
  return ctx.teamNames?.get(slug) ?? slug;
}

/**
 * Per-GPU hourly rates and where each came from, through the lookup the costs are priced with
 * (lib/costs/live-prices.ts `liveGpuRate`, lib/pricing/price-list.ts `priceOf`): a card's saving and rationale quote
 * the price the costs page charges.
 */
export function pricesOf(ctx: RecommendationContext): { rate: GpuRate; labelOf: (instanceType: string) => string } {
  const live = ctx.livePrices?.prices ?? new Map<string, LivePrice>();
  const list = livePriceList(ctx.cloud, ctx.livePrices?.region ?? priceTable(ctx.cloud).region, live);
  return {
    rate: liveGpuRate(ctx.cloud, live),
    labelOf: (instanceType) => priceOf(list, ctx.cloud, undefined, instanceType)?.origin.label ?? "no price",
  };
}

export interface Workload {
  key: string;
  team: string;
  workloadType: string;
  nodePool: string;
  instanceType: string;
  capacityType: CapacityType;
  rows: UsageRow[];
  /** Hours between the first and the last row, inclusive. */
  spanHours: number;
  costUsd: number;
  gpuHoursAllocated: number;
}

export function workloadKey(
  r: Pick<UsageRow, "team" | "workloadType" | "nodePool" | "instanceType" | "capacityType">,
): string {
  return `${r.team}|${r.workloadType}|${r.nodePool}|${r.instanceType}|${r.capacityType}`;
}

export function groupWorkloads(rows: readonly UsageRow[]): Workload[] {
  const map = new Map<string, Workload>();
  for (const r of rows) {
    const key = workloadKey(r);
    let w = map.get(key);
    if (!w) {
      w = {
        key,
        team: r.team,
        workloadType: r.workloadType,
        nodePool: r.nodePool,
        instanceType: r.instanceType,
        capacityType: r.capacityType,
        rows: [],
        spanHours: 0,
        costUsd: 0,
        gpuHoursAllocated: 0,
      };
      map.set(key, w);
    }
    w.rows.push(r);
    w.costUsd += r.costUsd;
    w.gpuHoursAllocated += r.gpuHoursAllocated;
  }
  for (const w of map.values()) {
    w.rows.sort((a, b) => a.hour - b.hour);
    const first = w.rows[0];
    const last = w.rows.at(-1);
    if (first && last) w.spanHours = (last.hour - first.hour) / HOUR_MS + 1;
  }
  return [...map.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export function resourceOf(w: Workload): AffectedResource {
  return {
    team: w.team,
    workloadType: w.workloadType,
    nodePool: w.nodePool,
    instanceType: w.instanceType,
    capacityType: w.capacityType,
    gpus: round2(w.gpuHoursAllocated / w.spanHours),
  };
}

export function fingerprintOf(category: RecommendationCategory, parts: readonly string[]): string {
  return `${category}-${fnv1a([category, ...parts].join("|"))}`;
}

export function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** ceil that forgives floating-point dust (8 / 0.8 must be 10, not 11). */
export function ceilTolerant(v: number): number {
  return Math.ceil(v - 1e-9);
}

export function usd(v: number): string {
  return `$${v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
