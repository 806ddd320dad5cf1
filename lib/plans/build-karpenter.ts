// Karpenter v1 NodePools and one EC2NodeClass for AWS. The reference used karpenter.sh/v1beta1, removed in
// Karpenter 1.1: v1 needs nodeClassRef.group/kind/name, consolidateAfter, and amiSelectorTerms on the node class.
import type { KubernetesObject } from "@/lib/k8s/types";
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { isGpuPool, labelsFor, type PlanContext } from "./plan-context";
import type { NodePool } from "./schema";

export const amiAlias = "al2023@latest";

export function nodeClassName(ctx: PlanContext): string {
  return `${ctx.input.cluster_name}-nodes`;
}

export function buildEc2NodeClass(ctx: PlanContext): KubernetesObject {
  const { input } = ctx;
  const discovery = { "karpenter.sh/discovery": input.cluster_name };
  const disk = Math.max(...input.node_pools.map((p) => p.disk_size_gib));
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: nodeClassName(ctx), labels: labelsFor(ctx, "karpenter") },
    spec: {
      // The alias picks the EKS-optimized AL2023 AMI, which selects the NVIDIA variant on GPU instance types;
      // an alias must be the only amiSelectorTerm. Pin a version (al2023@v2024...) to freeze upgrades.
      amiSelectorTerms: [{ alias: amiAlias }],
      role: `KarpenterNodeRole-${input.cluster_name}`,
      subnetSelectorTerms: [{ tags: discovery }],
      securityGroupSelectorTerms: [{ tags: discovery }],
      metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { volumeSize: `${disk}Gi`, volumeType: "gp3", iops: 10000, throughput: 500, encrypted: true, deleteOnTermination: true } },
      ],
      tags: { "ml-platform/cluster": input.cluster_name },
    },
  };
}

function capacityTypes(pool: NodePool): string[] {
  // A spot pool falls back to on-demand when spot capacity is short; on-demand pools never take spot.
  return pool.capacity_type === "spot" ? ["spot", "on-demand"] : ["on-demand"];
}

export function buildNodePool(ctx: PlanContext, pool: NodePool): KubernetesObject {
  const { input } = ctx;
  const gpu = isGpuPool(input, pool);
  const types = [pool.instance_type, ...pool.fallback_instance_types];
  const largest = types.map((t) => lookupPrice(input.cloud_provider, t)).reduce(
    (acc, p) => ({ vcpu: Math.max(acc.vcpu, p?.vcpu ?? 0), mem: Math.max(acc.mem, p?.memoryGib ?? 0), gpus: Math.max(acc.gpus, p?.gpuCount ?? 0) }),
    { vcpu: 0, mem: 0, gpus: 0 },
  );
  const training = pool.labels["workload-type"] === "training";
  const limits: Record<string, string> = { cpu: String(largest.vcpu * pool.max_nodes), memory: `${largest.mem * pool.max_nodes}Gi` };
  if (gpu) limits["nvidia.com/gpu"] = String(largest.gpus * pool.max_nodes);
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: pool.name, labels: labelsFor(ctx, "karpenter") },
    spec: {
      template: {
        metadata: { labels: { ...pool.labels } },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: nodeClassName(ctx) },
          requirements: [
            { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
            { key: "karpenter.sh/capacity-type", operator: "In", values: capacityTypes(pool) },
            // The first type is the preferred one; the others are the fallbacks when it cannot be provisioned.
            { key: "node.kubernetes.io/instance-type", operator: "In", values: types },
            ...(gpu ? [{ key: "karpenter.k8s.aws/instance-gpu-count", operator: "Gt", values: ["0"] }] : []),
          ],
          // Karpenter's CRD refuses an empty value: omit it for key-only taints.
          taints: pool.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })),
          expireAfter: "720h",
        },
      },
      limits,
      disruption: {
        // Training nodes hold multi-hour jobs: only remove them when empty. Others may be repacked.
        consolidationPolicy: training ? "WhenEmpty" : "WhenEmptyOrUnderutilized",
        consolidateAfter: training ? "10m" : "5m",
        budgets: [{ nodes: "10%" }, ...(training ? [{ nodes: "0", reasons: ["Drifted"] }] : [])],
      },
      weight: pool.capacity_type === "spot" ? 50 : 10,
    },
  };
}

export function buildKarpenter(ctx: PlanContext): KubernetesObject[] {
  return [buildEc2NodeClass(ctx), ...ctx.input.node_pools.map((p) => buildNodePool(ctx, p))];
}

/** What stands in for Karpenter on the other clouds, stated in infrastructure_config. */
export function nodeAutoscalingNote(cloud: PlanContext["input"]["cloud_provider"]): string {
  switch (cloud) {
    case "aws":
      return "Karpenter v1 NodePools (one per node pool) and an EC2NodeClass provision nodes; min_nodes is kept by the EKS managed node group.";
    case "gcp":
      return "GKE: the cluster autoscaler scales each node pool between min and max (autoscaling blocks in the Terraform); enable node auto-provisioning for GPU shapes not listed. Karpenter does not run on GKE.";
    case "azure":
      return "AKS: the cluster autoscaler scales each node pool (auto_scaling_enabled in the Terraform); AKS Node Auto-Provisioning (Karpenter-based) is an option but its AKSNodeClass API is not generated here.";
    case "on_premise":
      return "On premises: the Kubernetes cluster-autoscaler with the Cluster API provider scales MachineDeployments between min and max; without Cluster API, capacity is fixed and scaling is pod-level only.";
  }
}
