// What the viability checker knows beyond the objects themselves: the node pools the pods can land on and the
// StorageClasses the cluster provides. From a plan these come from its input; from a bare manifest set (portal
// scan) only Karpenter NodePools in the set, and the cloud's classes when the caller names the cloud.
import type { KubernetesObject } from "@/lib/k8s/types";
import { asArray, asRecord } from "@/lib/security/pod-specs";
import type { ApiAccess } from "../api-access";
import { cpuCores, memoryGib, nodeShape, type NodeShape } from "../node-allocatable";

export interface TaintFact {
  key: string;
  value?: string;
  effect: string;
}

export interface PoolFact {
  name: string;
  /** How a person finds it: "node_pools[1] gpu-training" or "NodePool/gpu-training". */
  source: string;
  labels: Record<string, string>;
  taints: TaintFact[];
  maxNodes?: number;
  gpusPerNode?: number;
  /** Whether the pool's nodes may be spot (reclaimable) capacity. */
  spot?: boolean;
  /** Karpenter's spec.limits["nvidia.com/gpu"]. */
  gpuLimit?: number;
  /** The instance types its nodes may be, primary first (the rest are fallbacks); undefined when unknown. */
  nodeShapes?: NodeShape[];
  /** Nodes a managed node group keeps under a Karpenter pool (its floor, outside the NodePool's limits). */
  minNodes?: number;
  /** Karpenter's spec.limits cpu (cores), memory (GiB) and nvidia.com/gpu. */
  limits?: { cpu?: number; memoryGib?: number; gpus?: number };
  /** Karpenter's spec.weight (0 when unset). */
  weight?: number;
  /**
   * Whether the cloud upgrades the pool's nodes by itself (GKE node auto-upgrade, AKS node OS channel), and the
   * maintenance settings that confine when; undefined when the cloud does not (EKS managed node groups, on premises).
   */
  managedUpgrades?: { by: string; confinedBy?: string };
  /**
   * GKE/AKS GPU pools whose machine type can be placed close together (COMPACT placement, proximity placement
   * group): whether the cluster's Terraform does; undefined elsewhere.
   */
  colocated?: boolean;
  /** Karpenter NodePool only: spec.template.spec.expireAfter and spec.disruption.consolidationPolicy. */
  expireAfter?: string;
  consolidationPolicy?: string;
  karpenter?: KubernetesObject;
}

export interface VolumeFact {
  namespace: string;
  claim: string;
  storageClass: string;
  /** Only Jobs mount it (training checkpoints): no running pod exposes it to Velero's file-system backup. */
  jobOnly?: boolean;
}

export interface ViabilityFacts {
  pools: PoolFact[];
  /** True when `pools` is every pool of the cluster, so a pod that matches none of them cannot schedule. */
  poolsComplete: boolean;
  /** Classes the cluster provides without this object set; undefined when unknown (the rule then checks nothing). */
  providedStorageClasses?: string[];
  /** Volumes that live in the cluster outside this object set (a backup plan's workloads). */
  externalVolumes: VolumeFact[];
  /**
   * Claims ("namespace/name") the set mounts without creating them, which the plan's `requires` names as created
   * before it (by the cluster_setup plan); undefined when unknown (the rule then checks nothing).
   */
  requiredClaims?: string[];
  /** StorageClasses whose volumes are backed up natively outside Velero (AWS Backup of EFS); undefined when unknown. */
  nativeBackupClasses?: string[];
  /** Extended resources the cluster advertises without this object set's device plugins; undefined when unknown. */
  providedResources?: string[];
  /** Exporters outside the set that run and are scraped ("dcgm"); undefined when unknown. */
  scrapedExporters?: string[];
  /** The DCGM exporter's scrape keeps the workload's pod/namespace labels (ServiceMonitor honorLabels). */
  dcgmHonorLabels?: boolean;
  /** host:port of in-cluster services (Redis) the plan installs; undefined when unknown. */
  providedServices?: string[];
  /** The address of the Prometheus that scrapes the set's PodMonitors; undefined when unknown. */
  prometheusAddress?: string;
  /**
   * Namespaces on the cluster before the set is applied (kube-system, those the plan's Helm releases create);
   * undefined when unknown (the rule then checks nothing).
   */
  existingNamespaces?: string[];
  /** Cloud identities the plan creates, each with the ServiceAccounts ("namespace/name") bound to it; undefined when unknown. */
  createdIdentities?: { identity: string; serviceAccounts: string[]; readsBackups?: boolean }[];
  /** How kubectl reaches the cluster's API from outside its network (api-access.ts); undefined when unknown. */
  apiAccess?: {
    cluster: string;
    cloud: string;
    via: ApiAccess["via"];
    /** The plan's recovery runs helm, velero and kubectl on local files, which az aks command invoke cannot carry. */
    recovery?: boolean;
  };
}

