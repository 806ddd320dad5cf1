// Inference replicas sized for the busiest hour of the last week, not only the latest hour: a service that needs 8
// replicas at the weekday peak is never told to run 1 because the latest hour was at night. The hourly counts are
// the schedule (scheduled scaling's, shown with it). Pure.
import { inferenceScaling, type InferenceScalingRow } from "./custom-metrics";
import { peakThroughputPerReplica, scalingLoadsAt, type InferenceLoadRow } from "@/lib/costs/sources/inference-load";
import type { UsageRow } from "@/lib/costs/schema";

export interface ScheduleStep {
  /** Start of the hour, epoch ms. */
  hour: number;
  replicas: number;
}

export interface WeeklyScalingRow extends InferenceScalingRow {
  /** The most replicas any hour of the week needed, and the first hour that needed them. */
  peakReplicas: number;
  peakHour: number;
  /** Hours of the week (with data) at each recommended count, most replicas first. */
  schedule: { replicas: number; hours: number }[];
}

/**
 * The latest hour's recommendation of each inference workload with the week's peak and schedule, from a week of
 * rollup rows and model-server load ending at `latestHour` (inclusive).
 */
export function weeklyInferenceScaling(
  weekRows: readonly UsageRow[],
  weekLoad: readonly InferenceLoadRow[],
  latestHour: number,
): WeeklyScalingRow[] {
  const rowsByHour = groupByHour(weekRows);
  const loadByHour = groupByHour(weekLoad);
  // A replica's capacity does not change with the hour, the queue does: the week's measured per-replica throughput
  // with each hour's queue and pods.
  const peak = peakThroughputPerReplica(weekLoad);
  const steps = new Map<string, ScheduleStep[]>();
  for (const [hour, rows] of [...rowsByHour].sort((a, b) => a[0] - b[0])) {
    for (const s of inferenceScaling(rows, scalingLoadsAt(loadByHour.get(hour) ?? [], peak))) {
      const k = `${s.team}|${s.nodePool}`;
      const list = steps.get(k) ?? [];
      list.push({ hour, replicas: s.recommendedReplicas });
      steps.set(k, list);
    }
  }
  const latest = inferenceScaling(
    rowsByHour.get(latestHour) ?? [],
    scalingLoadsAt(loadByHour.get(latestHour) ?? [], peak),
  );
  return latest.map((row) => {
    const mine = steps.get(`${row.team}|${row.nodePool}`) ?? [{ hour: latestHour, replicas: row.recommendedReplicas }];
    const peak = mine.reduce((best, s) => (s.replicas > best.replicas ? s : best)); // mine is never empty
    const counts = new Map<number, number>();
    for (const s of mine) counts.set(s.replicas, (counts.get(s.replicas) ?? 0) + 1);
    return {
      ...row,
      peakReplicas: Math.max(peak.replicas, row.recommendedReplicas),
      peakHour: peak.replicas >= row.recommendedReplicas ? peak.hour : latestHour,
      schedule: [...counts].map(([replicas, hours]) => ({ replicas, hours })).sort((a, b) => b.replicas - a.replicas),
    };
  });
}

/**
 * Each inference workload's week in GPUs by "team|nodePool": its peak and its lowest hour (replicas × the GPUs a replica
 * holds), for scheduled-scaling advice to size with the same counts as the table.
 */
export function inferenceSizingOf(
  rows: readonly WeeklyScalingRow[],
): Map<string, { peakGpus: number; floorGpus: number }> {
  const out = new Map<string, { peakGpus: number; floorGpus: number }>();
  for (const r of rows) {
    // Whole GPUs per replica: the latest hour's pods and GPUs need not match (pods starting, GPUs released), so a
    // ratio below one is noise, not GPU sharing.
    const gpusPerReplica =
      r.replicasFrom === "pods" && r.currentReplicas > 0 ? Math.max(1, Math.round(r.gpus / r.currentReplicas)) : 1;
    const inGpus = (replicas: number) => Math.max(1, replicas * gpusPerReplica);
    const floor = Math.min(...r.schedule.map((s) => s.replicas), r.peakReplicas);
    out.set(`${r.team}|${r.nodePool}`, { peakGpus: inGpus(r.peakReplicas), floorGpus: inGpus(floor) });
  }
  return out;
}

function groupByHour<T extends { hour: number }>(rows: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.hour);
    if (list) list.push(r);
    else out.set(r.hour, [r]);
  }
  return out;
}
