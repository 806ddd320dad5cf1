// Names a request's plan would take that are already taken: an object another request applied, an object another
// open request would create, or an object already in the cluster that no request applied (made by hand, by Helm,
// by another tool). Applying would overwrite it, and reverting either owner would delete the other's object; so
// the dry-run shows each before approval with the way out. Pure: the caller reads the dry-run, the apply rows and
// the open requests.
import { describeRef, refOf, type ObjectRef } from "@/lib/k8s/object-ref";
import type { KubernetesObject } from "@/lib/k8s/types";
import { isDeepStrictEqual } from "node:util";
import { objectKey } from "./object-identity";

export interface NameConflict {
  ref: ObjectRef;
  /** applied: another request applied it; open: another open request would create it; unmanaged: in the cluster, no request applied it. */
  source: "applied" | "open" | "unmanaged";
  owners: { number: number }[];
  /** A workload (it runs pods): taking it over replaces what the other owner runs, so the apply must not go ahead. */
  blocking: boolean;
  message: string;
}

const workloadKinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ScaledObject"]);
// Namespaces are shared on purpose: every request of a team lands in the team's namespaces.
const sharedKinds = new Set(["Namespace"]);

const noun = (kind: string) => (kind === "Job" ? "job" : workloadKinds.has(kind) ? "workload" : "object");
const numbers = (owners: readonly { number: number }[]) => owners.map((o) => `REQ-${o.number}`).join(", ");

/** A plan object another request applied and this one would change: approving would overwrite that request's object. */
export function appliedConflict(ref: ObjectRef, owners: readonly { number: number }[]): NameConflict {
  const names = numbers(owners);
  return {
    ref,
    source: "applied",
    owners: owners.map((o) => ({ number: o.number })),
    blocking: workloadKinds.has(ref.kind),
    message: `${describeRef(ref)} belongs to ${names}: rename the ${noun(ref.kind)} or revert ${names}`,
  };
}

export function openRequestConflict(
  ref: ObjectRef,
  owners: readonly { number: number; status: string }[],
): NameConflict {
  const names = owners.map((o) => `REQ-${o.number} (${o.status.replace(/_/g, " ")})`).join(", ");
  return {
    ref,
    source: "open",
    owners: owners.map((o) => ({ number: o.number })),
    blocking: workloadKinds.has(ref.kind),
    message: `${describeRef(ref)} is also in ${names}, not applied yet: rename the ${noun(ref.kind)} in one of the two requests, or reject one, so the second apply does not overwrite the first`,
  };
}

export function unmanagedConflict(ref: ObjectRef): NameConflict {
  return {
    ref,
    source: "unmanaged",
    owners: [],
    blocking: workloadKinds.has(ref.kind),
    message: `${describeRef(ref)} already exists in the cluster and no request applied it: rename the ${noun(ref.kind)}, or delete the existing one if it is no longer needed`,
  };
}

/** Who applied the plan's objects (request-ownership.server.ts loads it): this request, and the others by objectKey. */
export interface Ownership {
  own: ReadonlySet<string>;
  others: ReadonlyMap<string, readonly { number: number }[]>;
}

export interface OpenRequest {
  number: number;
  status: string;
  objects: readonly KubernetesObject[];
}

/**
 * Every taken name among the plan's objects. `dryRun` is the cluster's answer per object ("created", "configured",
 * "unchanged", ...); an object the plan applies unchanged, or exactly as another open request would, is shared, not
 * taken over.
 */
export function nameConflicts({
  objects,
  dryRun,
  ownership,
  openRequests,
}: {
  objects: readonly KubernetesObject[];
  dryRun: readonly { ref: ObjectRef; outcome: string }[];
  ownership: Ownership;
  openRequests: readonly OpenRequest[];
}): NameConflict[] {
  const outcomes = new Map(dryRun.map((r) => [objectKey(r.ref), r.outcome]));
  const inOpen = new Map<string, { number: number; status: string; object: KubernetesObject }[]>();
  for (const other of [...openRequests].sort((a, b) => a.number - b.number))
    for (const object of other.objects) {
      const key = objectKey(refOf(object));
      inOpen.set(key, [...(inOpen.get(key) ?? []), { number: other.number, status: other.status, object }]);
    }
  const conflicts: NameConflict[] = [];
  for (const object of objects) {
    const ref = refOf(object);
    const key = objectKey(ref);
    if (sharedKinds.has(ref.kind) || ownership.own.has(key)) continue;
    const outcome = outcomes.get(key);
    const appliedBy = ownership.others.get(key);
    if (appliedBy?.length) {
      if (outcome !== "unchanged" && outcome !== "created") conflicts.push(appliedConflict(ref, appliedBy));
      continue;
    }
    const open = (inOpen.get(key) ?? []).filter((o) => !isDeepStrictEqual(o.object, object));
    if (open.length) {
      conflicts.push(openRequestConflict(ref, open));
      continue;
    }
    // In the cluster, not from any request, and the apply would change it.
    if (outcome === "configured") conflicts.push(unmanagedConflict(ref));
  }
  return conflicts;
}
