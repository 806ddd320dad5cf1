// What a revert of a request will do, from what the portal recorded: the one answer that the confirmation dialog,
// the revert endpoint's count check and the revert job share (revert-plan.server.ts loads the rows), so that what a
// person confirms is what the job deletes. Pure, so that whole sequences of applies and reverts can be replayed.
import type { ObjectRef } from "@/lib/k8s/object-ref";
import { createdObjectsWithUid, type RecordedResult, type RunStatus } from "./created-objects";
import {
  appliedNotCreated,
  splitAppliedNotCreated,
  type InheritedObject,
  type ObjectHistory,
} from "./inherited-objects";
import { objectKey } from "./object-identity";
import {
  splitRevert,
  type AppliedByRequest,
  type LeftInPlace,
  type RequestHandle,
  type SucceededRevert,
} from "./still-applied-by";

export interface RevertPlan {
  /** What the request created and a revert has not deleted yet, in creation order (createdObjects). */
  created: ObjectRef[];
  /**
   * What the request applied without creating it, left to it by the reverts of the requests that created it, and no
   * other request still applies (inherited-objects.ts): the revert deletes these too.
   */
  inherited: InheritedObject[];
  /**
   * What the revert deletes (after its own live checks): the inherited objects, then the created ones no other
   * request still applies. The job deletes them dependents first (sortForDelete); the inherited ones existed before
   * this request applied them.
   */
  toDelete: ObjectRef[];
  /**
   * What other requests on the same cluster still apply, of the objects the request created or applied after the
   * portal created them: the revert leaves and names them (the created ones first). It may be all a revert does:
   * that ends this request's hold, so the last holder's revert deletes the object.
   */
  leftInPlace: LeftInPlace[];
  /**
   * Per object to delete (objectKey), the uid it had when the portal created it: the job deletes it with
   * preconditions.uid, so an object deleted and re-made outside the portal since (same name, another uid) is left in
   * place and named, never deleted. `createdBy` null: this request created it; else the creator of an inherited one.
   * No entry: its creation was recorded before uids were kept, and it is deleted without the precondition.
   */
  uidGuards: Record<string, UidGuard>;
}

export interface UidGuard {
  uid: string;
  createdBy: RequestHandle | null;
}

/**
 * Why a revert of an applied request would do nothing, or null when it deletes or leaves in place at least one
 * object. Objects that existed before the request (nobody in the portal created them) are not the revert's.
 */
export function nothingToRevert(plan: RevertPlan): string | null {
  if (plan.toDelete.length || plan.leftInPlace.length) return null;
  return "it created no object that still exists, applies none that another request created and still applies, and no other request's revert left one to it";
}

/** The objects a revert of the request is about: what it created, and what it applied without creating (candidates to inherit). */
export function revertCandidates(results: readonly RecordedResult[]): RevertCandidates {
  const withUid = createdObjectsWithUid(results);
  const created = withUid.map((c) => c.ref);
  const createdUids: Record<string, string> = {};
  for (const c of withUid) if (c.uid) createdUids[objectKey(c.ref)] = c.uid;
  return { created, candidates: appliedNotCreated(results, created), createdUids };
}

export interface RevertCandidates {
  created: ObjectRef[];
  candidates: ObjectRef[];
  /** objectKey → the uid of the request's latest creation of it, where recorded. */
  createdUids?: Record<string, string>;
}

/** The uid guards of the objects a plan deletes: created ones from the request's own rows, inherited from their creator's. */
export function uidGuardsOf(
  toDelete: readonly ObjectRef[],
  createdUids: Record<string, string> = {},
  inheritedUids: ReadonlyMap<string, { uid: string; createdBy: RequestHandle }> = new Map(),
): Record<string, UidGuard> {
  const guards: Record<string, UidGuard> = {};
  for (const ref of toDelete) {
    const key = objectKey(ref);
    const inherited = inheritedUids.get(key);
    if (inherited) guards[key] = inherited;
    else if (createdUids[key]) guards[key] = { uid: createdUids[key], createdBy: null };
  }
  return guards;
}

/** One recorded result about a candidate object, of any request on the same cluster (this one included). */
export interface ObjectHistoryRow extends RequestHandle {
  ref: ObjectRef;
  operation: RecordedResult["operation"];
  runStatus: RunStatus;
  runCreatedAt: Date;
  phase: RecordedResult["phase"];
  outcome: string;
  uid?: string | null;
}

/**
 * What the rows say about the objects: successful applies (and creations) of apply runs, and the delete rows of
 * revert runs. `reverts`: the revert runs that succeeded, of the requests in the rows.
 */
export function objectHistoryOf(rows: readonly ObjectHistoryRow[], reverts: readonly SucceededRevert[]): ObjectHistory {
  const applied: AppliedByRequest[] = [];
  const creations: AppliedByRequest[] = [];
  const deletes: ObjectHistory["deletes"][number][] = [];
  for (const r of rows) {
    const row = { ref: r.ref, requestId: r.requestId, number: r.number, runCreatedAt: r.runCreatedAt };
    if (
      r.operation === "revert" &&
      r.phase === "delete" &&
      (r.outcome === "deleted" || r.outcome === "unchanged" || r.outcome === "failed")
    ) {
      deletes.push({ ...row, outcome: r.outcome, runSucceeded: r.runStatus === "succeeded" });
    } else if (
      r.operation === "apply" &&
      r.phase === "apply" &&
      (r.outcome === "created" || r.outcome === "configured" || r.outcome === "unchanged")
    ) {
      applied.push(row);
      if (r.outcome === "created") creations.push({ ...row, uid: r.uid ?? null });
    }
  }
  return { applied, creations, deletes, reverts };
}

/** The plan, from the request's own objects (revertCandidates) and the history of those objects on the cluster. */
export function planFromHistory(requestId: string, own: RevertCandidates, history: ObjectHistory): RevertPlan {
  const { toDelete, leftInPlace } = splitRevert(
    own.created,
    history.applied.filter((a) => a.requestId !== requestId),
    history.reverts,
  );
  const applied = splitAppliedNotCreated(requestId, own.candidates, history);
  const all = [...applied.inherited.map((i) => i.ref), ...toDelete];
  return {
    created: own.created,
    inherited: applied.inherited,
    toDelete: all,
    leftInPlace: [...leftInPlace, ...applied.leftInPlace],
    uidGuards: uidGuardsOf(all, own.createdUids, applied.creationUids),
  };
}
