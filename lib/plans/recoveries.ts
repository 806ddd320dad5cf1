// The reference's recoveries as pure functions the apply flow calls when a step fails:
// quota_exceeded -> quota increase text and a smaller plan; node_provisioning_failure -> alternative instance
// types; network_policy_conflict -> the conflicting policies and a reconciled set. Every proposed plan is parsed
// again with planInputSchema, so a recovery can never propose an input the engine would refuse.
import { gpuQuotaKey } from "@/lib/k8s/gpu-quota";
import type { KubernetesObject } from "@/lib/k8s/types";
import { lookupPrice, priceTable, type InstancePrice } from "@/lib/pricing/lookup-price";
import type { PlanOutput } from "./generate-plan";
import { isGpuPool, pickWorkloadPool } from "./plan-context";
import { planInputSchema, type PlanInput, type PlanInputDraft } from "./schema";

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : {});
const gpusOf = (container: unknown) =>
  Number(
    rec(rec(rec(container).resources).requests)["nvidia.com/gpu"] ??
      rec(rec(rec(container).resources).limits)["nvidia.com/gpu"] ??
      0,
  ) || 0;

/** GPUs each namespace needs at full scale (Deployments at their ScaledObject maximum, Jobs at parallelism). */
export function requiredGpuQuota(
  output: Pick<PlanOutput, "deployment_manifests">,
): { namespace: string; gpus: number }[] {
  const objects = output.deployment_manifests;
  const scaledMax = new Map<string, number>();
  for (const o of objects) {
    if (o.kind === "ScaledObject")
      scaledMax.set(
        `${o.metadata.namespace}/${String(rec(rec(o.spec).scaleTargetRef).name)}`,
        Number(rec(o.spec).maxReplicaCount ?? 100),
      );
  }
  const totals = new Map<string, number>();
  const add = (ns: string | undefined, gpus: number) =>
    gpus > 0 && totals.set(ns ?? "default", (totals.get(ns ?? "default") ?? 0) + gpus);
  const perPod = (template: unknown) =>
    ((rec(rec(template).spec).containers as unknown[]) ?? []).reduce<number>((acc, c) => acc + gpusOf(c), 0);
  for (const o of objects) {
    const spec = rec(o.spec);
    if (o.kind === "Deployment" || o.kind === "StatefulSet") {
      const replicas = scaledMax.get(`${o.metadata.namespace}/${o.metadata.name}`) ?? Number(spec.replicas ?? 1);
      add(o.metadata.namespace, perPod(spec.template) * replicas);
    } else if (o.kind === "Job") {
      add(o.metadata.namespace, perPod(spec.template) * Number(spec.parallelism ?? 1));
    } else if (o.kind === "ScaledJob") {
      add(o.metadata.namespace, perPod(rec(spec.jobTargetRef).template) * Number(spec.maxReplicaCount ?? 100));
    }
  }
  return [...totals]
    .map(([namespace, gpus]) => ({ namespace, gpus }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace));
}

function reparse(draft: PlanInputDraft): PlanInput {
  return planInputSchema.parse(draft);
}

export interface QuotaRecovery {
  quota_increase_request: string;
  smaller_plan: PlanInput;
  changes: string[];
}

