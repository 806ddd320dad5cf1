// Which GPU nodes a workload's pods may land on, as the scheduler decides it for a fresh pod: the node's labels
// must satisfy the pod's nodeSelector and required node affinity, and the pod must tolerate every NoSchedule and
// NoExecute taint on the node. A pre-check that counted the GPUs of nodes the pods can never use would say "fits"
// and the pods would stay Pending after approval. Pure: the caller reads the nodes.
import type { KubernetesObject } from "@/lib/k8s/types";

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface NodeRequirement {
  key: string;
  operator: string;
  values: string[];
}

/** One nodeSelectorTerm: every label expression and every field expression must hold. */
export interface AffinityTerm {
  labels: NodeRequirement[];
  fields: NodeRequirement[];
}

export interface Placement {
  nodeSelector: Record<string, string>;
  /** requiredDuringSchedulingIgnoredDuringExecution's terms (a node must match one); null when there is none. */
  requiredAffinity: AffinityTerm[] | null;
  tolerations: Toleration[];
}

export interface GpuNode {
  name: string;
  /** The node-pool label's value; null for a node without one. */
  pool: string | null;
  labels: Record<string, string>;
  taints: Taint[];
  allocatable: number;
  free: number;
}

function requirements(v: unknown): NodeRequirement[] {
  return list(v).map((r) => ({
    key: str(rec(r).key) ?? "",
    operator: str(rec(r).operator) ?? "In",
    values: list(rec(r).values).map(String),
  }));
}

/** The placement rules of a workload's pod template (Deployment, StatefulSet, Job, CronJob, DaemonSet). */
export function placementOf(o: KubernetesObject): Placement {
  const spec = rec(o.spec);
  const template = o.kind === "CronJob" ? rec(rec(rec(spec.jobTemplate).spec).template) : rec(spec.template);
  const pod = rec(template.spec);
  const terms = rec(
    rec(rec(pod.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution,
  ).nodeSelectorTerms;
  return {
    nodeSelector: Object.fromEntries(Object.entries(rec(pod.nodeSelector)).map(([k, v]) => [k, String(v)])),
    requiredAffinity: Array.isArray(terms)
      ? terms.map((t) => ({ labels: requirements(rec(t).matchExpressions), fields: requirements(rec(t).matchFields) }))
      : null,
    tolerations: list(pod.tolerations).map((t) => ({
      key: str(rec(t).key),
      operator: str(rec(t).operator),
      value: str(rec(t).value),
      effect: str(rec(t).effect),
    })),
  };
}

function requirementHolds(r: NodeRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case "In":
      return value !== undefined && r.values.includes(value);
    case "NotIn":
      return value === undefined || !r.values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      const have = Number(value);
      const bound = Number(r.values[0]);
      if (value === undefined || !Number.isInteger(have) || !Number.isInteger(bound)) return false;
      return r.operator === "Gt" ? have > bound : have < bound;
    }
    default:
      // An operator the API server would refuse: it selects no node.
      return false;
  }
}

function termHolds(term: AffinityTerm, node: Pick<GpuNode, "name" | "labels">): boolean {
  // An empty term selects no node (the API's rule), so a term must say something to match.
  if (!term.labels.length && !term.fields.length) return false;
  return (
    term.labels.every((r) => requirementHolds(r, node.labels[r.key])) &&
    term.fields.every((r) => requirementHolds(r, r.key === "metadata.name" ? node.name : undefined))
  );
}

/** Whether the toleration matches the taint (the scheduler's rule: key, then value unless Exists, then effect). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  const exists = t.operator === "Exists";
  // An empty key with Exists tolerates every taint.
  if (!t.key) return exists;
  if (t.key !== taint.key) return false;
  return exists || (t.value ?? "") === (taint.value ?? "");
}

/** The first taint that keeps the pods off the node: NoSchedule or NoExecute, tolerated by none of them. */
export function blockingTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | null {
  return (
    taints.find(
      (taint) =>
        (taint.effect === "NoSchedule" || taint.effect === "NoExecute") &&
        !tolerations.some((t) => tolerates(t, taint)),
    ) ?? null
  );
}

/** Why the node's labels do not satisfy the placement (the first selector label or affinity that fails), or null. */
export function selectorMismatch(placement: Placement, node: Pick<GpuNode, "name" | "labels">): string | null {
  for (const [key, value] of Object.entries(placement.nodeSelector).sort(([a], [b]) => a.localeCompare(b))) {
    const have = node.labels[key];
    if (have !== value)
      return `nodeSelector ${key}=${value} (${have === undefined ? "no such label" : `${key}=${have}`})`;
  }
  if (placement.requiredAffinity && !placement.requiredAffinity.some((t) => termHolds(t, node)))
    return `required node affinity ${affinityText(placement.requiredAffinity)}`;
  return null;
}

function requirementText(r: NodeRequirement): string {
  if (r.operator === "Exists" || r.operator === "DoesNotExist") return `${r.key} ${r.operator}`;
  if (r.operator === "Gt" || r.operator === "Lt") return `${r.key} ${r.operator === "Gt" ? ">" : "<"} ${r.values[0]}`;
  return `${r.key} ${r.operator} (${r.values.join(", ")})`;
}

export function affinityText(terms: readonly AffinityTerm[]): string {
  return terms.map((t) => [...t.labels, ...t.fields].map(requirementText).join(" and ") || "(empty term)").join(" or ");
}

