// Advice that changes how capacity is bought or scheduled: spot, reserved capacity, scheduled scaling.
import { priceTable } from "@/lib/pricing/lookup-price";
import { percentile } from "@/lib/costs/rollups/allocation";
import { gpuInstance, hoursPerMonth } from "@/lib/pricing/gpu-rates";
import {
  ceilTolerant,
  fingerprintOf,
  pricesOf,
  resourceOf,
  round2,
  teamLabel,
  usd,
  type ComputedRecommendation,
  type RecommendationContext,
  type Workload,
} from "./recommendation-types";
import { nodesFor } from "./recommend-waste";
import { planDraft } from "./request-draft";
import { HOUR_MS, UNALLOCATED_TEAM } from "@/lib/costs/schema";

const FAULT_TOLERANT = new Set(["training", "batch"]);

/** On-demand training and batch GPUs priced at the spot rate of the same instance. */
export function spotRecommendations(workloads: Workload[], ctx: RecommendationContext): ComputedRecommendation[] {
  const hpm = hoursPerMonth(ctx.cloud);
  const prices = pricesOf(ctx);
  const out: ComputedRecommendation[] = [];
  for (const w of workloads) {
    // Unknown capacity may already be spot: only capacity known to be on demand is advised onto spot.
    if (!FAULT_TOLERANT.has(w.workloadType) || w.capacityType !== "on_demand") continue;
    const inst = gpuInstance(ctx.cloud, w.instanceType);
    if (!inst || inst.spotHourly === null) continue;
    const od = prices.rate(w.instanceType, "on_demand");
    const spot = prices.rate(w.instanceType, "spot");
    const gpuHoursMonthly = (w.gpuHoursAllocated / w.spanHours) * hpm;
    const monthly = (w.costUsd / w.spanHours) * hpm;
    // Capped for rows priced below the table (another cloud's prices, say): it never saves more than is paid.
    const savings = Math.min(monthly, gpuHoursMonthly * (od - spot));
    if (savings <= 0) continue;
    const gpus = w.gpuHoursAllocated / w.spanHours;
    out.push({
      fingerprint: fingerprintOf("spot", [w.key]),
      category: "spot",
      title: `Run ${teamLabel(ctx, w.team)} ${w.workloadType} in ${w.nodePool} on spot ${w.instanceType}`,
      team: w.team,
      resources: [resourceOf(w)],
      currentMonthlyUsd: round2(monthly),
      projectedSavingsUsd: round2(savings),
      confidence: "medium",
      effort: "medium",
      rationale: `${gpuHoursMonthly.toFixed(0)} GPU-hours a month at ${usd(od)} on demand against ${usd(spot)} spot per GPU-hour (${prices.labelOf(w.instanceType)}); spot can be interrupted, so the work must checkpoint.`,
      actionItems: [
        "Checkpoint at least every 30 minutes and resume from the last checkpoint",
        `Create a spot node pool for ${w.instanceType} with fallback instance types`,
        "Handle the two-minute interruption notice (Karpenter interruption queue)",
      ],
      requestDraft: planDraft({
        cloud: ctx.cloud,
        workloadType: w.workloadType,
        pool: {
          name: `${w.nodePool}-spot`,
          instanceType: w.instanceType,
          minNodes: 0,
          maxNodes: nodesFor(ctx, w.instanceType, gpus),
          capacityType: "spot",
        },
      }),
    });
  }
  return out;
}