/** quota_exceeded: the text of a quota increase request, and a plan that fits in the GPUs available now. */
export function recoverQuotaExceeded(
  input: PlanInput,
  shortfall: {
    requested_gpus: number;
    available_gpus: number;
    quota?: { namespace: string; name: string; hard: number; used: number };
  },
): QuotaRecovery {
  const available = Math.max(0, Math.floor(shortfall.available_gpus));
  const pool = pickWorkloadPool(input);
  const price = lookupPrice(input.cloud_provider, pool.instance_type);
  const changes: string[] = [];
  const draft: PlanInputDraft = structuredClone(input);
  const pools = draft.node_pools!;
  const poolIndex = input.node_pools.findIndex((p) => p.name === pool.name);

  if (input.workload_type === "training") {
    const t = input.training;
    if (available >= t.gpus_per_node) {
      const nodes = Math.max(1, Math.floor(available / t.gpus_per_node));
      draft.training = { ...input.training, nodes: Math.min(t.nodes, nodes) };
      changes.push(
        `training.nodes ${t.nodes} -> ${draft.training.nodes} (WORLD_SIZE ${t.nodes * t.gpus_per_node} -> ${draft.training.nodes! * t.gpus_per_node})`,
      );
    } else {
      // Fewer GPUs than one node has: a smaller instance of the same GPU model, one node.
      const smaller = cheapestWith(input, Math.max(1, available), price?.gpuType ?? null);
      const gpus = Math.max(1, Math.min(available, smaller?.gpuCount ?? available));
      draft.training = { ...input.training, nodes: 1, gpus_per_node: gpus };
      if (smaller && smaller.instanceType !== pool.instance_type) {
        pools[poolIndex] = { ...pools[poolIndex]!, instance_type: smaller.instanceType, fallback_instance_types: [] };
        changes.push(`node pool ${pool.name}: ${pool.instance_type} -> ${smaller.instanceType}`);
      }
      changes.push(`training: 1 node x ${gpus} GPU(s)`);
    }
  } else {
    const perReplica = input.model_server.gpus_per_replica;
    const maxReplicas = Math.max(1, Math.floor(available / perReplica));
    const s = input.scale_requirements;
    draft.scale_requirements = {
      ...s,
      max_replicas: Math.min(s.max_replicas, maxReplicas),
      min_replicas: Math.min(s.min_replicas, maxReplicas),
    };
    changes.push(`scale_requirements.max_replicas ${s.max_replicas} -> ${draft.scale_requirements.max_replicas}`);
  }
  // Cap GPU node pools to what the quota can hold.
  input.node_pools.forEach((p, i) => {
    const perNode = lookupPrice(input.cloud_provider, pools[i]!.instance_type)?.gpuCount ?? 0;
    if (perNode === 0) return;
    const maxNodes = Math.max(1, Math.floor(available / perNode));
    if (maxNodes < p.max_nodes) {
      pools[i] = { ...pools[i]!, max_nodes: maxNodes, min_nodes: Math.min(p.min_nodes, maxNodes) };
      changes.push(`node pool ${p.name}: max_nodes ${p.max_nodes} -> ${maxNodes}`);
    }
  });

  // The limit that was hit is the namespace's Kubernetes ResourceQuota, which a platform admin raises with kubectl;
  // the cloud's instance quotas only matter when nodes cannot be provisioned (recoverNodeProvisioningFailure).
  const namespace = shortfall.quota?.namespace ?? input.namespaces[input.workload_type];
  const quotaName = shortfall.quota?.name ?? "<the namespace's GPU ResourceQuota>";
  const quota_increase_request = [
    `ResourceQuota increase request: namespace ${namespace}, cluster ${input.cluster_name}`,
    `Quota: ResourceQuota ${quotaName}, ${gpuQuotaKey}${shortfall.quota ? ` (hard ${shortfall.quota.hard}, used ${shortfall.quota.used})` : ""}`,
    `Requested: ${shortfall.requested_gpus} GPUs; available now: ${available}; increase needed: ${Math.max(0, shortfall.requested_gpus - available)} GPUs`,
    `See it: kubectl describe resourcequota -n ${namespace}`,
    `Who: a platform admin raises ${gpuQuotaKey} in ${quotaName} to at least ${shortfall.quota ? shortfall.quota.used + shortfall.requested_gpus : "the requested GPUs plus those used"}; or lower the request (option 2)`,
    // A training run is its ranks, not replicas: the serving scale has nothing to do with it.
    `Justification: ${
      input.workload_type === "training"
        ? `training Job ${input.training.job_name} in namespace ${namespace}: ${input.training.nodes} ranks × ${input.training.gpus_per_node} GPUs`
        : `${input.workload_type} workload in namespace ${namespace} at up to ${input.scale_requirements.max_replicas} replicas`
    }`,
  ].join("\n");
  return { quota_increase_request, smaller_plan: reparse(draft), changes };
}

function cheapestWith(input: PlanInput, gpus: number, gpuType: string | null): InstancePrice | undefined {
  const candidates = priceTable(input.cloud_provider).instances.filter((i) => i.gpuCount >= gpus);
  const sorted = [...candidates].sort((a, b) => a.onDemandHourly - b.onDemandHourly);
  return sorted.find((i) => i.gpuType === gpuType) ?? sorted[0];
}

export interface InstanceAlternative {
  instance_type: string;
  gpu_type: string | null;
  gpu_count: number;
  on_demand_hourly: number;
  hourly_delta: number;
  same_gpu_model: boolean;
}

/** node_provisioning_failure: instance types that can replace the failed one, best first, and the plan using the first. */
const cloudInstanceQuotas = {
  aws: "Service Quotas (EC2 'Running On-Demand P instances' / 'G and VT instances', counted in vCPUs)",
  gcp: "IAM & Admin > Quotas (GPUs per region, e.g. NVIDIA_A100_GPUS)",
  azure: "Subscriptions > Usage + quotas (vCPUs of the VM family)",
  on_premise: "the capacity plan of the GPU cluster owners",
} as const;

/**
 * node_provisioning_failure: instance types that can replace the failed one, best first, the plan using the first,
 * and where the cloud's instance quota is seen (an exhausted one is a common reason nodes are not provisioned).
 */
