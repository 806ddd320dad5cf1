// The facts a plan's input gives the viability checker: every node pool with the taints its cloud adds, the
// StorageClasses and extended resources the cluster provides, the Prometheus that scrapes the plan's PodMonitors,
// the identities the plan's Terraform creates, and the workloads' volumes a backup plan must capture.
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { apiAccessOf } from "../api-access";
import { installsEfaPlugin, needsRdmaDevicePlugin } from "../build-training-job";
import { colocatable, colocatedTrainingPool, rdmaResource } from "../training-interconnect";
import { batchWorkerName, streamConsumerName } from "../build-queue-workers";
import { clusterStorageClasses, poolTaints, sharedStorageClass, type PlanContext } from "../plan-context";
import { addonReleases, installsDcgmExporter } from "../build-addons";
import { veleroNamespace } from "../build-velero";
import { usesDefaultRedis } from "../build-redis";
import { nativeBackupClasses } from "../build-file-backups";
import type { IdentityBinding } from "../terraform-identities";
import { nodeShape, type NodeShape } from "../node-allocatable";
import { managedNodeUpgrades } from "../node-upgrades";
import type { ViabilityFacts } from "./facts";

/**
 * Extended resources nodes advertise without this plan's manifests: GKE installs the NVIDIA device plugin itself;
 * the EKS Terraform installs the EFA device plugin when a pool has EFA instance types, and an AKS cluster with
 * InfiniBand training pools runs the Network Operator its plan requires. A plan for an existing
 * cluster runs on one its cluster_setup plan built, which also installed the NVIDIA device plugin.
 */
function providedResources(ctx: PlanContext): string[] {
  const { input } = ctx;
  // The Network Operator (a listed requirement of the AKS plans with InfiniBand pools) advertises the RDMA device.
  const efa = [
    ...(installsEfaPlugin(input) ? ["vpc.amazonaws.com/efa"] : []),
    ...(needsRdmaDevicePlugin(input) ? [rdmaResource] : []),
  ];
  if (input.infrastructure_task !== "cluster_setup") return ["nvidia.com/gpu", ...efa];
  return [...(input.cloud_provider === "gcp" ? ["nvidia.com/gpu"] : []), ...efa];
}

export function viabilityFactsFor(ctx: PlanContext, identities: IdentityBinding[] = []): ViabilityFacts {
  const { input } = ctx;
  const shared = sharedStorageClass[input.cloud_provider];
  const byIdentity = new Map<string, string[]>();
  const readsBackups = new Set<string>();
  for (const b of identities) {
    byIdentity.set(b.identity, [...(byIdentity.get(b.identity) ?? []), `${b.namespace}/${b.serviceAccount}`]);
    // terraform-identities.ts grants the backup store to the identity of a binding with access "backups" only.
    if (b.access === "backups") readsBackups.add(b.identity);
  }
  return {
    pools: input.node_pools.map((pool, i) => ({
      name: pool.name,
      source: `node_pools[${i}] "${pool.name}"`,
      labels: { ...pool.labels },
      taints: poolTaints(input, pool),
      maxNodes: pool.max_nodes,
      spot: pool.capacity_type === "spot",
      gpusPerNode: lookupPrice(input.cloud_provider, pool.instance_type)?.gpuCount ?? 0,
      minNodes: pool.min_nodes,
      nodeShapes: [pool.instance_type, ...pool.fallback_instance_types]
        .map((t) => nodeShape(input.cloud_provider, t))
        .filter((s): s is NodeShape => s !== undefined),
      // The cluster the plan runs on is the one its cluster_setup plan builds, with the same maintenance settings.
      managedUpgrades: managedNodeUpgrades(input),
      ...(input.cloud_provider !== "aws" && colocatable(input.cloud_provider, pool.instance_type)
        ? { colocated: colocatedTrainingPool(input, pool) }
        : {}),
    })),
    poolsComplete: true,
    providedStorageClasses: clusterStorageClasses[input.cloud_provider],
    // The training job's data and checkpoints and the model servers' model stores live on the shared class. Only
    // the plan's own workload's are known to exist on the cluster.
    externalVolumes: [
      {
        namespace: input.namespaces.training,
        claim: `${input.training.job_name}-checkpoints`,
        storageClass: shared,
        jobOnly: true,
      },
      { namespace: input.namespaces.inference, claim: `${input.model_server.name}-models`, storageClass: shared },
      { namespace: input.namespaces.batch, claim: `${batchWorkerName}-models`, storageClass: shared, jobOnly: true },
      { namespace: input.namespaces.streaming, claim: `${streamConsumerName}-models`, storageClass: shared },
    ].filter((v) => v.namespace === input.namespaces[input.workload_type]),
    nativeBackupClasses: input.infrastructure_task === "disaster_recovery" ? nativeBackupClasses(ctx) : undefined,
    providedResources: providedResources(ctx),
    // The plan's add-ons (build-addons.ts): the DCGM exporter with its ServiceMonitor, Redis for batch workers.
    // On premises the cluster brings its own (the GPU Operator's, a listed requirement of the cluster plan).
    scrapedExporters: input.cloud_provider === "on_premise" || installsDcgmExporter(ctx) ? ["dcgm"] : [],
    // build-addons.ts sets honorLabels on the exporter's ServiceMonitor; on premises the GPU Operator requirement
    // asks for it (plan-requirements.ts).
    dcgmHonorLabels: input.cloud_provider === "on_premise" || installsDcgmExporter(ctx),
    // A Redis address the requester gave is theirs to provide; the default one only the plan's own Service
    // (build-redis.ts, in the object set) provides.
    providedServices: usesDefaultRedis(ctx) ? [] : undefined,
    prometheusAddress: input.autoscaling.prometheus_address,
    // The cluster's own, and those the plan's Helm releases create (helm --create-namespace).
    existingNamespaces: [
      "default",
      "kube-system",
      ...addonReleases(ctx).map((r) => r.namespace),
      ...(input.infrastructure_task === "disaster_recovery" ? [veleroNamespace] : []),
      ...(input.infrastructure_task === "security_hardening" ? ["external-secrets"] : []),
    ],
    // Every plan runs on the cluster its cluster_setup plan builds, with that plan's API endpoint.
    apiAccess: {
      cluster: input.cluster_name,
      cloud: input.cloud_provider,
      via: apiAccessOf(input).via,
      recovery: input.infrastructure_task === "disaster_recovery",
    },
    // The plan's Terraform creates exactly the identities its ServiceAccounts name (terraform-identities.ts).
    createdIdentities:
      input.cloud_provider === "on_premise"
        ? undefined
        : [...byIdentity].map(([identity, serviceAccounts]) => ({
            identity,
            serviceAccounts,
            readsBackups: readsBackups.has(identity),
          })),
  };
}