/** Commit to the on-demand GPUs that never go away: the 10th percentile of the hourly GPUs in use. */
export function reservedCapacityRecommendations(
  workloads: Workload[],
  ctx: RecommendationContext,
): ComputedRecommendation[] {
  const table = priceTable(ctx.cloud);
  if (table.commitmentDiscount1yr <= 0) return [];
  const windowStart = ctx.now - (ctx.windowDays ?? 30) * 24 * HOUR_MS;
  const target = ctx.targetUtilization ?? 0.8;
  const byType = new Map<string, Workload[]>();
  // Fault-tolerant work is advised onto spot and unallocated GPUs onto fewer nodes: committing to them would double-count.
  // (The caller leaves out idle workloads and those right-sizing moves to another instance type for the same reason.)
  const committable = workloads.filter(
    (w) => w.capacityType === "on_demand" && !FAULT_TOLERANT.has(w.workloadType) && w.team !== UNALLOCATED_TEAM,
  );
  for (const w of committable) byType.set(w.instanceType, [...(byType.get(w.instanceType) ?? []), w]);
  const out: ComputedRecommendation[] = [];
  for (const [instanceType, members] of byType) {
    const inst = gpuInstance(ctx.cloud, instanceType);
    const head = members[0];
    if (!inst || !head) continue;
    const hourly = new Map<number, number>();
    let first = Infinity;
    // GPUs in use at the target utilization, never more than held: scheduled scaling would release the rest.
    for (const w of members)
      for (const r of w.rows) {
        const inUse = Math.min(ceilTolerant(r.gpuHoursAllocated), ceilTolerant(r.gpuHoursUsed / target));
        hourly.set(r.hour, (hourly.get(r.hour) ?? 0) + inUse);
        first = Math.min(first, r.hour);
      }
    const start = Math.max(windowStart, first);
    const hours = Math.floor((Math.floor(ctx.now / HOUR_MS) * HOUR_MS - start) / HOUR_MS);
    if (hours < 14 * 24) continue; // two weeks at least before advising a one-year commitment
    const series: number[] = [];
    for (let i = 0; i < hours; i++) series.push(hourly.get(start + i * HOUR_MS) ?? 0);
    const baseGpus = percentile(series, 10);
    const nodes = Math.floor(baseGpus / inst.gpuCount + 1e-9);
    if (nodes < 1) continue;
    const nodeHourly = pricesOf(ctx).rate(instanceType, "on_demand") * inst.gpuCount;
    const current = nodes * nodeHourly * table.hoursPerMonth;
    const savings = current * table.commitmentDiscount1yr;
    out.push({
      fingerprint: fingerprintOf("reserved-capacity", [instanceType]),
      category: "reserved-capacity",
      title: `Commit to ${nodes} × ${instanceType} (1-year savings plan)`,
      team: null,
      resources: members.map(resourceOf),
      currentMonthlyUsd: round2(current),
      projectedSavingsUsd: round2(savings),
      confidence: hours >= 28 * 24 ? "high" : "medium",
      effort: "low",
      rationale: `In ${hours} hours the on-demand ${instanceType} fleet used at least ${baseGpus.toFixed(1)} GPUs (at ${(target * 100).toFixed(0)}% target utilization) in 90% of hours, i.e. ${nodes} whole node(s); ${table.commitmentNote} (${(table.commitmentDiscount1yr * 100).toFixed(0)}%).`,
      actionItems: [
        `Buy a 1-year commitment covering ${nodes} × ${instanceType} (${usd(nodeHourly * nodes)}/hour on demand)`,
        `Keep at least ${nodes} node(s) in the pool so the commitment is used`,
        "Review coverage and utilization of the commitment monthly",
      ],
      requestDraft: planDraft({
        cloud: ctx.cloud,
        workloadType: head.workloadType,
        pool: {
          name: head.nodePool,
          instanceType,
          minNodes: nodes,
          maxNodes: nodes + 2,
          capacityType: "on_demand",
        },
      }),
    });
  }
  return out;
}

/**
 * Daily/weekly patterns: per hour of the week, GPUs needed = p90 of the GPU-hours used in the hours the workload ran,
 * at the target utilization. The savings are the GPUs held above that need in the hours it actually ran, per hour of
 * the week divided by how often that hour occurs in the span: an hour with no rows cost nothing and saves nothing.
 */
