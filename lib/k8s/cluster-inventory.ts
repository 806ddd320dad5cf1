// What the live cluster view shows, from the API's Node, Pod and Event lists: GPU capacity per node pool and the GPU
// pods the scheduler cannot place, with the events that say why. Pure: the caller lists the objects.
import { kubeLabelColumn, labelMapping, readNode } from "@/lib/costs/sources/label-mapping";
import { parseQuantity } from "./gpu-quota";
import type { ObjectRef } from "./object-ref";

const GPU = "nvidia.com/gpu";

interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> | null };
  spec?: { unschedulable?: boolean | null } | null;
  status?: {
    capacity?: Record<string, unknown> | null;
    allocatable?: Record<string, unknown> | null;
    conditions?: { type: string; status: string }[] | null;
  } | null;
}

interface ContainerLike {
  resources?: { requests?: Record<string, unknown> | null; limits?: Record<string, unknown> | null } | null;
}

interface PodLike {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    nodeName?: string | null;
    containers?: ContainerLike[] | null;
    initContainers?: ContainerLike[] | null;
  } | null;
  status?: {
    phase?: string | null;
    conditions?: { type: string; status: string; reason?: string | null; message?: string | null }[] | null;
  } | null;
}

interface EventLike {
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string | null;
  message?: string | null;
  type?: string | null;
  count?: number | null;
  lastTimestamp?: string | Date | null;
  eventTime?: string | Date | null;
  series?: { count?: number | null; lastObservedTime?: string | Date | null } | null;
}

export interface NodeGpus {
  name: string;
  instanceType: string | null;
  capacityType: "spot" | "on_demand" | null;
  ready: boolean;
  schedulable: boolean;
  gpuCapacity: number;
  gpuAllocatable: number;
  /** GPUs requested by the pods bound to the node that have not finished. */
  gpuAllocated: number;
}

export interface PoolGpus {
  /** The node-pool label's value, or null for nodes without one. */
  name: string | null;
  nodes: NodeGpus[];
  gpuCapacity: number;
  gpuAllocatable: number;
  gpuAllocated: number;
}

export interface PendingGpuPod {
  namespace: string;
  name: string;
  gpus: number;
  /** The scheduler's condition message, when it set one. */
  condition: string | null;
  events: { reason: string; message: string; type: string; count: number; lastSeen: string | null }[];
}

export interface ClusterInventory {
  pools: PoolGpus[];
  pendingGpuPods: PendingGpuPod[];
  totals: { nodes: number; gpuCapacity: number; gpuAllocatable: number; gpuAllocated: number };
}

const finished = (pod: PodLike) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

/** GPUs a pod asks for, as the scheduler counts them: the larger of the containers' sum and any one init container. */
export function podGpuRequest(pod: PodLike): number {
  const of = (c: ContainerLike) => parseQuantity(c.resources?.requests?.[GPU] ?? c.resources?.limits?.[GPU]) ?? 0;
  const main = (pod.spec?.containers ?? []).reduce((sum, c) => sum + of(c), 0);
  const init = Math.max(0, ...(pod.spec?.initContainers ?? []).map(of));
  return Math.max(main, init);
}

function isoOf(value: string | Date | null | undefined): string | null {
  if (!value) return null;
  return value instanceof Date ? value.toISOString() : value;
}

