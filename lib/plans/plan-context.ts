// Names and scheduling facts every builder shares, derived once from the parsed input so that manifests,
// Terraform and runbooks all use the same names.
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { nodeRoom, nodeShape } from "./node-allocatable";
import type { NodePool, PlanInput, WorkloadType } from "./schema";

export interface PlanContext {
  input: PlanInput;
  /** Namespace the chosen workload runs in. */
  workloadNamespace: string;
  /** Node pool the workload is scheduled on. */
  workloadPool: NodePool;
  gpuPools: NodePool[];
  /** Labels stamped on every object so `kubectl get -l` finds this plan's objects. */
  commonLabels: Record<string, string>;
}

export function isGpuPool(input: Pick<PlanInput, "cloud_provider">, pool: NodePool): boolean {
  return (lookupPrice(input.cloud_provider, pool.instance_type)?.gpuCount ?? 0) > 0;
}

/**
 * The pool whose `workload-type` label matches the workload, preferring GPU pools; batch and streaming run on
 * the inference pool by default because they serve models too.
 */
export function pickWorkloadPool(
  input: Pick<PlanInput, "cloud_provider" | "node_pools" | "workload_type">,
  workload: WorkloadType = input.workload_type,
): NodePool {
  const wanted = workload === "training" ? "training" : workload;
  const gpu = input.node_pools.filter((p) => isGpuPool(input, p));
  return (
    gpu.find((p) => p.labels["workload-type"] === wanted) ??
    gpu.find((p) => p.labels["workload-type"] === (workload === "training" ? "training" : "inference")) ??
    gpu[0] ??
    // The plan schema requires at least one node pool.
    input.node_pools[0]!
  );
}

export function buildPlanContext(input: PlanInput): PlanContext {
  return {
    input,
    workloadNamespace: input.namespaces[input.workload_type],
    workloadPool: pickWorkloadPool(input),
    gpuPools: input.node_pools.filter((p) => isGpuPool(input, p)),
    commonLabels: {
      "app.kubernetes.io/part-of": "ml-platform",
      "app.kubernetes.io/managed-by": "ml-infra-portal",
      "ml-platform/cluster": input.cluster_name,
    },
  };
}

export function labelsFor(ctx: PlanContext, name: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...ctx.commonLabels, "app.kubernetes.io/name": name, ...extra };
}

export type Taint = NodePool["taints"][number];

/**
 * Taints the cloud puts on a pool's nodes by itself, on top of the pool's own: AKS taints every spot node
 * (https://learn.microsoft.com/azure/aks/spot-node-pool), GKE every GPU node
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus). A pod that does not tolerate them never lands there.
 * GKE only labels the nodes of a Standard spot pool cloud.google.com/gke-spot=true
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/spot-vms): their gke-spot taint is the pool's own, when set.
 */
