// What one node of an instance type offers pods: its capacity less what the kubelet reserves and what the
// DaemonSets every node runs ask for. The plan sizes its pods with it and the viability checker checks them with it,
// so a pod the engine writes fits the node it was written for, and a pod that cannot fit one node is reported.
import { lookupPrice, type CloudProvider } from "@/lib/pricing/lookup-price";
import { efaInterfaces } from "./efa-instance-types";
import { infinibandVmSizes } from "./training-interconnect";

export interface NodeShape {
  instanceType: string;
  vcpu: number;
  memoryGib: number;
  gpus: number;
  /** vpc.amazonaws.com/efa interfaces the AWS EFA device plugin advertises (0 elsewhere). */
  efa: number;
  /** Azure ND-series with InfiniBand HCAs (rdma/shared_ib once the Network Operator runs). */
  infiniband?: boolean;
}

export interface NodeRoom {
  cpu: number;
  memoryGib: number;
  gpus: number;
  efa: number;
}

export function nodeShape(cloud: CloudProvider, instanceType: string): NodeShape | undefined {
  const price = lookupPrice(cloud, instanceType);
  if (!price) return undefined;
  return {
    instanceType,
    vcpu: price.vcpu,
    memoryGib: price.memoryGib,
    gpus: price.gpuCount,
    efa: cloud === "aws" ? (efaInterfaces[instanceType] ?? 0) : 0,
    ...(cloud === "azure" && infinibandVmSizes.has(instanceType) ? { infiniband: true } : {}),
  };
}

/**
 * Kubelet reservations, by GKE's published formula (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes):
 * CPU 6% of the first core, 1% of the next, 0.5% of the next two, 0.25% above four; memory 25% of the first 4 GiB,
 * 20% of the next 4, 10% of the next 8, 6% of the next 112, 2% above 128, plus a 100 MiB eviction threshold.
 * EKS (255 MiB + 11 MiB per pod) and AKS reserve less on large nodes; on a 16 GiB node all three leave about
 * 13-14 GiB, of which the instance's own kernel takes part, so the GKE figure is used everywhere as the bound.
 */
export function kubeletReserved(shape: Pick<NodeShape, "vcpu" | "memoryGib">): { cpu: number; memoryGib: number } {
  const tiers = (amount: number, steps: [number, number][], rest: number) => {
    let left = amount;
    let reserved = 0;
    for (const [size, rate] of steps) {
      const part = Math.min(left, size);
      reserved += part * rate;
      left -= part;
    }
    return reserved + Math.max(0, left) * rest;
  };
  return {
    cpu: tiers(
      shape.vcpu,
      [
        [1, 0.06],
        [1, 0.01],
        [2, 0.005],
      ],
      0.0025,
    ),
    memoryGib:
      tiers(
        shape.memoryGib,
        [
          [4, 0.25],
          [4, 0.2],
          [8, 0.1],
          [112, 0.06],
        ],
        0.02,
      ) +
      100 / 1024,
  };
}

/**
 * What the DaemonSets outside the plan's manifests ask for on every node: kube-proxy (100m), the CNI and CSI node
 * plugins, the cloud's metadata and logging agents, and the plan's Helm add-ons that run per node (the DCGM
 * exporter, Velero's node agent). A round allowance above the sum of their published requests.
 */
export const systemDaemonSetAllowance = { cpu: 0.5, memoryGib: 1 } as const;

/** Room left for workload pods on one node: allocatable less the DaemonSet allowance and any extra DaemonSets. */
export function nodeRoom(
  shape: NodeShape,
  extraDaemonSets: { cpu: number; memoryGib: number } = { cpu: 0, memoryGib: 0 },
): NodeRoom {
  const reserved = kubeletReserved(shape);
  return {
    cpu: shape.vcpu - reserved.cpu - systemDaemonSetAllowance.cpu - extraDaemonSets.cpu,
    memoryGib: shape.memoryGib - reserved.memoryGib - systemDaemonSetAllowance.memoryGib - extraDaemonSets.memoryGib,
    gpus: shape.gpus,
    efa: shape.efa,
  };
}

/** Parses a Kubernetes CPU quantity ("3", "500m", "1.5") into cores; undefined when it is not one. */
export function cpuCores(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(value);
  return m ? Number(m[1]) / (m[2] ? 1000 : 1) : undefined;
}

const memoryUnits: Record<string, number> = {
  "": 1 / 1024 ** 3,
  k: 1e3 / 1024 ** 3,
  M: 1e6 / 1024 ** 3,
  G: 1e9 / 1024 ** 3,
  T: 1e12 / 1024 ** 3,
  Ki: 1 / 1024 ** 2,
  Mi: 1 / 1024,
  Gi: 1,
  Ti: 1024,
};

/** Parses a Kubernetes memory quantity ("12Gi", "512Mi", "16G") into GiB; undefined when it is not one. */
export function memoryGib(value: unknown): number | undefined {
  if (typeof value === "number") return value / 1024 ** 3;
  if (typeof value !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value);
  return m ? Number(m[1]) * memoryUnits[m[2] ?? ""]! : undefined;
}
