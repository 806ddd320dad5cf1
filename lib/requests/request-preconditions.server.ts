import "server-only";
// The pre-conditions of a request's apply, run both by the dry-run (so an admin sees them before approving) and by
// the apply job (which stops on them): the cluster answers, each namespace's GPU ResourceQuota holds the plan, and
// the nodes the workloads select have the GPUs.
import { kubeLabelColumn, labelMapping, readNode } from "@/lib/costs/sources/label-mapping";
import { podGpuRequest } from "@/lib/k8s/cluster-inventory";
import { readLiveObjects } from "@/lib/k8s/drift.server";
import type { KubernetesClient } from "@/lib/k8s/create-client.server";
import { parseQuantity } from "@/lib/k8s/gpu-quota";
import { refOf } from "@/lib/k8s/object-ref";
import { checkClusterAccessible, checkGpuQuota } from "@/lib/k8s/preconditions.server";
import { callWithRetries } from "@/lib/k8s/retry-policy";
import type { KubernetesObject } from "@/lib/k8s/types";
import { gpuDemand } from "./gpu-demand";
import { objectKey } from "./object-identity";
import type { NameConflict } from "./name-conflicts";
import type { RequestOwnership } from "./request-ownership.server";
import {
  gpuFit,
  placementKey,
  placementOf,
  placementText,
  type GpuFit,
  type GpuNode,
  type Placement,
} from "./gpu-placement";

const gpuKinds = new Set(["Deployment", "StatefulSet", "Job", "ScaledObject"]);
// Pool names for the capacity findings, from whichever provider's node-pool label the nodes carry.
const poolLabels = labelMapping("auto");

/**
 * The plan's GPU objects that this request applied and that are live: what a re-apply finds already holding GPUs.
 * A live object of the same name that another request (or nobody) applied is replaced by the apply, so the GPUs it
 * holds are not this plan's.
 */
async function heldByThisRequest(
  client: KubernetesClient,
  objects: readonly KubernetesObject[],
  ownership: RequestOwnership,
): Promise<KubernetesObject[]> {
  const mine = objects.filter((o) => gpuKinds.has(o.kind) && ownership.own.has(objectKey(refOf(o))));
  if (!mine.length) return [];
  const live = await readLiveObjects(client, mine.map(refOf));
  return live.flatMap((l) => (l.found === true ? [l.live] : []));
}

/** GPUs the plan adds per namespace, beyond what its own objects already hold in the cluster (a re-apply). */
export async function additionalGpuDemand(
  client: KubernetesClient,
  objects: readonly KubernetesObject[],
  ownership: RequestOwnership,
) {
  const wanted = gpuDemand(objects);
  if (!wanted.length) return wanted;
  const held = new Map(gpuDemand(await heldByThisRequest(client, objects, ownership)).map((d) => [d.namespace, d]));
  return wanted.map((d) => ({
    namespace: d.namespace,
    floor: Math.max(0, d.floor - (held.get(d.namespace)?.floor ?? 0)),
    ceiling: Math.max(0, d.ceiling - (held.get(d.namespace)?.floor ?? 0)),
  }));
}

/** The GPUs the pods may use (labels, affinity and taints) against what they need: gpuFit's answer, per placement. */
export interface CapacityCheck extends GpuFit {
  /** The workloads' nodeSelector, "k=v,k=v"; "" for workloads that select no labels. */
  selector: string;
  /** Their required node affinity in words; "" when they have none. */
  affinity: string;
  /** GPUs the plan's workloads placed alike need at their minimum scale, beyond what this request holds there. */
  needed: number;
}

