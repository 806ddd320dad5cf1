// Advice that removes waste: idle/abandoned GPUs, oversized GPUs, and underfilled multi-GPU nodes.
import { listInstanceTypes } from "@/lib/pricing/lookup-price";
import { percentile } from "@/lib/costs/rollups/allocation";
import { gpuInstance, gpuSpecs, hoursPerMonth } from "@/lib/pricing/gpu-rates";
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
import { planDraft } from "./request-draft";
import { HOUR_MS, UNALLOCATED_TEAM } from "@/lib/costs/schema";

const IDLE_UTILIZATION = 5;
const RIGHT_SIZE_MAX_P90 = 50;
const RIGHT_SIZE_TARGET_P90 = 80;
const MEMORY_HEADROOM = 0.9;

/** Allocated for the last N days and never above 5% (p90 of every hour): abandoned, release it. */
export function idleRecommendations(workloads: Workload[], ctx: RecommendationContext): ComputedRecommendation[] {
  const days = ctx.idleDays ?? 7;
  const since = ctx.now - days * 24 * HOUR_MS;
  const hpm = hoursPerMonth(ctx.cloud);
  const out: ComputedRecommendation[] = [];
  for (const w of workloads) {
    if (w.team === UNALLOCATED_TEAM) continue;
    const recent = w.rows.filter((r) => r.hour >= since && r.gpuHoursAllocated > 0);
    if (recent.length < days * 24 * 0.9) continue; // not enough history to call it abandoned
    if (recent.some((r) => r.utilizationP90 >= IDLE_UTILIZATION)) continue;
    const hours = recent.length;
    const monthly = (recent.reduce((s, r) => s + r.costUsd, 0) / hours) * hpm;
    const gpus = recent.reduce((s, r) => s + r.gpuHoursAllocated, 0) / hours;
    const peakUtil = Math.max(...recent.map((r) => r.utilizationP90));
    out.push({
      fingerprint: fingerprintOf("idle", [w.key]),
      category: "idle",
      title: `Release ${round2(gpus)} idle ${w.instanceType} GPUs of ${teamLabel(ctx, w.team)} (${w.nodePool})`,
      team: w.team,
      resources: [resourceOf(w)],
      currentMonthlyUsd: round2(monthly),
      projectedSavingsUsd: round2(monthly),
      confidence: "high",
      effort: "low",
      rationale: `Allocated for ${days} days with p90 utilization never above ${peakUtil.toFixed(1)}% (threshold ${IDLE_UTILIZATION}%); it costs ${usd(monthly)} a month.`,
      actionItems: [
        `Confirm with ${teamLabel(ctx, w.team)} that the ${w.workloadType} workloads in ${w.nodePool} are no longer needed`,
        "Delete the idle pods or scale their deployments to zero",
        `Let the ${w.nodePool} node pool scale to zero nodes when empty`,
      ],
      requestDraft: planDraft({
        cloud: ctx.cloud,
        workloadType: w.workloadType,
        pool: {
          name: w.nodePool,
          instanceType: w.instanceType,
          minNodes: 0,
          maxNodes: nodesFor(ctx, w.instanceType, gpus),
          capacityType: w.capacityType,
        },
      }),
    });
  }
  return out;
}

