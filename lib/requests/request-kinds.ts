// What people can request, and the plan-engine input each kind starts from. The form shows the kind's fields;
// the request stores the full plan input, so what is approved is exactly what the engine generated.
import type { InfrastructureTask, PlanInputDraft, WorkloadType } from "@/lib/plans/schema";
import { defaultNodePools } from "@/lib/plans/node-pool-defaults";
import type { CloudProvider } from "@/lib/pricing/lookup-price";

export const requestKinds = [
  "gpu_cluster",
  "node_pool",
  "inference_scaling",
  "training_job",
  "backup_schedule",
  "security_baseline",
] as const;
export type RequestKind = (typeof requestKinds)[number];

export interface RequestKindInfo {
  kind: RequestKind;
  label: string;
  description: string;
  task: InfrastructureTask;
  /** Workload type the kind is fixed to, or null when the requester picks it. */
  workload: WorkloadType | null;
  defaultWorkload: WorkloadType;
}

export const requestKindInfo: Record<RequestKind, RequestKindInfo> = {
  gpu_cluster: {
    kind: "gpu_cluster",
    label: "GPU cluster",
    description: "A new Kubernetes cluster with GPU node pools (Terraform) and its in-cluster GPU setup.",
    task: "cluster_setup",
    workload: null,
    defaultWorkload: "training",
  },
  node_pool: {
    kind: "node_pool",
    label: "GPU node pool",
    description: "Autoscaled GPU capacity (Karpenter NodePool) for training or batch work in an existing cluster.",
    task: "auto_scaling",
    workload: null,
    defaultWorkload: "training",
  },
  inference_scaling: {
    kind: "inference_scaling",
    label: "Inference scaling profile",
    description: "A model server with KEDA autoscaling on queue depth, GPU utilization and p99 latency.",
    task: "auto_scaling",
    workload: "inference",
    defaultWorkload: "inference",
  },
  training_job: {
    kind: "training_job",
    label: "Distributed training job",
    description: "A multi-node PyTorch job (Indexed Job + headless Service) with GPUs, data and checkpoint volumes.",
    task: "cluster_setup",
    workload: "training",
    defaultWorkload: "training",
  },
  backup_schedule: {
    kind: "backup_schedule",
    label: "Backups (Velero)",
    description: "A Velero backup Schedule and BackupStorageLocation, with recovery plans and RTO/RPO targets.",
    task: "disaster_recovery",
    workload: null,
    defaultWorkload: "inference",
  },
  security_baseline: {
    kind: "security_baseline",
    label: "Security baseline",
    description: "Default-deny NetworkPolicies, RBAC, External Secrets and Pod Security labels for ML namespaces.",
    task: "security_hardening",
    workload: null,
    defaultWorkload: "inference",
  },
};

/**
 * The node pools a kind starts from: the pools labelled for its workload, so an inference cluster is not priced and
 * named for training capacity it will not run (nor an inference scaling profile for the cluster's training pools).
 * Kinds that run no workload of their own (backups, security) keep every pool; with none labelled, every pool.
 */
export function nodePoolsForKind<P extends { labels?: Record<string, string> }>(
  kind: RequestKind,
  pools: P[],
  workload?: WorkloadType | null,
): P[] {
  const info = requestKindInfo[kind];
  if (kind === "backup_schedule" || kind === "security_baseline") return pools;
  const wanted = info.workload ?? workload ?? info.defaultWorkload;
  const fitting = pools.filter((p) => p.labels?.["workload-type"] === wanted);
  return fitting.length ? fitting : pools;
}

/** Forces the kind's task (and fixed workload) onto whatever plan input the form or API sent. */
export function planInputForKind(kind: RequestKind, draft: PlanInputDraft | Record<string, unknown>): PlanInputDraft {
  const info = requestKindInfo[kind];
  const given = draft as Record<string, unknown>;
  const cloud = (given.cloud_provider ?? "aws") as CloudProvider;
  const workload = (info.workload ?? given.workload_type ?? info.defaultWorkload) as WorkloadType;
  return {
    ...given,
    ...(given.node_pools === undefined
      ? { node_pools: nodePoolsForKind(kind, defaultNodePools(cloud), workload) }
      : {}),
    infrastructure_task: info.task,
    workload_type: workload,
  } as PlanInputDraft;
}

export function defaultTitle(kind: RequestKind, draft: { cluster_name?: string; workload_type?: string }): string {
  const info = requestKindInfo[kind];
  return `${info.label}${draft.workload_type && !info.workload ? ` (${draft.workload_type})` : ""} on ${draft.cluster_name ?? "ml-production"}`;
}

/**
 * The kind a plan-input draft belongs to, for links that carry only a draft (cost recommendations): their
 * node pool or scaling changes land in the request that applies them.
 */
export function kindForDraft(draft: { infrastructure_task?: unknown; workload_type?: unknown }): RequestKind {
  const inference = draft.workload_type === "inference";
  switch (draft.infrastructure_task) {
    case "cluster_setup":
      return draft.workload_type === "training" ? "training_job" : "gpu_cluster";
    case "security_hardening":
      return "security_baseline";
    case "disaster_recovery":
      return "backup_schedule";
    default: // auto_scaling, cost_optimization
      return inference ? "inference_scaling" : "node_pool";
  }
}
