// Karpenter v1 NodePools and one EC2NodeClass for AWS. The reference used karpenter.sh/v1beta1, removed in
// Karpenter 1.1: v1 needs nodeClassRef.group/kind/name, consolidateAfter, and amiSelectorTerms on the node class.
import type { KubernetesObject } from "@/lib/k8s/types";
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { isGpuPool, labelsFor, type PlanContext } from "./plan-context";
import type { NodePool } from "./schema";
import { isEfaTrainingPool } from "./terraform-eks";

// Pinned: @latest rolls every node to each new AMI release (Karpenter drifts them), GPU nodes under running jobs
// included. Raise it deliberately after testing a release: https://github.com/awslabs/amazon-eks-ami/releases
export const amiAlias = "al2023@v20260903";

export function nodeClassName(ctx: PlanContext): string {
  return `${ctx.input.cluster_name}-nodes`;
}

/** The node class of EFA training pools: the same nodes, launched into the Terraform's cluster placement group. */
export function efaNodeClassName(ctx: PlanContext): string {
  return `${ctx.input.cluster_name}-training-efa`;
}

/** The cluster placement group terraform-eks.ts creates for multi-node EFA training. */
export function trainingPlacementGroup(ctx: PlanContext): string {
  return `${ctx.input.cluster_name}-training`;
}

export function buildEc2NodeClass(ctx: PlanContext, efa = false): KubernetesObject {
  const { input } = ctx;
  const discovery = { "karpenter.sh/discovery": input.cluster_name };
  const disk = Math.max(...input.node_pools.map((p) => p.disk_size_gib));
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: efa ? efaNodeClassName(ctx) : nodeClassName(ctx), labels: labelsFor(ctx, "karpenter") },
    spec: {
      // NCCL over EFA needs the ranks in one cluster placement group (low-latency, full-bisection network); the
      // managed node group's floor joins it through its launch template, Karpenter's nodes through this selector.
      ...(efa ? { placementGroupSelector: { name: trainingPlacementGroup(ctx) } } : {}),
      // The alias picks the EKS-optimized AL2023 AMI, which selects the NVIDIA variant on GPU instance types;
      // an alias must be the only amiSelectorTerm.
      amiSelectorTerms: [{ alias: amiAlias }],
      role: `KarpenterNodeRole-${input.cluster_name}`,
      subnetSelectorTerms: [{ tags: discovery }],
      securityGroupSelectorTerms: [{ tags: discovery }],
      metadataOptions: {
        httpEndpoint: "enabled",
        httpProtocolIPv6: "disabled",
        httpPutResponseHopLimit: 1,
        httpTokens: "required",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: `${disk}Gi`,
            volumeType: "gp3",
            iops: 10000,
            throughput: 500,
            encrypted: true,
            deleteOnTermination: true,
          },
        },
      ],
      tags: { "ml-platform/cluster": input.cluster_name },
    },
  };
}

function capacityTypes(pool: NodePool): string[] {
  // A spot pool falls back to on-demand when spot capacity is short; on-demand pools never take spot.
  return pool.capacity_type === "spot" ? ["spot", "on-demand"] : ["on-demand"];
}

/** The pool's instance types grouped by GPU model, primary type's group first: one NodePool per group. */
function typesByAccelerator(ctx: PlanContext, pool: NodePool): { accelerator: string | null; types: string[] }[] {
  const groups: { accelerator: string | null; types: string[] }[] = [];
  for (const type of [pool.instance_type, ...pool.fallback_instance_types]) {
    const accelerator = lookupPrice(ctx.input.cloud_provider, type)?.gpuType ?? null;
    const group = groups.find((g) => g.accelerator === accelerator);
    if (group) group.types.push(type);
    else groups.push({ accelerator, types: [type] });
  }
  return groups;
}

/**
 * Nodes above the floor each of the pool's NodePools may launch: the pool's whole burst (max_nodes less the
 * managed floor), of its own instance types. The primary must reach the requested maximum alone, or a job sized to
 * the pool waits for (or spreads onto) a fallback model while the preferred one has capacity; a fallback stands in
 * for the primary when that type is short, so it may need the whole burst too. Karpenter bounds NodePools one by
 * one, so together they may hold more than max_nodes only while pending pods need more than the primary got.
 */
export function poolBurst(pool: NodePool): number {
  return Math.max(0, pool.max_nodes - pool.min_nodes);
}