export function scheduledScalingRecommendations(
  workloads: Workload[],
  ctx: RecommendationContext,
): ComputedRecommendation[] {
  const target = ctx.targetUtilization ?? 0.8;
  const hpm = hoursPerMonth(ctx.cloud);
  const out: ComputedRecommendation[] = [];
  for (const w of workloads) {
    if (w.team === UNALLOCATED_TEAM || w.spanHours < 14 * 24) continue;
    const sizing = w.workloadType === "inference" ? ctx.inferenceSizing?.get(`${w.team}|${w.nodePool}`) : undefined;
    const { needed, held, minNeed, maxNeed, busiest } = withInferenceSizing(hourOfWeekNeeds(w, target), sizing);
    // No real pattern in the hours as sized: a flat surplus is right-sizing or idle, not scheduling.
    if (busiest < 2 * minNeed) continue;
    const occurrences = hourOfWeekOccurrences(w);
    // GPU-hours a typical week saves, per hour of the week: the title names when they fall.
    const savedByHour = new Array<number>(168).fill(0);
    // hourOfWeek is 0–167, within every 168-slot array here; a row's hour occurs at least once in the span.
    for (const r of w.rows) {
      const h = hourOfWeek(r.hour);
      savedByHour[h] = savedByHour[h]! + Math.max(0, r.gpuHoursAllocated - needed[h]!) / occurrences[h]!;
    }
    const savedPerWeek = savedByHour.reduce((s, x) => s + x, 0);
    const rate = pricesOf(ctx).rate(w.instanceType, w.capacityType);
    const monthly = (w.costUsd / w.spanHours) * hpm;
    // A typical week's surplus can exceed the span's average cost by a little when the span is not whole weeks, or by
    // more when the rows were priced below the table rate: never promise more than the workload costs.
    const savings = Math.min(monthly, savedPerWeek * rate * (hpm / 168));
    if (savings < 0.1 * monthly) continue;
    const offHours = needed.filter((n) => n > 0 && n <= minNeed).length;
    const when = savingWindow(savedByHour);
    // What it holds is the "from" of the advice: a title naming only the needs ("3 → 1") hides that it holds 8. The
    // inference table's peak may exceed what it held on average ("needs 3–25 GPUs, holds 21"), so no "of its".
    const heldLeast = Math.round(Math.min(...held));
    const heldMost = Math.round(Math.max(...held));
    const heldRange = heldLeast === heldMost ? String(heldMost) : `${heldLeast}–${heldMost}`;
    out.push({
      fingerprint: fingerprintOf("scheduled-scaling", [w.key]),
      category: "scheduled-scaling",
      title: `Scale ${teamLabel(ctx, w.team)} ${w.workloadType} (${w.nodePool}) down ${when.label}: needs ${minNeed}–${maxNeed} GPUs, holds ${heldMost}`,
      team: w.team,
      resources: [resourceOf(w)],
      currentMonthlyUsd: round2(monthly),
      projectedSavingsUsd: round2(savings),
      confidence: w.spanHours >= 28 * 24 ? "high" : "medium",
      effort: "medium",
      rationale: `${sizing ? `Sized as the inference scaling table (the week's peak ${maxNeed} and lowest hour ${minNeed}), a` : "A"}t p90 of each hour of the week and ${(target * 100).toFixed(0)}% target utilization the workload needs ${minNeed}–${maxNeed} GPUs but holds ${heldRange} when it runs; ${offHours} of 168 weekly hours need only ${minNeed}. Releasing the surplus in the ${when.hours} hours of the week it falls in (${when.weekendShare >= 0.5 ? "mostly at weekends" : "mostly on weekdays"}) saves ${savedPerWeek.toFixed(0)} GPU-hours a week.`,
      actionItems: [
        "Add a KEDA cron trigger (or scheduled HPA minReplicas) following the hour-of-week profile",
        `Keep ${minNeed} replica(s) off-hours and ${maxNeed} at peak`,
        "Let the node pool scale down empty nodes",
      ],
      requestDraft: planDraft({
        cloud: ctx.cloud,
        workloadType: w.workloadType,
        pool: {
          name: w.nodePool,
          instanceType: w.instanceType,
          minNodes: nodesFor(ctx, w.instanceType, minNeed),
          maxNodes: nodesFor(ctx, w.instanceType, maxNeed),
          capacityType: w.capacityType,
        },
        replicas: { min: minNeed, max: maxNeed },
      }),
    });
  }
  return out;
}

/**
 * An inference workload's needs sized as the inference table sizes it: never below the lowest hour of its week or
 * above the week's peak. The card keeps the table's peak (the replicas to hold at the busiest hour) but names as its
 * low the lowest sized hourly need: a table floor no hour reaches would promise off-hours that do not exist.
 * `busiest` is the highest sized hourly need, which decides whether there is a pattern to schedule at all.
 */
function withInferenceSizing<T extends { needed: number[]; minNeed: number; maxNeed: number }>(
  needs: T,
  sizing: { peakGpus: number; floorGpus: number } | undefined,
): T & { busiest: number } {
  if (!sizing) return { ...needs, busiest: needs.maxNeed };
  const floor = Math.max(1, Math.min(sizing.floorGpus, sizing.peakGpus));
  const peak = Math.max(floor, sizing.peakGpus);
  const needed = needs.needed.map((n) => (n > 0 ? Math.min(peak, Math.max(floor, n)) : 0));
  const running = needed.filter((n) => n > 0);
  return {
    ...needs,
    needed,
    minNeed: running.length ? Math.min(...running) : floor,
    maxNeed: peak,
    busiest: running.length ? Math.max(...running) : peak,
  };
}

/**
 * When a week's saving falls: "at weekends" only when every saved GPU-hour is on a Saturday or Sunday, "off-hours"
 * when none is, else both; a title must not promise a weekend change for a saving made every night.
 */
export function savingWindow(savedByHour: readonly number[]): { label: string; hours: number; weekendShare: number } {
  const total = savedByHour.reduce((s, x) => s + x, 0);
  const weekend = savedByHour.reduce(
    (s, x, h) => s + (Math.floor(h / 24) === 0 || Math.floor(h / 24) === 6 ? x : 0),
    0,
  );
  const weekendShare = total > 0 ? weekend / total : 0;
  const label =
    weekendShare >= 0.999 ? "at weekends" : weekendShare <= 0.001 ? "off-hours" : "off-hours and at weekends";
  return { label, hours: savedByHour.filter((x) => x > 1e-9).length, weekendShare };
}

/** How often each hour of the week occurs from the workload's first row to its last. */
function hourOfWeekOccurrences(w: Workload): number[] {
  const counts = new Array<number>(168).fill(0);
  const first = w.rows[0];
  if (!first) return counts;
  for (let i = 0; i < w.spanHours; i++) {
    const h = hourOfWeek(first.hour + i * HOUR_MS);
    counts[h] = counts[h]! + 1; // 0–167
  }
  return counts;
}

function hourOfWeek(hour: number): number {
  const d = new Date(hour);
  return d.getUTCDay() * 24 + d.getUTCHours();
}

/**
 * GPUs needed per hour of the week (0 where the workload never ran) and the average it held in the hours that ran.
 * The need never exceeds the most it held in that hour: training runs hotter than the serving target and that is fine.
 */
function hourOfWeekNeeds(
  w: Workload,
  target: number,
): { needed: number[]; held: number[]; minNeed: number; maxNeed: number } {
  const buckets = Array.from({ length: 168 }, () => ({ allocated: [] as number[], used: [] as number[] }));
  for (const r of w.rows) {
    const b = buckets[hourOfWeek(r.hour)]!; // 168 buckets, hourOfWeek is 0–167
    b.allocated.push(r.gpuHoursAllocated);
    b.used.push(r.gpuHoursUsed);
  }
  const ran = buckets.filter((b) => b.allocated.length > 0);
  const needed = buckets.map((b) =>
    b.allocated.length === 0
      ? 0
      : Math.min(ceilTolerant(Math.max(...b.allocated)), Math.max(1, ceilTolerant(percentile(b.used, 90) / target))),
  );
  const ranNeeds = needed.filter((_, i) => (buckets[i]?.allocated.length ?? 0) > 0);
  return {
    needed,
    held: ran.map((b) => b.allocated.reduce((s, x) => s + x, 0) / b.allocated.length),
    minNeed: Math.min(...ranNeeds),
    maxNeed: Math.max(...ranNeeds),
  };
}
