// Per-GPU hourly rates from the plan engine's price tables, and the GPU facts right-sizing needs.
import { lookupPrice, priceTable, type CloudProvider, type InstancePrice } from "./lookup-price";
import type { CapacityType } from "@/lib/costs/schema";

/**
 * Framebuffer size and dense FP16 tensor throughput (TFLOPS) per GPU model, from NVIDIA's data sheets.
 * Throughput is only used as a ratio between models, to scale a workload's utilization to another GPU.
 */
export const gpuSpecs: Record<string, { memoryGiB: number; fp16Tflops: number }> = {
  "nvidia-t4": { memoryGiB: 16, fp16Tflops: 65 },
  "nvidia-a10g": { memoryGiB: 24, fp16Tflops: 70 },
  "nvidia-a10": { memoryGiB: 24, fp16Tflops: 125 },
  "nvidia-l4": { memoryGiB: 24, fp16Tflops: 121 },
  "nvidia-a100": { memoryGiB: 40, fp16Tflops: 312 },
  "nvidia-a100-80gb": { memoryGiB: 80, fp16Tflops: 312 },
  "nvidia-h100": { memoryGiB: 80, fp16Tflops: 989 },
  "nvidia-h200": { memoryGiB: 141, fp16Tflops: 989 },
};

export function gpuInstance(cloud: CloudProvider, instanceType: string): InstancePrice | undefined {
  const p = lookupPrice(cloud, instanceType);
  return p && p.gpuCount > 0 ? p : undefined;
}

/** Hourly price of one GPU of the instance (the instance price split evenly over its GPUs). */
export function gpuHourlyRate(cloud: CloudProvider, instanceType: string, capacityType: CapacityType): number {
  const p = gpuInstance(cloud, instanceType);
  if (!p) return 0;
  const hourly = capacityType === "spot" && p.spotHourly !== null ? p.spotHourly : p.onDemandHourly;
  return hourly / p.gpuCount;
}

export function hoursPerMonth(cloud: CloudProvider): number {
  return priceTable(cloud).hoursPerMonth;
}