/** The cheapest GPU whose memory holds the peak and on which the p90 would stay under 80%. */
export function rightSizingRecommendations(
  workloads: Workload[],
  ctx: RecommendationContext,
): ComputedRecommendation[] {
  const hpm = hoursPerMonth(ctx.cloud);
  const out: ComputedRecommendation[] = [];
  for (const w of workloads) {
    if (w.team === UNALLOCATED_TEAM) continue;
    const current = gpuInstance(ctx.cloud, w.instanceType);
    const currentSpec = current?.gpuType ? gpuSpecs[current.gpuType] : undefined;
    if (!current || !currentSpec) continue;
    const p90 = percentile(
      w.rows.map((r) => r.utilizationP90),
      90,
    );
    if (p90 >= RIGHT_SIZE_MAX_P90) continue;
    const peakMemGiB = Math.max(...w.rows.map((r) => r.memoryUsedMiBMax)) / 1024;
    const currentRate = pricesOf(ctx).rate(w.instanceType, w.capacityType);
    let best: { instanceType: string; rate: number; projectedP90: number; memoryGiB: number } | undefined;
    for (const type of listInstanceTypes(ctx.cloud)) {
      const cand = gpuInstance(ctx.cloud, type);
      const spec = cand?.gpuType ? gpuSpecs[cand.gpuType] : undefined;
      if (!cand || !spec || type === w.instanceType) continue;
      const projectedP90 = (p90 * currentSpec.fp16Tflops) / spec.fp16Tflops;
      if (spec.memoryGiB * MEMORY_HEADROOM < peakMemGiB || projectedP90 > RIGHT_SIZE_TARGET_P90) continue;
      const rate = pricesOf(ctx).rate(type, w.capacityType);
      if (rate < currentRate && (!best || rate < best.rate))
        best = { instanceType: type, rate, projectedP90, memoryGiB: spec.memoryGiB };
    }
    if (!best) continue;
    const gpuHoursMonthly = (w.gpuHoursAllocated / w.spanHours) * hpm;
    const monthly = (w.costUsd / w.spanHours) * hpm;
    // Capped for rows priced below the table (another cloud's prices, say): it never saves more than is paid.
    // Capacity of unknown type may be spot, where the move saves less: promise the smaller of the two savings.
    const perGpuHour =
      w.capacityType === "unknown"
        ? Math.max(
            0,
            Math.min(
              currentRate - best.rate,
              pricesOf(ctx).rate(w.instanceType, "spot") - pricesOf(ctx).rate(best.instanceType, "spot"),
            ),
          )
        : currentRate - best.rate;
    if (perGpuHour <= 0) continue;
    const savings = Math.min(monthly, gpuHoursMonthly * perGpuHour);
    const gpus = w.gpuHoursAllocated / w.spanHours;
    const maxGpus = Math.max(...w.rows.map((r) => r.gpuHoursAllocated));
    out.push({
      fingerprint: fingerprintOf("right-sizing", [w.key, best.instanceType]),
      category: "right-sizing",
      title: `Move ${teamLabel(ctx, w.team)} ${w.workloadType} from ${w.instanceType} to ${best.instanceType}`,
      team: w.team,
      resources: [resourceOf(w)],
      currentMonthlyUsd: round2(monthly),
      projectedSavingsUsd: round2(savings),
      confidence: w.spanHours >= 14 * 24 ? "medium" : "low",
      effort: "medium",
      rationale: `p90 utilization ${p90.toFixed(1)}% and peak GPU memory ${peakMemGiB.toFixed(1)} GiB fit a ${best.memoryGiB} GiB ${best.instanceType} GPU at a projected p90 of ${best.projectedP90.toFixed(1)}%; ${usd(currentRate)}/GPU-hour becomes ${usd(best.rate)}.`,
      actionItems: [
        `Benchmark the ${w.workloadType} workload on one ${best.instanceType} node`,
        `Create a ${best.instanceType} node pool and move ${w.nodePool}'s pods to it`,
        "Compare latency and throughput for a week, then drain the old pool",
      ],
      requestDraft: planDraft({
        cloud: ctx.cloud,
        workloadType: w.workloadType,
        pool: {
          name: `${w.nodePool}-rightsized`,
          instanceType: best.instanceType,
          minNodes: nodesFor(ctx, best.instanceType, gpus),
          maxNodes: nodesFor(ctx, best.instanceType, maxGpus),
          capacityType: w.capacityType,
        },
      }),
    });
  }
  return out;
}

/**
 * Multi-GPU pools paying for more nodes than their requested GPUs need: bin-packing the pods would free whole nodes.
 * What that frees is the pool's unallocated capacity, so the advice names that capacity alone (its own workload in the
 * combined savings); its current cost is the whole pool's, the figure a reader weighs the saving against. The teams
 * whose pods would be moved are named in the rationale.
 */