export function recoverNodeProvisioningFailure(
  input: PlanInput,
  failure: { node_pool: string; instance_type: string },
): { alternatives: InstanceAlternative[]; plan: PlanInput | null; cloud_quota_hint: string } {
  const index = input.node_pools.findIndex((p) => p.name === failure.node_pool);
  if (index < 0) throw new Error(`node pool "${failure.node_pool}" is not in this plan`);
  const pool = input.node_pools[index];
  const failed =
    lookupPrice(input.cloud_provider, failure.instance_type) ?? lookupPrice(input.cloud_provider, pool!.instance_type)!;
  const gpu = isGpuPool(input, pool!);
  const neededGpus = !gpu
    ? 0
    : pool!.name === pickWorkloadPool(input).name && input.workload_type === "training"
      ? input.training.gpus_per_node
      : Math.min(failed.gpuCount, input.model_server.gpus_per_replica);
  const alternatives = priceTable(input.cloud_provider)
    .instances.filter(
      (i) =>
        i.instanceType !== failure.instance_type &&
        (gpu ? i.gpuCount >= neededGpus && i.gpuCount > 0 : i.gpuCount === 0 && i.vcpu >= failed.vcpu / 2),
    )
    .map((i) => ({
      instance_type: i.instanceType,
      gpu_type: i.gpuType,
      gpu_count: i.gpuCount,
      on_demand_hourly: i.onDemandHourly,
      hourly_delta: Math.round((i.onDemandHourly - failed.onDemandHourly) * 10000) / 10000,
      same_gpu_model: i.gpuType === failed.gpuType,
    }))
    // Same GPU model first (no code or driver change), then by price.
    .sort((a, b) => Number(b.same_gpu_model) - Number(a.same_gpu_model) || a.on_demand_hourly - b.on_demand_hourly);
  const cloud_quota_hint = `If ${failure.instance_type} nodes were refused for capacity or quota, check the cloud's instance quota in ${input.region}: ${cloudInstanceQuotas[input.cloud_provider]}`;
  if (!alternatives.length) return { alternatives, plan: null, cloud_quota_hint };
  const draft: PlanInputDraft = structuredClone(input);
  // The pool's pods are sized for its primary type: a fallback smaller in CPU, memory or GPUs could not hold one.
  const primary = lookupPrice(input.cloud_provider, alternatives[0]!.instance_type)!;
  const holdsPod = (type: string) => {
    const p = lookupPrice(input.cloud_provider, type);
    return !!p && p.vcpu >= primary.vcpu && p.memoryGib >= primary.memoryGib && p.gpuCount >= primary.gpuCount;
  };
  draft.node_pools![index] = {
    ...draft.node_pools![index]!,
    instance_type: alternatives[0]!.instance_type,
    fallback_instance_types: alternatives
      .slice(1)
      .map((a) => a.instance_type)
      .filter(holdsPod)
      .slice(0, 3),
  };
  return { alternatives, plan: reparse(draft), cloud_quota_hint };
}

export interface PolicyConflict {
  kind: "same_name_different_spec" | "widens_default_deny";
  namespace: string;
  existing: string;
  planned?: string;
  explanation: string;
}

const key = (o: KubernetesObject) => `${o.metadata.namespace ?? "default"}/${o.metadata.name}`;

/** An allow rule with no peers and no ports lets every pod in or out: it cancels the default deny. */
function allowsEverything(policy: KubernetesObject): boolean {
  const spec = rec(policy.spec);
  const open = (rules: unknown) =>
    Array.isArray(rules) && rules.some((r) => !rec(r).from && !rec(r).to && !rec(r).ports);
  return open(spec.ingress) || open(spec.egress);
}

/** network_policy_conflict: which existing policies clash with the plan's, and the set to apply instead. */
export interface PolicyReconciliation {
  conflicts: PolicyConflict[];
  /** The policies to have in place: the plan's, plus existing ones that neither clash nor cancel default deny. */
  reconciled: KubernetesObject[];
  /** namespace/name of existing policies to delete. */
  remove: string[];
}

export function reconcileNetworkPolicies(
  existing: readonly KubernetesObject[],
  planned: readonly KubernetesObject[],
): PolicyReconciliation {
  const plannedPolicies = planned.filter((o) => o.kind === "NetworkPolicy");
  const plannedByKey = new Map(plannedPolicies.map((p) => [key(p), p]));
  const plannedNamespaces = new Set(plannedPolicies.map((p) => p.metadata.namespace ?? "default"));
  const conflicts: PolicyConflict[] = [];
  const kept: KubernetesObject[] = [];
  const remove: string[] = [];
  for (const policy of existing.filter((o) => o.kind === "NetworkPolicy")) {
    const ns = policy.metadata.namespace ?? "default";
    const same = plannedByKey.get(key(policy));
    if (same) {
      if (JSON.stringify(rec(same.spec)) !== JSON.stringify(rec(policy.spec))) {
        conflicts.push({
          kind: "same_name_different_spec",
          namespace: ns,
          existing: policy.metadata.name,
          planned: same.metadata.name,
          explanation: `Applying the plan replaces ${key(policy)}; the planned spec wins.`,
        });
      }
      continue;
    }
    if (plannedNamespaces.has(ns) && allowsEverything(policy)) {
      conflicts.push({
        kind: "widens_default_deny",
        namespace: ns,
        existing: policy.metadata.name,
        explanation: `${key(policy)} has an allow rule with no peers and no ports, which cancels default-deny-all in ${ns}: delete it or narrow it to named peers and ports.`,
      });
      remove.push(key(policy));
      continue;
    }
    kept.push(policy);
  }
  return { conflicts, reconciled: [...plannedPolicies, ...kept], remove };
}