export const taintText = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`;

/** What the pods select, in words: "workload-type=training", plus the affinity when there is one. */
export function placementText(p: Placement): { selector: string; affinity: string } {
  return {
    selector: Object.entries(p.nodeSelector)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(","),
    affinity: p.requiredAffinity ? affinityText(p.requiredAffinity) : "",
  };
}

/** Placements that schedule alike are checked together. */
export function placementKey(p: Placement): string {
  const { selector, affinity } = placementText(p);
  const tolerations = p.tolerations
    .map((t) => `${t.key ?? ""}|${t.operator ?? ""}|${t.value ?? ""}|${t.effect ?? ""}`)
    .sort()
    .join(";");
  return `${selector}#${affinity}#${tolerations}`;
}

/** A pool with GPUs the pods cannot use, and why: its nodes' labels, or a taint the pods do not tolerate. */
export interface ExcludedPool {
  pool: string;
  reason: "selector" | "taint";
  /** The selector or affinity the nodes fail, or the taint ("key=value:Effect"). */
  detail: string;
  /** The taint, when it is a taint that keeps the pods off. */
  taint?: Taint;
  allocatable: number;
  free: number;
}

export interface GpuFit {
  /** GPUs on the nodes the pods may use: all of them, and those no running pod requests. */
  allocatable: number;
  free: number;
  /** Every GPU node's GPUs, for the message when none is usable. */
  clusterAllocatable: number;
  clusterFree: number;
  fits: boolean;
  excluded: ExcludedPool[];
  message: string;
}

function tolerationFix(taint: Taint): string {
  return `add the toleration {key: ${taint.key}, operator: ${taint.value ? "Equal" : "Exists"}${taint.value ? `, value: ${taint.value}` : ""}, effect: ${taint.effect}} to the pod template`;
}

function exclusionText(e: ExcludedPool): string {
  const gpus = `${e.free} of ${e.allocatable} GPUs free`;
  return e.reason === "taint"
    ? `pool ${e.pool} (${gpus}) has the taint ${e.detail} the pods do not tolerate: to use it, ${tolerationFix(e.taint ?? { key: "", effect: "" })}`
    : `pool ${e.pool} (${gpus}) is outside the pods' ${e.detail}: to use it, change the nodeSelector or node affinity to include it`;
}

/**
 * Whether `needed` GPUs fit on the nodes the placement lets the pods use, and, when they do not, which pools hold
 * GPUs the pods cannot use and what would let them (a toleration, a wider selector) or else that nodes are needed.
 */
export function gpuFit(needed: number, placement: Placement, nodes: readonly GpuNode[]): GpuFit {
  const usable: GpuNode[] = [];
  const excludedByPool = new Map<string, ExcludedPool>();
  for (const node of nodes) {
    const mismatch = selectorMismatch(placement, node);
    const taint = mismatch ? null : blockingTaint(node.taints, placement.tolerations);
    if (!mismatch && !taint) {
      usable.push(node);
      continue;
    }
    const reason = mismatch ? "selector" : "taint";
    const detail = mismatch ?? taintText(taint!);
    const pool = node.pool ?? `(node ${node.name})`;
    const key = `${pool}#${reason}#${detail}`;
    const entry = excludedByPool.get(key) ?? {
      pool,
      reason,
      detail,
      ...(taint ? { taint } : {}),
      allocatable: 0,
      free: 0,
    };
    entry.allocatable += node.allocatable;
    entry.free += node.free;
    excludedByPool.set(key, entry);
  }
  const sum = (ns: readonly GpuNode[], f: (n: GpuNode) => number) => ns.reduce((s, n) => s + f(n), 0);
  const allocatable = sum(usable, (n) => n.allocatable);
  const free = sum(usable, (n) => n.free);
  const clusterAllocatable = sum(nodes, (n) => n.allocatable);
  const clusterFree = sum(nodes, (n) => n.free);
  // Taints first (the usual surprise: GPU nodes are tainted), then by free GPUs.
  const excluded = [...excludedByPool.values()].sort(
    (a, b) =>
      (a.reason === b.reason ? 0 : a.reason === "taint" ? -1 : 1) || b.free - a.free || a.pool.localeCompare(b.pool),
  );
  const { selector, affinity } = placementText(placement);
  const where =
    [selector && `nodes labelled ${selector}`, affinity && `nodes matching ${affinity}`].filter(Boolean).join(", ") ||
    "the cluster's nodes";
  const fits = needed <= free;
  const fit = { allocatable, free, clusterAllocatable, clusterFree, fits, excluded };
  if (fits)
    return { ...fit, message: `needs ${needed} GPUs on ${where}; the pods can use ${allocatable}, ${free} free` };
  const usableText = usable.length
    ? `the nodes the pods can use have ${allocatable}, ${free} free (the cluster has ${clusterAllocatable}, ${clusterFree} free)`
    : `no GPU node accepts the pods (the cluster has ${clusterAllocatable}, ${clusterFree} free)`;
  // Only pools whose GPUs would change the answer are worth a fix.
  const worth = excluded.filter((e) => e.free > 0);
  const fixes = worth.length ? `; ${worth.map(exclusionText).join("; ")}` : "";
  return {
    ...fit,
    message: `needs ${needed} GPUs on ${where}; ${usableText}${fixes}; otherwise the pods stay Pending until nodes the pods can use are added`,
  };
}