export const noFacts: ViabilityFacts = { pools: [], poolsComplete: false, externalVolumes: [] };

/** Classes whose volumes are file shares: cloud snapshots cannot capture them, only Velero's file-system backup. */
export const fileStorageClassPattern = /^(efs|.*-rwx$|azurefile|nfs)/;
const fileProvisioners = [
  "efs.csi.aws.com",
  "filestore.csi.storage.gke.io",
  "file.csi.azure.com",
  "nfs.csi.k8s.io",
  "cluster.local/nfs-subdir-external-provisioner",
];

export function isFileStorageClass(name: string, objects: readonly KubernetesObject[]): boolean {
  const declared = objects.find((o) => o.kind === "StorageClass" && o.metadata.name === name);
  const provisioner = declared ? String((declared as Record<string, unknown>).provisioner ?? "") : "";
  return fileStorageClassPattern.test(name) || fileProvisioners.includes(provisioner) || provisioner.includes("nfs");
}

const quantityNumber = (v: unknown) =>
  typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;

/** Pools that Karpenter NodePools in the set describe. */
export function karpenterPools(objects: readonly KubernetesObject[]): PoolFact[] {
  return objects
    .filter((o) => o.kind === "NodePool" && o.apiVersion.startsWith("karpenter.sh/"))
    .map((o) => {
      const spec = asRecord(o.spec) ?? {};
      const template = asRecord(spec.template) ?? {};
      const templateSpec = asRecord(template.spec) ?? {};
      const labels = (asRecord(asRecord(template.metadata)?.labels) ?? {}) as Record<string, string>;
      const taints = asArray(templateSpec.taints)
        .map((t) => asRecord(t) ?? {})
        .map((t) => ({
          key: String(t.key ?? ""),
          value: typeof t.value === "string" ? t.value : undefined,
          effect: String(t.effect ?? ""),
        }));
      const capacity = asArray(templateSpec.requirements)
        .map((r) => asRecord(r) ?? {})
        .find((r) => r.key === "karpenter.sh/capacity-type");
      const types = asArray(templateSpec.requirements)
        .map((r) => asRecord(r) ?? {})
        .filter((r) => r.key === "node.kubernetes.io/instance-type" && r.operator === "In")
        .flatMap((r) => asArray(r.values).map(String));
      // Karpenter runs on AWS (and AKS, whose NodePools name SKUs through other keys): the AWS table sizes them.
      const shapes = types.map((t) => nodeShape("aws", t));
      const limits = asRecord(spec.limits) ?? {};
      return {
        name: o.metadata.name,
        source: `NodePool/${o.metadata.name}`,
        nodeShapes: types.length > 0 && shapes.every((s) => s !== undefined) ? (shapes as NodeShape[]) : undefined,
        limits: {
          cpu: cpuCores(limits.cpu),
          memoryGib: memoryGib(limits.memory),
          gpus: quantityNumber(limits["nvidia.com/gpu"]),
        },
        weight: typeof spec.weight === "number" ? spec.weight : 0,
        // No capacity-type requirement: Karpenter launches on-demand only.
        spot: capacity ? asArray(capacity.values).includes("spot") && capacity.operator !== "NotIn" : false,
        labels: { ...labels },
        taints,
        gpuLimit: quantityNumber(asRecord(spec.limits)?.["nvidia.com/gpu"]),
        expireAfter: typeof templateSpec.expireAfter === "string" ? templateSpec.expireAfter : "720h",
        consolidationPolicy: String(asRecord(spec.disruption)?.consolidationPolicy ?? "WhenEmptyOrUnderutilized"),
        karpenter: o,
      };
    });
}