/** GPUs each ready, schedulable node can hold and has free (allocatable minus the GPUs its unfinished pods request). */
async function readNodeGpus(client: KubernetesClient): Promise<GpuNode[] | { error: string }> {
  const retry = { knownSecrets: client.knownSecrets };
  const [nodes, pods] = await Promise.all([
    callWithRetries(() => client.core.listNode(), retry),
    callWithRetries(
      () => client.core.listPodForAllNamespaces({ fieldSelector: "status.phase!=Succeeded,status.phase!=Failed" }),
      retry,
    ),
  ]);
  if (!nodes.ok) return { error: nodes.failure.message };
  if (!pods.ok) return { error: pods.failure.message };
  const used = new Map<string, number>();
  for (const pod of pods.value.items) {
    const node = pod.spec?.nodeName;
    if (!node || pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
    used.set(node, (used.get(node) ?? 0) + podGpuRequest(pod));
  }
  return nodes.value.items.flatMap((n) => {
    const ready = (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
    if (!ready || n.spec?.unschedulable) return [];
    const allocatable = parseQuantity(n.status?.allocatable?.["nvidia.com/gpu"]) ?? 0;
    if (allocatable <= 0) return [];
    const labels = n.metadata?.labels ?? {};
    const name = n.metadata?.name ?? "";
    return [
      {
        name,
        pool: readNode(Object.fromEntries(Object.entries(labels).map(([k, v]) => [kubeLabelColumn(k), v])), poolLabels)
          .nodePool,
        labels,
        taints: (n.spec?.taints ?? []).map((t) => ({
          key: t.key,
          ...(t.value ? { value: t.value } : {}),
          effect: t.effect,
        })),
        allocatable,
        free: Math.max(0, allocatable - (used.get(name) ?? 0)),
      },
    ];
  });
}

/**
 * Whether the nodes each GPU workload may use (its nodeSelector, required node affinity and tolerations) have the
 * GPUs now. Pod anti-affinity and topology spread are left to the scheduler: this catches a plan that cannot fit at
 * all, or not until nodes are added (a node autoscaler may add them, so it warns rather than stops the apply).
 */
async function checkGpuCapacity(
  client: KubernetesClient,
  objects: readonly KubernetesObject[],
  ownership: RequestOwnership,
): Promise<CapacityCheck[] | { error: string }> {
  const scaled = objects.filter((o) => o.kind === "ScaledObject");
  const held = new Set((await heldByThisRequest(client, objects, ownership)).map((o) => objectKey(refOf(o))));
  const byPlacement = new Map<string, { placement: Placement; needed: number }>();
  for (const o of objects) {
    if (o.kind === "ScaledObject" || !gpuKinds.has(o.kind) || held.has(objectKey(refOf(o)))) continue;
    const needed = gpuDemand([o, ...scaled]).reduce((sum, d) => sum + d.floor, 0);
    if (needed <= 0) continue;
    const placement = placementOf(o);
    const key = placementKey(placement);
    const entry = byPlacement.get(key) ?? { placement, needed: 0 };
    entry.needed += needed;
    byPlacement.set(key, entry);
  }
  if (!byPlacement.size) return [];
  const nodes = await readNodeGpus(client);
  if ("error" in nodes) return nodes;
  return [...byPlacement.values()].map(({ placement, needed }) => ({
    ...placementText(placement),
    needed,
    ...gpuFit(needed, placement, nodes),
  }));
}

export interface NamespaceQuotaCheck {
  namespace: string;
  /** GPUs the plan needs at its minimum scale (must fit) and at full scale (autoscaling stops at the quota). */
  needed: number;
  neededAtPeak: number;
  /** GPUs the namespace's tightest ResourceQuota leaves free; null when no ResourceQuota limits GPUs there. */
  left: number | null;
  quotaName: string | null;
  hard: number | null;
  used: number | null;
  verdict: "fits" | "fits_floor_only" | "exceeded";
  message: string;
}

export interface PreconditionReport {
  ok: boolean;
  /** "pass": every pre-condition holds; "warning": the apply would run but autoscaling stops at a quota; "fail": the apply would stop. */
  verdict: "pass" | "warning" | "fail";
  summary: string;
  reachability: { ok: boolean; message: string };
  quota: NamespaceQuotaCheck[];
  /** Why the quota could not be read (an API error), when it could not. */
  quotaError?: string;
  /** GPUs on the nodes each workload selects; empty when the plan requests no GPUs. */
  capacity: CapacityCheck[];
  /** Why the nodes could not be read, when they could not. */
  capacityError?: string;
  /** Names the plan would take that are taken (filled in by the dry-run, which learns from the cluster what exists). */
  conflicts: NameConflict[];
}

function namespaceCheck(
  namespace: string,
  needed: number,
  neededAtPeak: number,
  quota: { quotaName: string; hard: number; used: number } | undefined,
): NamespaceQuotaCheck {
  if (!quota)
    return {
      namespace,
      needed,
      neededAtPeak,
      left: null,
      quotaName: null,
      hard: null,
      used: null,
      verdict: "fits",
      message: `no ResourceQuota limits GPUs in ${namespace}`,
    };
  const left = Math.max(0, quota.hard - quota.used);
  const base = {
    namespace,
    needed,
    neededAtPeak,
    left,
    quotaName: quota.quotaName,
    hard: quota.hard,
    used: quota.used,
  };
  if (needed > left)
    return {
      ...base,
      verdict: "exceeded",
      message: `needs ${needed} GPUs in ${namespace}, ResourceQuota ${quota.quotaName} leaves ${left} of ${quota.hard}: lower the request or ask a platform admin to raise the quota`,
    };
  if (neededAtPeak > left)
    return {
      ...base,
      verdict: "fits_floor_only",
      message: `needs ${needed} GPUs at minimum scale (${left} of ${quota.hard} left in ResourceQuota ${quota.quotaName}), but ${neededAtPeak} at full scale: autoscaling will stop at the quota`,
    };
  return {
    ...base,
    verdict: "fits",
    message: `needs ${neededAtPeak} GPUs in ${namespace}, ResourceQuota ${quota.quotaName} leaves ${left} of ${quota.hard}`,
  };
}

/** Reachability, then the GPU quota of every namespace the plan puts GPU workloads in. Reads only. */
export async function checkRequestPreconditions(
  client: KubernetesClient,
  objects: readonly KubernetesObject[],
  ownership: RequestOwnership,
): Promise<PreconditionReport> {
  const access = await checkClusterAccessible(client);
  if (!access.ok) {
    return {
      ok: false,
      verdict: "fail",
      summary: `The cluster cannot be reached: ${access.message}`,
      reachability: { ok: false, message: access.message },
      quota: [],
      capacity: [],
      conflicts: [],
    };
  }
  const reachability = {
    ok: true,
    message: `the API server ${access.server} answers and accepts the portal's credentials`,
  };
  const demand = await additionalGpuDemand(client, objects, ownership);
  const quota: NamespaceQuotaCheck[] = [];
  for (const d of demand) {
    // One namespace at a time, so the tightest quota's numbers are those of this namespace.
    const read = await checkGpuQuota(client, [{ namespace: d.namespace, gpus: d.floor }]);
    if (!read.ok && !("namespaces" in read))
      return {
        ok: false,
        verdict: "fail",
        summary: `Could not read the GPU quota: ${read.message}`,
        reachability,
        quota,
        quotaError: read.message,
        capacity: [],
        conflicts: [],
      };
    const verdict = read.namespaces[0];
    // Asked about one namespace, so the answer has exactly one verdict.
    if (!verdict) throw new Error(`GPU quota check returned no verdict for ${d.namespace}`);
    const state = verdict.ok ? verdict.quota : { quotaName: verdict.quotaName, hard: verdict.hard, used: verdict.used };
    quota.push(namespaceCheck(d.namespace, d.floor, d.ceiling, state));
  }
  const capacityRead = await checkGpuCapacity(client, objects, ownership);
  const capacity = "error" in capacityRead ? [] : capacityRead;
  const rest = {
    reachability,
    quota,
    capacity,
    conflicts: [],
    ...("error" in capacityRead ? { capacityError: capacityRead.error } : {}),
  };
  const short = capacity.filter((c) => !c.fits);
  const shortText = short.length ? ` Not enough GPUs now: ${short.map((c) => c.message).join("; ")}.` : "";
  const exceeded = quota.filter((q) => q.verdict === "exceeded");
  if (exceeded.length)
    return {
      ok: false,
      verdict: "fail",
      summary: `GPU quota exceeded: ${exceeded.map((q) => q.message).join("; ")}. Approving now would fail at apply.${shortText}`,
      ...rest,
    };
  const capped = quota.filter((q) => q.verdict === "fits_floor_only");
  if (capped.length || short.length)
    return {
      ok: true,
      verdict: "warning",
      summary: capped.length
        ? `The apply fits, but ${capped.map((q) => q.message).join("; ")}.${shortText}`
        : `The apply fits the GPU quota.${shortText}`,
      ...rest,
    };
  return {
    ok: true,
    verdict: "pass",
    summary: quota.length
      ? `The cluster answers, every namespace's GPU quota holds the plan at full scale${capacity.length ? " and the selected nodes have the GPUs free" : ""}.`
      : "The cluster answers; the plan requests no GPUs.",
    ...rest,
  };
}
