// Builds rollup rows for hand-planted fleets, so recommendation tests state their inputs in a few lines.
import { rollupSamples } from "@/lib/costs/rollups/allocation";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import { DAY_MS, HOUR_MS, type CapacityType, type GpuSample, type UsageRow } from "./schema";

export const NOW = Date.UTC(2026, 10, 30, 0, 0, 0); // Monday 30 Nov 2026, 00:00 UTC

export interface Plant {
  team?: string;
  workloadType?: string;
  nodePool: string;
  instanceType: string;
  capacityType?: CapacityType;
  gpus: number | ((ts: number) => number);
  days?: number;
  utilization: (ts: number) => number;
  memoryGiB?: number;
}

export function plantSamples(p: Plant, now = NOW): GpuSample[] {
  const out: GpuSample[] = [];
  const days = p.days ?? 30;
  for (let ts = now - days * DAY_MS; ts < now; ts += HOUR_MS) {
    const gpus = typeof p.gpus === "number" ? p.gpus : p.gpus(ts);
    for (let g = 0; g < gpus; g++) {
      out.push({
        ts,
        hours: 1,
        gpuId: `${p.nodePool}-${g}`,
        node: `${p.nodePool}-${g}`,
        team: p.team ?? "team-a",
        workloadType: p.workloadType ?? "inference",
        nodePool: p.nodePool,
        instanceType: p.instanceType,
        capacityType: p.capacityType ?? "on_demand",
        requestedGpus: 1,
        utilization: p.utilization(ts),
        memoryUsedMiB: (p.memoryGiB ?? 8) * 1024,
      });
    }
  }
  return out;
}

export function plantRows(plants: Plant[], now = NOW): UsageRow[] {
  return rollupSamples(
    plants.flatMap((p) => plantSamples(p, now)),
    "test",
    (s) => gpuHourlyRate("aws", s.instanceType, s.capacityType),
  );
}
