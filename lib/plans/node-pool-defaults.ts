// The reference design's three node pools (cpu-training, gpu-training, inference) and their equivalents on each cloud.
// Names use hyphens: the reference's cpu_training is not a valid DNS-1123 name for a node group or label value.
import type { CloudProvider } from "@/lib/pricing/lookup-price";

export const gpuTaint = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" } as const;

interface PoolDefault {
  name: string;
  instance_type: string;
  min_nodes: number;
  max_nodes: number;
  labels: Record<string, string>;
  taints: { key: string; value: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" }[];
  fallback_instance_types: string[];
  capacity_type: "on_demand" | "spot";
}

const instanceTypes: Record<
  CloudProvider,
  { cpu: string; gpuTraining: string; inference: string; gpuFallback: string[]; inferenceFallback: string[] }
> = {
  aws: {
    cpu: "c6i.8xlarge",
    gpuTraining: "p4d.24xlarge",
    inference: "g5.xlarge",
    gpuFallback: ["p4de.24xlarge", "p5.48xlarge"],
    inferenceFallback: ["g5.2xlarge", "g6.xlarge"],
  },
  gcp: {
    cpu: "n2-highcpu-32",
    gpuTraining: "a2-highgpu-8g",
    inference: "g2-standard-4",
    gpuFallback: ["a2-ultragpu-8g"],
    inferenceFallback: ["g2-standard-8"],
  },
  azure: {
    cpu: "Standard_F32s_v2",
    gpuTraining: "Standard_ND96asr_v4",
    inference: "Standard_NC4as_T4_v3",
    gpuFallback: ["Standard_ND96amsr_A100_v4"],
    inferenceFallback: ["Standard_NC8as_T4_v3"],
  },
  on_premise: {
    cpu: "cpu-32c-64g",
    gpuTraining: "gpu-8x-a100-96c",
    inference: "gpu-1x-a10-16c",
    gpuFallback: ["gpu-8x-h100-112c"],
    inferenceFallback: ["gpu-1x-l4-16c"],
  },
};

const accelerators: Record<CloudProvider, { training: string; inference: string }> = {
  aws: { training: "nvidia-a100", inference: "nvidia-a10g" },
  gcp: { training: "nvidia-a100", inference: "nvidia-l4" },
  azure: { training: "nvidia-a100", inference: "nvidia-t4" },
  on_premise: { training: "nvidia-a100", inference: "nvidia-a10" },
};

export function defaultNodePools(cloud: CloudProvider): PoolDefault[] {
  const t = instanceTypes[cloud];
  const a = accelerators[cloud];
  return [
    {
      name: "cpu-training",
      instance_type: t.cpu,
      min_nodes: 2,
      max_nodes: 50,
      labels: { "workload-type": "training", accelerator: "cpu" },
      taints: [],
      fallback_instance_types: [],
      capacity_type: "on_demand",
    },
    // GPU training checkpoints and restarts, so it runs on spot with on-demand as the fallback (as the reference's
    // Karpenter pool did); there is no spot market on premises.
    {
      name: "gpu-training",
      instance_type: t.gpuTraining,
      min_nodes: 0,
      max_nodes: 20,
      labels: { "workload-type": "training", accelerator: a.training },
      taints: [{ ...gpuTaint }],
      fallback_instance_types: t.gpuFallback,
      capacity_type: cloud === "on_premise" ? "on_demand" : "spot",
    },
    // The reference leaves the inference pool untainted; tainting it keeps CPU pods off GPU nodes, and the
    // model server tolerates the taint.
    {
      name: "inference",
      instance_type: t.inference,
      min_nodes: 2,
      max_nodes: 100,
      labels: { "workload-type": "inference", accelerator: a.inference },
      taints: [{ ...gpuTaint }],
      fallback_instance_types: t.inferenceFallback,
      capacity_type: "on_demand",
    },
  ];
}

export const defaultRegions: Record<CloudProvider, string> = {
  aws: "us-west-2",
  gcp: "us-central1",
  azure: "eastus",
  on_premise: "dc1",
};
