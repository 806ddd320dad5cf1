// Pre-filled plan input for "create request": the request form opens /requests/new?draft=<base64url JSON>.
import { lookupPrice, type CloudProvider } from "@/lib/pricing/lookup-price";
import { workloadTypes, type PlanInputDraft } from "@/lib/plans/schema";
import type { CapacityType } from "@/lib/costs/schema";

export interface DraftPool {
  name: string;
  instanceType: string;
  minNodes: number;
  maxNodes: number;
  capacityType: CapacityType;
}

export function planDraft(options: {
  cloud: CloudProvider;
  workloadType: string;
  pool: DraftPool;
  replicas?: { min: number; max: number };
}): PlanInputDraft {
  const { pool } = options;
  const workload = (workloadTypes as readonly string[]).includes(options.workloadType)
    ? (options.workloadType as PlanInputDraft["workload_type"])
    : "batch";
  const maxNodes = Math.max(1, pool.maxNodes, pool.minNodes);
  const draft: PlanInputDraft = {
    infrastructure_task: "cost_optimization",
    cloud_provider: options.cloud,
    workload_type: workload,
    node_pools: [
      {
        name: dnsLabel(pool.name),
        instance_type: pool.instanceType,
        min_nodes: Math.max(0, pool.minNodes),
        max_nodes: maxNodes,
        // Capacity of unknown type is planned on demand: spot is only advised for capacity known to be on demand.
        capacity_type:
          options.cloud === "on_premise" || pool.capacityType === "unknown" ? "on_demand" : pool.capacityType,
      },
    ],
  };
  // The plan engine checks that a training job's GPUs per node fit the pool's instance type.
  const gpusPerNode = lookupPrice(options.cloud, pool.instanceType)?.gpuCount ?? 0;
  if (workload === "training" && gpusPerNode > 0) draft.training = { gpus_per_node: Math.min(8, gpusPerNode) };
  if (options.replicas) {
    const min = Math.max(0, options.replicas.min);
    draft.scale_requirements = {
      min_replicas: min,
      max_replicas: Math.max(1, min, options.replicas.max),
      target_gpu_utilization: 0.8,
    };
  }
  return draft;
}

function dnsLabel(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return cleaned || "gpu-pool";
}