export function cloudTaints(input: PlanInput, pool: NodePool): Taint[] {
  const added: Taint[] = [];
  if (input.cloud_provider === "azure" && pool.capacity_type === "spot")
    added.push({ key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" });
  if (input.cloud_provider === "gcp" && isGpuPool(input, pool))
    added.push({ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" });
  return added;
}

/** Every taint a pool's nodes carry: the pool's own and the cloud's, without duplicates. */
export function poolTaints(input: PlanInput, pool: NodePool): Taint[] {
  const all = [...pool.taints];
  for (const t of cloudTaints(input, pool)) {
    if (!all.some((o) => o.key === t.key && o.effect === t.effect)) all.push(t);
  }
  return all;
}

/** nodeSelector and tolerations that place a pod on a node pool, whatever labels and taints it (or its cloud) sets. */
export function schedulingFor(input: PlanInput, pool: NodePool) {
  // Fallback types with another GPU model label their nodes with that model (see build-karpenter.ts), so a pod
  // that may use the fallbacks cannot also select the primary's accelerator label.
  const gpuModels = new Set(
    [pool.instance_type, ...pool.fallback_instance_types].map(
      (t) => lookupPrice(input.cloud_provider, t)?.gpuType ?? null,
    ),
  );
  const { accelerator: _accelerator, ...rest } = pool.labels;
  return {
    nodeSelector: gpuModels.size > 1 && input.cloud_provider === "aws" ? rest : { ...pool.labels },
    tolerations: poolTaints(input, pool).map((t) =>
      t.value
        ? { key: t.key, operator: "Equal", value: t.value, effect: t.effect }
        : { key: t.key, operator: "Exists", effect: t.effect },
    ),
  };
}

/** key=value:effect, or key:effect for a key-only taint: the kubectl syntax that AKS, the kubelet and runbooks use. */
export function taintString(t: NodePool["taints"][number]): string {
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

// The restricted Pod Security Standard, applied to every workload the engine writes.
export const restrictedPodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: 10001,
  runAsGroup: 10001,
  fsGroup: 10001,
  seccompProfile: { type: "RuntimeDefault" },
};

export const restrictedContainerSecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
};

/**
 * A writable HOME and cache directories for a container whose root filesystem is read-only: Hugging Face, vLLM,
 * Triton's Python backend, PyTorch and pip all write under HOME (~/.cache, ~/.triton, ~/.config) and fail at start
 * when it is not writable. The volume is an emptyDir the container mounts at /home/app.
 */
export const writableHome = {
  volume: { name: "home", emptyDir: { sizeLimit: "20Gi" } },
  mount: { name: "home", mountPath: "/home/app" },
  env: [
    { name: "HOME", value: "/home/app" },
    { name: "XDG_CACHE_HOME", value: "/home/app/.cache" },
    { name: "HF_HOME", value: "/home/app/.cache/huggingface" },
    { name: "TRITON_CACHE_DIR", value: "/home/app/.triton" },
  ],
};

/**
 * CPU and memory a pod may request on a node type: ~85% of the node, and never more than the node's room after
 * kubelet reservations and per-node DaemonSets (node-allocatable.ts), which is the smaller on 16 GiB GPU nodes.
 */
export function podShareOfNode(input: PlanInput, pool: NodePool, fraction = 1): { cpu: string; memory: string } {
  const shape = nodeShape(input.cloud_provider, pool.instance_type) ?? {
    instanceType: pool.instance_type,
    vcpu: 4,
    memoryGib: 16,
    gpus: 0,
    efa: 0,
  };
  const room = nodeRoom(shape);
  const cpu = Math.min(shape.vcpu * 0.85, room.cpu) * fraction;
  const memory = Math.min(shape.memoryGib * 0.85, room.memoryGib) * fraction;
  return {
    cpu: String(Math.max(1, Math.floor(cpu))),
    memory: `${Math.max(1, Math.floor(memory))}Gi`,
  };
}

/** StorageClass offering ReadWriteMany on each cloud (shared datasets and checkpoints across ranks). */
export const sharedStorageClass: Record<PlanInput["cloud_provider"], string> = {
  aws: "efs-sc",
  gcp: "standard-rwx",
  azure: "azurefile-csi-premium",
  on_premise: "nfs-client",
};

/**
 * StorageClasses the cloud itself provides on a new cluster: EKS gp2; GKE's Persistent Disk classes and, with the
 * Filestore CSI add-on, the -rwx classes; AKS's built-in disk and file classes. Nothing on premises. EFS has no
 * built-in class on EKS: efs-sc exists only where something (this portal's EKS Terraform) creates it.
 */
export const cloudStorageClasses: Record<PlanInput["cloud_provider"], string[]> = {
  aws: ["gp2"],
  gcp: ["standard", "standard-rwo", "premium-rwo", "standard-rwx", "premium-rwx", "enterprise-rwx"],
  azure: [
    "default",
    "managed",
    "managed-premium",
    "managed-csi",
    "managed-csi-premium",
    "azurefile",
    "azurefile-premium",
    "azurefile-csi",
    "azurefile-csi-premium",
  ],
  on_premise: [],
};

/**
 * StorageClasses a cluster built by this portal's cluster_setup plan has: the cloud's own, plus efs-sc, which the
 * EKS Terraform creates with the EFS CSI add-on and file system, gp3, which it creates with the EBS CSI add-on, and nfs-client, which the on-premises checklist
 * requires.
 */
export const clusterStorageClasses: Record<PlanInput["cloud_provider"], string[]> = {
  aws: [...cloudStorageClasses.aws, "efs-sc", "gp3"],
  gcp: cloudStorageClasses.gcp,
  azure: cloudStorageClasses.azure,
  on_premise: ["nfs-client"],
};

/**
 * A GCP service account id (6-30 characters, lowercase letters, digits and '-', starting with a letter): the
 * name is cut so that "<name>-<suffix>" fits, since cluster and workload names may be up to 40 and 50 long.
 */
export function gcpServiceAccountId(name: string, suffix?: string): string {
  const room = 30 - (suffix ? suffix.length + 1 : 0);
  const head = name
    .replace(/^[^a-z]+/, "")
    .slice(0, room)
    .replace(/-+$/, "");
  const id = suffix ? `${head}-${suffix}` : head;
  return id.length >= 6 ? id : `${id}-sa`.replace(/^-/, "").padEnd(6, "0");
}

/**
 * Where a small pod that needs no GPU runs (a backup reader, the batch queue's Redis): the first pool without GPUs,
 * tolerating that pool's taints only; with none, the workload's pool. Never a wildcard toleration, which would let
 * it land on (and keep awake) a GPU node.
 */
export function utilityPlacement(ctx: PlanContext): Record<string, unknown> {
  const { input } = ctx;
  const pool = input.node_pools.find((p) => !ctx.gpuPools.includes(p)) ?? ctx.workloadPool;
  const tolerations = poolTaints(input, pool).map((t) => ({
    key: t.key,
    operator: t.value ? "Equal" : "Exists",
    ...(t.value ? { value: t.value } : {}),
    effect: t.effect,
  }));
  return {
    ...(Object.keys(pool.labels).length > 0 ? { nodeSelector: { ...pool.labels } } : {}),
    ...(tolerations.length > 0 ? { tolerations } : {}),
  };
}