function nodePoolFor(
  ctx: PlanContext,
  pool: NodePool,
  types: string[],
  accelerator: string | null,
  name: string,
  order: { index: number; burst: number },
): KubernetesObject {
  const fallback = order.index > 0;
  const { input } = ctx;
  const gpu = isGpuPool(input, pool);
  const largest = types
    .map((t) => lookupPrice(input.cloud_provider, t))
    .reduce(
      (acc, p) => ({
        vcpu: Math.max(acc.vcpu, p?.vcpu ?? 0),
        mem: Math.max(acc.mem, p?.memoryGib ?? 0),
        gpus: Math.max(acc.gpus, p?.gpuCount ?? 0),
      }),
      { vcpu: 0, mem: 0, gpus: 0 },
    );
  const training = pool.labels["workload-type"] === "training";
  // The pool's floor (min_nodes) is a managed node group; Karpenter may add up to the rest with this NodePool.
  const burst = order.burst;
  const limits: Record<string, string> = { cpu: String(largest.vcpu * burst), memory: `${largest.mem * burst}Gi` };
  if (gpu) limits["nvidia.com/gpu"] = String(largest.gpus * burst);
  // A fallback with another GPU model says which one it really has: a p5 must not claim the primary's nvidia-a100.
  const labels = {
    ...pool.labels,
    ...(fallback && accelerator && "accelerator" in pool.labels ? { accelerator } : {}),
  };
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name, labels: labelsFor(ctx, "karpenter") },
    spec: {
      template: {
        metadata: { labels },
        spec: {
          nodeClassRef: {
            group: "karpenter.k8s.aws",
            kind: "EC2NodeClass",
            name: isEfaTrainingPool(pool) ? efaNodeClassName(ctx) : nodeClassName(ctx),
          },
          requirements: [
            { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
            { key: "karpenter.sh/capacity-type", operator: "In", values: capacityTypes(pool) },
            // The first type is the preferred one; the others are the fallbacks when it cannot be provisioned.
            { key: "node.kubernetes.io/instance-type", operator: "In", values: types },
            ...(gpu ? [{ key: "karpenter.k8s.aws/instance-gpu-count", operator: "Gt", values: ["0"] }] : []),
            // EFA needs the ranks close together: the zone of the Terraform's cluster placement group.
            ...(isEfaTrainingPool(pool)
              ? [{ key: "topology.kubernetes.io/zone", operator: "In", values: [`${input.region}a`] }]
              : []),
          ],
          // Karpenter's CRD refuses an empty value: omit it for key-only taints.
          taints: pool.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })),
          // Training runs for days: a node that expires takes every rank on it down with the run.
          expireAfter: training ? "Never" : "720h",
        },
      },
      limits,
      disruption: {
        // Training nodes hold multi-day jobs: only remove them when empty. Others may be repacked.
        consolidationPolicy: training ? "WhenEmpty" : "WhenEmptyOrUnderutilized",
        consolidateAfter: training ? "10m" : "5m",
        budgets: [{ nodes: "10%" }, ...(training ? [{ nodes: "0", reasons: ["Drifted"] }] : [])],
      },
      // Karpenter tries NodePools by weight alone (1-100): the primary first, then each fallback model in order.
      weight: (pool.capacity_type === "spot" ? 50 : 20) - order.index,
    },
  };
}

export function buildNodePools(ctx: PlanContext, pool: NodePool): KubernetesObject[] {
  const groups = typesByAccelerator(ctx, pool);
  return groups.map((group, i) =>
    nodePoolFor(
      ctx,
      pool,
      group.types,
      group.accelerator,
      i === 0
        ? pool.name
        : `${pool.name}-${group.accelerator ?? "cpu"}`
            .slice(0, 63)
            .replace(/[^a-z0-9-]/g, "-")
            .replace(/-+$/, ""),
      { index: i, burst: poolBurst(pool) },
    ),
  );
}

export function buildKarpenter(ctx: PlanContext): KubernetesObject[] {
  return [
    buildEc2NodeClass(ctx),
    ...(ctx.input.node_pools.some(isEfaTrainingPool) ? [buildEc2NodeClass(ctx, true)] : []),
    ...ctx.input.node_pools.flatMap((p) => buildNodePools(ctx, p)),
  ];
}

/** What stands in for Karpenter on the other clouds, stated in infrastructure_config. */
export function nodeAutoscalingNote(cloud: PlanContext["input"]["cloud_provider"]): string {
  switch (cloud) {
    case "aws":
      return "Karpenter v1 NodePools (one per node pool and GPU model) and an EC2NodeClass provision every node above min_nodes, which a fixed-size EKS managed node group keeps; no cluster-autoscaler runs on these pools.";
    case "gcp":
      return "GKE: the cluster autoscaler scales each node pool between min and max (autoscaling blocks in the Terraform); enable node auto-provisioning for GPU shapes not listed. Karpenter does not run on GKE.";
    case "azure":
      return "AKS: the cluster autoscaler scales each node pool (auto_scaling_enabled in the Terraform); AKS Node Auto-Provisioning (Karpenter-based) is an option but its AKSNodeClass API is not generated here.";
    case "on_premise":
      return "On premises: the Kubernetes cluster-autoscaler with the Cluster API provider scales MachineDeployments between min and max; without Cluster API, capacity is fixed and scaling is pod-level only.";
  }
}
