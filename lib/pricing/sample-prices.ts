// The price of each GPU sample: the list price of its instance type; else the pool's most-used priced type; else the
// cheapest type with the same GPU model (DCGM's modelName); else none, flagged. A GPU-hour is never dropped: without a
// price it still counts in GPU-hours and the data health says so. Pure.
import { priceTable, type CloudProvider } from "./lookup-price";
import { gpuHourlyRate } from "./gpu-rates";
import type { GpuSample } from "@/lib/costs/schema";

export const priceBases = ["list", "pool", "gpu-model", "none"] as const;
export type PriceBasis = (typeof priceBases)[number];

export interface SamplePrice {
  rate: number;
  basis: PriceBasis;
  /** The priced type a pool or GPU-model estimate used. */
  pricedAs?: string;
}

/** The price table's GPU type for DCGM's modelName: "NVIDIA A100-SXM4-80GB" → nvidia-a100-80gb, "Tesla T4" → nvidia-t4. */
export function gpuTypeOfModel(modelName: string | undefined): string | null {
  const m = (modelName ?? "").toLowerCase();
  const has = (re: RegExp) => re.test(m);
  if (has(/\bh200\b/)) return "nvidia-h200";
  if (has(/\bh100\b/)) return "nvidia-h100";
  if (has(/\ba100\b/)) return has(/80\s*gb/) ? "nvidia-a100-80gb" : "nvidia-a100";
  if (has(/\ba10g\b/)) return "nvidia-a10g";
  if (has(/\ba10\b/)) return "nvidia-a10";
  if (has(/\bl40s\b/)) return "nvidia-l40s";
  if (has(/\bl4\b/)) return "nvidia-l4";
  if (has(/\bt4\b/)) return "nvidia-t4";
  return null;
}

export type GpuRate = (instanceType: string, capacityType: GpuSample["capacityType"]) => number;

/** Prices samples of one ingestion: the pool estimate looks at the other samples of the same pool. `listRate`: live prices where known. */
export function priceSamples(
  samples: readonly GpuSample[],
  cloud: CloudProvider,
  listRate: GpuRate = (t, c) => gpuHourlyRate(cloud, t, c),
): (s: GpuSample) => SamplePrice {
  const hoursByPoolType = new Map<string, Map<string, number>>();
  for (const s of samples) {
    if (s.nodePool === "unknown" || listRate(s.instanceType, "on_demand") <= 0) continue;
    const types = hoursByPoolType.get(s.nodePool) ?? new Map<string, number>();
    types.set(s.instanceType, (types.get(s.instanceType) ?? 0) + s.hours);
    hoursByPoolType.set(s.nodePool, types);
  }
  const poolType = new Map<string, string>();
  for (const [pool, types] of hoursByPoolType) {
    const [top] = [...types].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (top) poolType.set(pool, top[0]);
  }
  const table = priceTable(cloud);
  const cheapestOfGpu = (gpuType: string) =>
    table.instances
      .filter((i) => i.gpuType === gpuType && i.gpuCount > 0)
      .sort(
        (a, b) =>
          a.onDemandHourly / a.gpuCount - b.onDemandHourly / b.gpuCount || a.instanceType.localeCompare(b.instanceType),
      )[0]?.instanceType;
  return (s) => {
    const list = listRate(s.instanceType, s.capacityType);
    if (list > 0) return { rate: list, basis: "list" };
    const inPool = poolType.get(s.nodePool);
    if (inPool) return { rate: listRate(inPool, s.capacityType), basis: "pool", pricedAs: inPool };
    const gpuType = gpuTypeOfModel(s.gpuModel);
    const sameGpu = gpuType ? cheapestOfGpu(gpuType) : undefined;
    if (sameGpu) return { rate: listRate(sameGpu, s.capacityType), basis: "gpu-model", pricedAs: sameGpu };
    return { rate: 0, basis: "none" };
  };
}
