// Pure helpers of the request form: defaults, which sections a kind shows, URL drafts laid over defaults (the link format is lib/requests/draft-link.ts), and the preview's text.
import { defaultNodePools, defaultRegions } from "@/lib/plans/node-pool-defaults";
import {
  nodePoolSchema,
  planInputSchema,
  type PlanInput,
  type PlanInputDraft,
  workloadTypes,
  type WorkloadType,
} from "@/lib/plans/schema";
import type { CloudProvider } from "@/lib/pricing/lookup-price";
import { nodePoolsForKind, planInputForKind, requestKinds, type RequestKind } from "@/lib/requests/request-kinds";

export type FormSection =
  | "basics"
  | "workload"
  | "scale"
  | "node_pools"
  | "model_server"
  | "autoscaling"
  | "training"
  | "disaster_recovery"
  | "namespaces";

const sections: Record<RequestKind, FormSection[]> = {
  gpu_cluster: ["basics", "workload", "node_pools", "scale"],
  node_pool: ["basics", "workload", "node_pools", "scale"],
  inference_scaling: ["basics", "scale", "model_server", "autoscaling", "node_pools"],
  training_job: ["basics", "training", "node_pools"],
  backup_schedule: ["basics", "workload", "disaster_recovery"],
  security_baseline: ["basics", "workload", "namespaces"],
};

export function sectionsForKind(kind: RequestKind): FormSection[] {
  return sections[kind];
}

export function isRequestKind(value: string | null | undefined): value is RequestKind {
  return (requestKinds as readonly string[]).includes(value ?? "");
}

/**
 * The form's first maximum replica count. The schema's default (what the pool holds at its largest, up to 100) is a
 * ceiling for an API caller who omits it; a person's first model server starts small and grows after watching load.
 * Four one-GPU replicas fit the demo sandbox's ml-inference quota (8 GPUs, 2 used by llm-server), so the dry-run of
 * a form left as it is passes instead of warning that autoscaling will stop at the quota.
 */
export const FORM_DEFAULT_MAX_REPLICAS = 4;

/** Every field of the plan input filled with the schema's defaults for the kind (and cloud). */
export function defaultInputFor(kind: RequestKind, cloud: CloudProvider = "aws", workload?: WorkloadType): PlanInput {
  const input = planInputSchema.parse(
    planInputForKind(kind, {
      infrastructure_task: "cluster_setup",
      cloud_provider: cloud,
      ...(workload ? { workload_type: workload } : {}),
    }),
  );
  const scale = input.scale_requirements;
  const maxReplicas = Math.min(scale.max_replicas, Math.max(FORM_DEFAULT_MAX_REPLICAS, scale.min_replicas, 1));
  return { ...input, scale_requirements: { ...scale, max_replicas: maxReplicas } };
}

/** What the form's defaults depend on: the kind, and the workload the requester picked (kinds that fix it ignore it). */
export interface PoolChoice {
  kind: RequestKind;
  workload?: WorkloadType | null;
}

/** The node pools and region of another cloud: instance types differ per cloud, so they cannot be kept. */
export function cloudDefaults(
  cloud: CloudProvider,
  kind?: RequestKind,
  workload?: WorkloadType | null,
): { region: string; node_pools: PlanInput["node_pools"] } {
  const pools = defaultNodePools(cloud).map((p) => nodePoolSchema.parse(p));
  return { region: defaultRegions[cloud], node_pools: kind ? nodePoolsForKind(kind, pools, workload) : pools };
}

/**
 * When the kind or the workload changes, untouched node pools (still the previous choice's defaults) become the new
 * choice's defaults; returns null to keep what the requester edited.
 */
export function nodePoolsAfterChange(
  current: unknown,
  cloud: CloudProvider,
  from: PoolChoice,
  to: PoolChoice,
): PlanInput["node_pools"] | null {
  const before = cloudDefaults(cloud, from.kind, from.workload).node_pools;
  const after = cloudDefaults(cloud, to.kind, to.workload).node_pools;
  if (JSON.stringify(before) === JSON.stringify(after)) return null;
  return JSON.stringify(current) === JSON.stringify(before) ? after : null;
}

/**
 * The title after the kind, workload or cluster changed: the new default while the title is still the previous
 * default (the requester has not written one), else null to keep what they wrote.
 */
export function titleAfterChange(current: string, previousDefault: string, nextDefault: string): string | null {
  return current === previousDefault && current !== nextDefault ? nextDefault : null;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Draft values over defaults, object by object; arrays and scalars in the draft replace the default. */
export function mergeDraft<T extends Record<string, unknown>>(defaults: T, draft: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(draft)) {
    out[key] =
      isPlainObject(value) && isPlainObject(out[key]) ? mergeDraft(out[key] as Record<string, unknown>, value) : value;
  }
  return out as T;
}

/** The starting input of the form: defaults for the kind, with a URL draft laid over them. */
export function initialInput(kind: RequestKind, draft: Record<string, unknown> | null): PlanInputDraft {
  const cloud =
    draft &&
    typeof draft.cloud_provider === "string" &&
    ["aws", "gcp", "azure", "on_premise"].includes(draft.cloud_provider)
      ? (draft.cloud_provider as CloudProvider)
      : "aws";
  // A draft's workload (a recommendation's inference pool) picks the default pools the draft is laid over.
  const workload = workloadTypes.find((w) => w === draft?.workload_type);
  const defaults: Record<string, unknown> = defaultInputFor(kind, cloud, workload);
  return planInputForKind(kind, draft ? mergeDraft(defaults, draft) : defaults);
}

/**
 * A field name the form knows from an API error path: "input.node_pools.0.max_nodes" stays as it is,
 * "input.node_pools[0].max_nodes" (the plan engine's own format) is converted, "(root)" becomes null.
 */
export function formFieldFromApiPath(path: string): string | null {
  if (!path || path === "(root)") return null;
  return path.replace(/\[(\d+)\]/g, ".$1").replace(/^\./, "");
}

export function formatUsd(value: number, digits = 0): string {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: "USD",
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
}
