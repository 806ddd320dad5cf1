// What the EKS, GKE and AKS generators agree on about a node pool's Terraform. Each generator still renders its
// own resource: the providers shape a node pool too differently (a module map entry, a resource with nested
// blocks, a resource with flat attributes) for one renderer to read well, and the pool's own fields (min/max
// nodes, labels, disk, capacity type) are already cloud-neutral as nodePoolSchema parses them.
import type { NodePool } from "./schema";

/** The pool's Terraform label (its resource name, or its key in EKS's node-group map): hyphens become underscores. */
export function terraformPoolLabel(pool: NodePool): string {
  return pool.name.replace(/-/g, "_");
}

/** Taint effects as the EKS and GKE APIs spell them; AKS takes the kubectl spelling instead (see taintString). */
export const providerTaintEffect = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
} as const;