export function summarizeInventory(
  nodes: readonly NodeLike[],
  pods: readonly PodLike[],
  events: readonly EventLike[],
): ClusterInventory {
  const mapping = labelMapping("auto");
  const allocated = new Map<string, number>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node || finished(pod)) continue;
    allocated.set(node, (allocated.get(node) ?? 0) + podGpuRequest(pod));
  }
  const pools = new Map<string | null, PoolGpus>();
  for (const node of nodes) {
    const name = node.metadata?.name ?? "";
    const columns = Object.fromEntries(
      Object.entries(node.metadata?.labels ?? {}).map(([k, v]) => [kubeLabelColumn(k), v]),
    );
    const facts = readNode(columns, mapping);
    const entry: NodeGpus = {
      name,
      instanceType: facts.instanceType,
      capacityType: facts.capacityType,
      ready: (node.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
      schedulable: !node.spec?.unschedulable,
      gpuCapacity: parseQuantity(node.status?.capacity?.[GPU]) ?? 0,
      gpuAllocatable: parseQuantity(node.status?.allocatable?.[GPU]) ?? 0,
      gpuAllocated: allocated.get(name) ?? 0,
    };
    const pool = pools.get(facts.nodePool) ?? {
      name: facts.nodePool,
      nodes: [],
      gpuCapacity: 0,
      gpuAllocatable: 0,
      gpuAllocated: 0,
    };
    pool.nodes.push(entry);
    pool.gpuCapacity += entry.gpuCapacity;
    pool.gpuAllocatable += entry.gpuAllocatable;
    pool.gpuAllocated += entry.gpuAllocated;
    pools.set(facts.nodePool, pool);
  }
  const sortedPools = [...pools.values()]
    .map((p) => ({ ...p, nodes: p.nodes.sort((a, b) => a.name.localeCompare(b.name)) }))
    // GPU pools first (what people come for), then by name; unlabelled nodes last.
    .sort(
      (a, b) =>
        Number(b.gpuCapacity > 0) - Number(a.gpuCapacity > 0) ||
        (a.name === null ? 1 : b.name === null ? -1 : a.name.localeCompare(b.name)),
    );

  const pendingGpuPods: PendingGpuPod[] = pods
    .filter((p) => p.status?.phase === "Pending" && !p.spec?.nodeName && podGpuRequest(p) > 0)
    .map((pod) => {
      const namespace = pod.metadata?.namespace ?? "";
      const name = pod.metadata?.name ?? "";
      const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === "PodScheduled" && c.status === "False");
      const own = events
        .filter(
          (e) =>
            e.involvedObject?.kind === "Pod" &&
            e.involvedObject.name === name &&
            e.involvedObject.namespace === namespace,
        )
        .map((e) => ({
          reason: e.reason ?? "",
          message: e.message ?? "",
          type: e.type ?? "Normal",
          count: e.series?.count ?? e.count ?? 1,
          lastSeen: isoOf(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime),
        }))
        // Warnings first, newest first: the scheduler's latest word is the one that matters.
        .sort(
          (a, b) =>
            Number(b.type === "Warning") - Number(a.type === "Warning") ||
            (b.lastSeen ?? "").localeCompare(a.lastSeen ?? ""),
        );
      return { namespace, name, gpus: podGpuRequest(pod), condition: scheduled?.message ?? null, events: own };
    })
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));

  const totals = sortedPools.reduce(
    (t, p) => ({
      nodes: t.nodes + p.nodes.length,
      gpuCapacity: t.gpuCapacity + p.gpuCapacity,
      gpuAllocatable: t.gpuAllocatable + p.gpuAllocatable,
      gpuAllocated: t.gpuAllocated + p.gpuAllocated,
    }),
    { nodes: 0, gpuCapacity: 0, gpuAllocatable: 0, gpuAllocated: 0 },
  );
  return { pools: sortedPools, pendingGpuPods, totals };
}

export type LiveState = "ready" | "progressing" | "failed" | "present" | "missing" | "unknown";

interface LiveObjectLike {
  kind: string;
  metadata?: { generation?: unknown; [key: string]: unknown };
  spec?: unknown;
  status?: unknown;
}

/**
 * One word for an object's live status, as `kubectl get` would suggest it: workloads by their replicas and
 * conditions, anything with a Ready/Available condition by it, the rest "present" (it exists, no status to judge).
 */
export function liveStateOf(obj: LiveObjectLike): { state: LiveState; detail: string } {
  const status = (obj.status ?? {}) as Record<string, unknown>;
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as {
    type?: string;
    status?: string;
    reason?: string;
    message?: string;
  }[];
  const num = (v: unknown) => (typeof v === "number" ? v : 0);
  if (obj.kind === "Deployment" || obj.kind === "StatefulSet") {
    const replicas = (obj.spec as { replicas?: unknown } | null | undefined)?.replicas;
    const wanted = typeof replicas === "number" ? replicas : 1;
    const ready = num(status.readyReplicas);
    const stale =
      typeof status.observedGeneration === "number" &&
      typeof obj.metadata?.generation === "number" &&
      status.observedGeneration < obj.metadata.generation;
    if (!stale && ready >= wanted) return { state: "ready", detail: `${ready}/${wanted} ready` };
    const stuck = conditions.find((c) => c.type === "Progressing" && c.status === "False");
    if (stuck) return { state: "failed", detail: stuck.message ?? stuck.reason ?? "rollout stopped progressing" };
    return { state: "progressing", detail: `${ready}/${wanted} ready` };
  }
  if (obj.kind === "DaemonSet") {
    const wanted = num(status.desiredNumberScheduled);
    const ready = num(status.numberReady);
    return { state: ready >= wanted ? "ready" : "progressing", detail: `${ready}/${wanted} ready` };
  }
  if (obj.kind === "Job") {
    if (conditions.some((c) => c.type === "Failed" && c.status === "True"))
      return { state: "failed", detail: "failed" };
    if (conditions.some((c) => c.type === "Complete" && c.status === "True"))
      return { state: "ready", detail: "complete" };
    return { state: "progressing", detail: `${num(status.active)} active` };
  }
  if (obj.kind === "Namespace") {
    const phase = String(status.phase ?? "Active");
    return { state: phase === "Active" ? "ready" : "progressing", detail: phase };
  }
  const ready = conditions.find((c) => c.type === "Ready" || c.type === "Available");
  if (ready)
    return {
      state: ready.status === "True" ? "ready" : "progressing",
      detail: ready.message || ready.reason || `${ready.type}=${ready.status}`,
    };
  if (typeof status.phase === "string") {
    const phase = status.phase;
    return {
      state: /fail/i.test(phase)
        ? "failed"
        : /complete|available|active|bound|running/i.test(phase)
          ? "ready"
          : "progressing",
      detail: phase,
    };
  }
  return { state: "present", detail: "exists" };
}

/** The objects one request applied to a cluster, each with its live state. */
export interface RequestObjects {
  requestId: string;
  number: number;
  title: string;
  status: string;
  teamName: string;
  objects: { ref: ObjectRef; state: LiveState; detail: string }[];
}
