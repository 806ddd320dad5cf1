// The facts a plan's input gives the viability checker: every node pool with the taints its cloud adds, the
// StorageClasses the cluster provides, and the workloads' volumes a backup plan must capture.
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { clusterStorageClasses, poolTaints, sharedStorageClass, type PlanContext } from "../plan-context";
import type { ViabilityFacts } from "./facts";

export function viabilityFactsFor(ctx: PlanContext): ViabilityFacts {
  const { input } = ctx;
  const shared = sharedStorageClass[input.cloud_provider];
  return {
    pools: input.node_pools.map((pool, i) => ({
      name: pool.name,
      source: `node_pools[${i}] "${pool.name}"`,
      labels: { ...pool.labels },
      taints: poolTaints(input, pool),
      maxNodes: pool.max_nodes,
      gpusPerNode: lookupPrice(input.cloud_provider, pool.instance_type)?.gpuCount ?? 0,
    })),
    poolsComplete: true,
    providedStorageClasses: clusterStorageClasses[input.cloud_provider],
    // The training job's data and checkpoints and the model server's model store live on the shared class.
    externalVolumes: [
      { namespace: input.namespaces.training, claim: `${input.training.job_name}-checkpoints`, storageClass: shared },
      { namespace: input.namespaces.inference, claim: `${input.model_server.name}-models`, storageClass: shared },
    ],
  };
}
