// Which of a request's created objects another request still applies, so that reverting the first leaves them.
//
// Every request applies under the same server-side-apply field manager, so the cluster cannot tell two requests
// apart: a Namespace created by REQ-1 and applied again (as "unchanged") by REQ-2 carries one "Apply" entry of
// ml-portal. Only the database knows that REQ-2 uses it, and deleting it would delete REQ-2's workloads with it.
//
// The rule: request R still applies object X when one of R's apply runs recorded a successful apply of X
// (created, configured or unchanged) and R has had no successful revert since that run began. Why this rule:
// - Any successful apply row counts, also in a run that failed later on another object and in a superseded
//   attempt: X is in the cluster on R's behalf either way, and R can still be force-applied or reverted.
// - Only a revert that succeeded releases R's objects. A failed or unfinished revert may have left R's workloads
//   in place (inside X, when X is a Namespace); keeping X then costs an object nobody removes, while deleting it
//   could destroy what R still runs.
// - Not createdObjects(R): R holds what it applied, not only what it created (REQ-2 above created nothing).
// - Field managers are ignored: whichever manager R used, deleting X still removes R's objects.
// The caller limits the rows to other requests on the same cluster (the same name on another cluster is another
// object). Rows match on API group, kind, namespace and name (object-identity.ts): a request that applied the object
// under a newer version of its group (autoscaling/v2 where the creator wrote v2beta2) still applies it.
import type { ObjectRef } from "@/lib/k8s/object-ref";
import { objectKey } from "./object-identity";

export interface RequestHandle {
  requestId: string;
  number: number;
}

/** A successful apply-phase row of another request's apply run. */
export interface AppliedByRequest extends RequestHandle {
  ref: ObjectRef;
  /** When the apply run that wrote the row was created. */
  runCreatedAt: Date;
  /** metadata.uid the apply answered; null or absent when not recorded. */
  uid?: string | null;
}

/** A revert run of another request that succeeded. */
export interface SucceededRevert {
  requestId: string;
  runCreatedAt: Date;
}

export interface LeftInPlace {
  ref: ObjectRef;
  stillAppliedBy: RequestHandle[];
}

/** "still applied by REQ-12, REQ-15": the reason recorded on an object a revert leaves for other requests. */
export function stillAppliedReason(holders: readonly RequestHandle[]): string {
  return `still applied by ${holders.map((h) => `REQ-${h.number}`).join(", ")}`;
}

/**
 * Per object (objectKey: the same object under any version of its API group), the requests that still apply it: now, or just before `before` when given (what a revert
 * created at that moment saw). Rows and reverts of runs created at or after `before` do not count.
 */
export function holdersOf(
  applied: readonly AppliedByRequest[],
  reverts: readonly SucceededRevert[],
  before?: Date,
): Map<string, Map<string, RequestHandle>> {
  const cutoff = before?.getTime() ?? Infinity;
  const lastRevert = new Map<string, number>();
  for (const r of reverts) {
    if (r.runCreatedAt.getTime() < cutoff)
      lastRevert.set(r.requestId, Math.max(lastRevert.get(r.requestId) ?? -Infinity, r.runCreatedAt.getTime()));
  }
  const holders = new Map<string, Map<string, RequestHandle>>();
  for (const row of applied) {
    if (row.runCreatedAt.getTime() >= cutoff) continue; // not applied yet then
    if ((lastRevert.get(row.requestId) ?? -Infinity) > row.runCreatedAt.getTime()) continue; // reverted since
    const key = objectKey(row.ref);
    const byRequest = holders.get(key) ?? new Map<string, RequestHandle>();
    holders.set(key, byRequest);
    byRequest.set(row.requestId, { requestId: row.requestId, number: row.number });
  }
  return holders;
}

/**
 * Splits the objects a revert would delete (in their order) into those it deletes and those other requests still
 * apply, each named with those requests in number order.
 */
export function splitRevert(
  created: readonly ObjectRef[],
  applied: readonly AppliedByRequest[],
  reverts: readonly SucceededRevert[],
): { toDelete: ObjectRef[]; leftInPlace: LeftInPlace[] } {
  const holders = holdersOf(applied, reverts);
  const toDelete: ObjectRef[] = [];
  const leftInPlace: LeftInPlace[] = [];
  for (const ref of created) {
    const held = holders.get(objectKey(ref));
    if (held?.size) leftInPlace.push({ ref, stillAppliedBy: [...held.values()].sort((a, b) => a.number - b.number) });
    else toDelete.push(ref);
  }
  return { toDelete, leftInPlace };
}
