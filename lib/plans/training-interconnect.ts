// How multi-node training ranks reach each other fast on each cloud, beside AWS's EFA (efa-instance-types.ts):
// GKE packs a GPU training pool's nodes with a COMPACT placement policy in one zone; AKS puts ND-series training
// pools in a proximity placement group in one zone, and their ranks talk NCCL over InfiniBand through the RDMA
// device that the NVIDIA Network Operator's RDMA shared device plugin advertises.
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { efaInterfaces } from "./efa-instance-types";
import type { PlanInput, NodePool } from "./schema";

/** ND-series sizes with InfiniBand HCAs (8 × HDR 200 Gb/s on A100 v4, 8 × NDR 400 Gb/s on H100/H200 v5). */
export const infinibandVmSizes: ReadonlySet<string> = new Set([
  "Standard_ND96asr_v4",
  "Standard_ND96amsr_A100_v4",
  "Standard_ND96isr_H100_v5",
  "Standard_ND96isr_H200_v5",
]);

/**
 * The extended resource the Network Operator's RDMA shared device plugin advertises with the configuration of
 * Azure's AKS InfiniBand guide (resourceName "shared_ib", vendor 15b3, link type infiniband): one unit gives the
 * pod every IB HCA of its node, and up to 63 pods share them.
 */
export const rdmaResource = "rdma/shared_ib";

/** The RDMA shared device plugin's configuration that advertises rdmaResource (Azure's AKS InfiniBand guide). */
export const rdmaSharedDevicePluginConfig = JSON.stringify({
  configList: [
    {
      resourceName: rdmaResource.split("/")[1],
      rdmaHcaMax: 63,
      selectors: { vendors: ["15b3"], linkTypes: ["infiniband"] },
    },
  ],
});

/** The NVIDIA Network Operator release a recovery reinstalls, and the component versions it is tested with. */
export const networkOperatorChartVersion = "v25.7.0";

/**
 * The NicClusterPolicy the Network Operator needs for InfiniBand training: its OFED driver (the ND-series AKS image
 * has none) and the RDMA shared device plugin that advertises rdmaResource. Cluster-scoped and outside the
 * namespaces Velero backs up, so a recovery applies it again. Images and versions: the release's NicClusterPolicy
 * example (docs.nvidia.com, Network Operator v25.7.0).
 */
export function nicClusterPolicy(): Record<string, unknown> {
  return {
    apiVersion: "mellanox.com/v1alpha1",
    kind: "NicClusterPolicy",
    metadata: { name: "nic-cluster-policy" },
    spec: {
      ofedDriver: {
        image: "doca-driver",
        repository: "nvcr.io/nvidia/mellanox",
        version: "doca3.1.0-25.07-0.9.7.0-0",
      },
      rdmaSharedDevicePlugin: {
        image: "k8s-rdma-shared-dev-plugin",
        repository: "nvcr.io/nvidia/mellanox",
        version: `network-operator-${networkOperatorChartVersion}`,
        config: rdmaSharedDevicePluginConfig,
      },
    },
  };
}

/**
 * GPU machine families GKE can place with a COMPACT policy (A2, A3, G2); GPUDirect-TCPX(O) needs A3 High/Mega's
 * extra NICs and is not generated (the runbook and the viability report say so).
 */
const compactFamilies = /^(a2|a3|g2)-/;

/** A3 machine types whose full GPU-to-GPU bandwidth needs GPUDirect-TCPX (a3-highgpu-8g) or -TCPXO (a3-megagpu-8g). */
export const gpuDirectMachineTypes: Readonly<Record<string, string>> = {
  "a3-highgpu-8g": "GPUDirect-TCPX",
  "a3-megagpu-8g": "GPUDirect-TCPXO",
};

const isTraining = (pool: NodePool) => pool.labels["workload-type"] === "training";
const hasGpus = (input: Pick<PlanInput, "cloud_provider">, type: string) =>
  (lookupPrice(input.cloud_provider, type)?.gpuCount ?? 0) > 0;

/**
 * Training pools whose nodes the Terraform keeps close together: GKE GPU pools of a compact-capable family get a
 * COMPACT placement policy, AKS InfiniBand pools a proximity placement group; both in the one training zone.
 * (AWS: isEfaTrainingPool, with a cluster placement group.)
 */
export function colocatedTrainingPool(input: Pick<PlanInput, "cloud_provider">, pool: NodePool): boolean {
  if (!isTraining(pool) || !hasGpus(input, pool.instance_type)) return false;
  if (input.cloud_provider === "gcp") return compactFamilies.test(pool.instance_type);
  if (input.cloud_provider === "azure") return infinibandVmSizes.has(pool.instance_type);
  return false;
}

/** Whether an instance type could be colocated on its cloud (the viability checker reports a pool that is not). */
export function colocatable(cloud: PlanInput["cloud_provider"], instanceType: string): boolean {
  if (cloud === "gcp") return compactFamilies.test(instanceType) && hasGpus({ cloud_provider: cloud }, instanceType);
  if (cloud === "azure") return infinibandVmSizes.has(instanceType);
  if (cloud === "aws") return instanceType in efaInterfaces;
  return false;
}

/** The fast interconnect an instance type has, for the request form's control and its help text. */
export function interconnectOf(
  cloud: PlanInput["cloud_provider"],
  instanceType: string,
): { name: "EFA" | "InfiniBand"; detail: string } | undefined {
  if (cloud === "aws" && instanceType in efaInterfaces)
    return { name: "EFA", detail: `${efaInterfaces[instanceType]} EFA interfaces` };
  if (cloud === "azure" && infinibandVmSizes.has(instanceType))
    return { name: "InfiniBand", detail: "8 InfiniBand HCAs" };
  return undefined;
}