export function consolidationRecommendations(
  workloads: Workload[],
  ctx: RecommendationContext,
): ComputedRecommendation[] {
  const hpm = hoursPerMonth(ctx.cloud);
  const pools = new Map<string, Workload[]>();
  for (const w of workloads)
    pools.set(`${w.nodePool}|${w.instanceType}|${w.capacityType}`, [
      ...(pools.get(`${w.nodePool}|${w.instanceType}|${w.capacityType}`) ?? []),
      w,
    ]);
  const out: ComputedRecommendation[] = [];
  for (const [key, members] of pools) {
    const first = members[0];
    if (!first) continue;
    const { instanceType, capacityType, nodePool } = first;
    const inst = gpuInstance(ctx.cloud, instanceType);
    const unallocated = members.filter((w) => w.team === UNALLOCATED_TEAM);
    if (!inst || inst.gpuCount < 2 || unallocated.length === 0) continue;
    const { excessNodeHours, nodeHours, runHours, spanHours: hours, maxNeeded } = poolExcess(members, inst.gpuCount);
    const excessWhileRunning = excessNodeHours / runHours;
    if (excessWhileRunning < 1) continue;
    // Hours of the pool's span without rows cost nothing and free nothing: both averages run over the whole span.
    const poolMonthly = (members.reduce((s, w) => s + w.costUsd, 0) / hours) * hpm;
    // Only capacity measured idle is freed: a busy GPU no pod requests is a data problem (see data health), not waste.
    const monthly =
      (unallocated.reduce((s, w) => s + w.rows.reduce((c, r) => c + (isIdle(r) ? r.costUsd : 0), 0), 0) / hours) * hpm;
    if (monthly <= 0) continue;
    const nodeRate = pricesOf(ctx).rate(instanceType, capacityType) * inst.gpuCount;
    // Whole nodes can hold more than the unallocated GPUs when rows cover part of a node: never more than it costs.
    const savings = Math.min(monthly, (excessNodeHours / hours) * nodeRate * hpm);
    const moved = [
      ...new Set(members.filter((w) => w.team !== UNALLOCATED_TEAM).map((w) => teamLabel(ctx, w.team))),
    ].sort();
    out.push({
      fingerprint: fingerprintOf("consolidation", [key]),
      category: "consolidation",
      title: consolidationTitle(nodePool, instanceType, excessWhileRunning, nodeHours / runHours),
      team: null,
      resources: unallocated.map(resourceOf),
      // The pool's cost, as the rationale says: "$16,029 of $16,029 now" read as a saving of everything.
      currentMonthlyUsd: round2(poolMonthly),
      projectedSavingsUsd: round2(savings),
      confidence: "medium",
      effort: "low",
      rationale: `On average ${nodeCount(excessWhileRunning)} more ${inst.gpuCount}-GPU ${wholeish(excessWhileRunning) === 1 ? "node" : "nodes"} ran than the requested GPUs need; each costs ${usd(nodeRate)}/hour. The saving is the unallocated capacity this frees, ${usd(monthly)} a month of the pool's ${usd(poolMonthly)}${moved.length > 0 ? `; pods of ${moved.join(", ")} are moved onto fewer nodes` : ""}.`,
      actionItems: [
        `Set consolidationPolicy WhenEmptyOrUnderutilized on the ${nodePool} Karpenter NodePool`,
        "Add PodDisruptionBudgets so consolidation moves pods safely",
        `Cap ${nodePool} at ${maxNeeded} nodes`,
      ],
      requestDraft: planDraft({
        cloud: ctx.cloud,
        workloadType: members.find((m) => m.team !== UNALLOCATED_TEAM)?.workloadType ?? "training",
        pool: { name: nodePool, instanceType, minNodes: 0, maxNodes: maxNeeded, capacityType },
      }),
    });
  }
  return out;
}

/** A whole number when the average is one to a tenth (nodes are counted whole), else one decimal. */
function wholeish(n: number): number | null {
  const whole = Math.round(n);
  return Math.abs(n - whole) < 0.05 ? whole : null;
}

export function nodeCount(n: number): string {
  return String(wholeish(n) ?? n.toFixed(1));
}

/**
 * "Consolidate training-a100: 1 of its 4 p4d.24xlarge nodes is not needed". Both counts are hourly averages over the
 * hours the pool ran. When either is fractional the title says "on average" and drops the pool's size: "1 of its 5.4
 * nodes" names a pool nobody has.
 */
export function consolidationTitle(nodePool: string, instanceType: string, excess: number, running: number): string {
  const one = wholeish(excess) === 1;
  if (wholeish(excess) !== null && wholeish(running) !== null)
    return `Consolidate ${nodePool}: ${nodeCount(excess)} of its ${nodeCount(running)} ${instanceType} nodes ${one ? "is" : "are"} not needed`;
  return `Consolidate ${nodePool}: on average ${nodeCount(excess)} ${instanceType} ${one ? "node" : "nodes"} more than its pods need`;
}

/**
 * Node-hours the pool ran and those beyond what its requested GPUs need, the hours it ran, its span, and the most
 * nodes needed.
 */
function poolExcess(
  members: readonly Workload[],
  gpusPerNode: number,
): { excessNodeHours: number; nodeHours: number; runHours: number; spanHours: number; maxNeeded: number } {
  const perHour = new Map<number, { capacity: number; requested: number }>();
  for (const w of members) {
    for (const r of w.rows) {
      const h = perHour.get(r.hour) ?? { capacity: 0, requested: 0 };
      h.capacity += r.gpuHoursAllocated;
      if (w.team !== UNALLOCATED_TEAM || !isIdle(r)) h.requested += r.gpuHoursAllocated;
      perHour.set(r.hour, h);
    }
  }
  const hours = [...perHour.keys()];
  const needed = [...perHour.values()].map((h) => ceilTolerant(h.requested / gpusPerNode));
  return {
    nodeHours: [...perHour.values()].reduce((s, h) => s + ceilTolerant(h.capacity / gpusPerNode), 0),
    excessNodeHours: [...perHour.values()].reduce(
      (s, h) => s + ceilTolerant(h.capacity / gpusPerNode) - ceilTolerant(h.requested / gpusPerNode),
      0,
    ),
    runHours: perHour.size,
    spanHours: (Math.max(...hours) - Math.min(...hours)) / HOUR_MS + 1,
    maxNeeded: Math.max(...needed),
  };
}

/** Measured idle: p90 utilization under the idle threshold. */
function isIdle(r: { utilizationP90: number }): boolean {
  return r.utilizationP90 < IDLE_UTILIZATION;
}

export function nodesFor(ctx: RecommendationContext, instanceType: string, gpus: number): number {
  const inst = gpuInstance(ctx.cloud, instanceType);
  return Math.max(1, ceilTolerant(gpus / (inst?.gpuCount ?? 1)));
}
