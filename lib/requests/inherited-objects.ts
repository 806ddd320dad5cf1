// Objects a request did not create but its revert deletes: those left to it by the revert of their creator.
//
// REQ-A creates a Namespace, REQ-B applies it again ("unchanged"). Reverting A leaves the Namespace in place because
// B still applies it (still-applied-by.ts). Reverting B afterwards must delete it: B did not create it
// (created-objects.ts), but nobody else will, and the Namespace would stay forever.
//
// The rule: request R inherits object X, which R applied successfully without creating it, when
// - some request of the portal created X (an apply row "created") since X was last deleted by a revert: an object
//   made by somebody else (kubectl) is never inherited, and one already deleted leaves nothing to do;
// - every such creator's revert left X in place (a delete row "unchanged") while another request still applied it,
//   and the creator has been reverted successfully since its last apply of X. The latest such row counts: a revert
//   that failed is retried, and the retry covers X again (createdObjects lets go of X only in a revert that
//   succeeded) and leaves it once more, for whoever holds it then. (A failed revert may also hold the only
//   "unchanged" row, followed by a successful one without a row for X: that row still counts, so the last holder
//   deletes X.) A revert that left X because this portal's field manager no longer
//   applied it (somebody else took it over, nobody else applied it) passes nothing on: a later apply by R does not
//   make it R's;
// - no request other than R still applies X now (the still-applied-by.ts rule; it also holds the creators to a
//   successful revert, as they applied X too).
// R's own revert that deleted X or left it in place ends R's hold on it, as for what R created.
// While other requests still apply X, R's revert leaves it for them and says so (splitAppliedNotCreated), even when
// that is all the revert does: REQ-B and REQ-C both re-applied A's Namespace, and once A is reverted each would
// otherwise wait for the other forever. Reverting B records the Namespace as left for C; C's revert then inherits it.
// Rows match on API group, kind, namespace and name (object-identity.ts), whatever version each request applied.
// The caller limits the rows to requests on the same cluster. Times are those of the runs' creation, the order in
// which the revert plans that wrote the rows saw them.
import { type ObjectRef, refOfRow } from "@/lib/k8s/object-ref";
import { releasesObject, type RecordedResult } from "./created-objects";
import { objectKey } from "./object-identity";
import {
  holdersOf,
  type AppliedByRequest,
  type LeftInPlace,
  type RequestHandle,
  type SucceededRevert,
} from "./still-applied-by";

/** A delete-phase row of a revert run of any request on the cluster, whatever became of the run. */
export interface RevertResultRow extends RequestHandle {
  ref: ObjectRef;
  outcome: "deleted" | "unchanged" | "failed";
  runCreatedAt: Date;
  /** Whether the revert run succeeded: an "unchanged" row of a revert that did not lets nothing go (its retry covers the object again). */
  runSucceeded: boolean;
}

/** What the portal recorded about the candidate objects, for every request on the cluster (this one included). */
export interface ObjectHistory {
  /** Successful apply rows (created, configured or unchanged) of apply runs. */
  applied: readonly AppliedByRequest[];
  /** Of those, the ones whose outcome was "created". */
  creations: readonly AppliedByRequest[];
  /** Revert runs that succeeded. */
  reverts: readonly SucceededRevert[];
  /** Delete rows of revert runs. */
  deletes: readonly RevertResultRow[];
}

export interface InheritedObject {
  ref: ObjectRef;
  /** The requests that created it and whose reverts left it in place, in number order. */
  createdBy: RequestHandle[];
  /** Whether this request was among those the creators' reverts left it for (else: others, reverted since). */
  leftForThisRequest: boolean;
}

/** The uid an inherited object had when its latest creator made it, and that creator. */
export interface CreationUid {
  uid: string;
  createdBy: RequestHandle;
}

/**
 * What the request applied successfully, did not create and has not deleted or left in place in a revert of its
 * own, in the order first applied: the candidates for inheritance. `results` in loadRecordedResults' order.
 */
export function appliedNotCreated(results: readonly RecordedResult[], created: readonly ObjectRef[]): ObjectRef[] {
  const held = new Map<string, ObjectRef>();
  for (const r of results) {
    const key = objectKey(r);
    if (r.operation === "apply" && r.phase === "apply" && ["created", "configured", "unchanged"].includes(r.outcome)) {
      if (!held.has(key)) held.set(key, refOfRow(r));
    } else if (releasesObject(r)) {
      held.delete(key);
    }
  }
  for (const ref of created) held.delete(objectKey(ref));
  return [...held.values()];
}

function byObject<T extends { ref: ObjectRef }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const key = objectKey(row.ref);
    map.set(key, [...(map.get(key) ?? []), row]);
  }
  return map;
}

/**
 * The candidates `requestId` inherits (see the rule above), and those it would inherit but for the other requests
 * that still apply them: its revert leaves these in place and names the holders (the creator, while it is not
 * reverted, or the requests its revert left them for). Reverting it ends its own hold, so the revert of the last
 * holder deletes the object: without that, two requests that both only re-applied an object could never be reverted
 * (each waits for the other) and the object would stay forever. A holder whose revert left it and then failed on
 * another object still holds it (its retry covers it again), so the object is left for it too. One whose revert
 * deleted it (and then failed) no longer covers it: the object is left for nobody and waits, untouched.
 * Candidates nobody in the portal created, or whose creator's revert passed them to nobody, are neither: the revert
 * leaves them alone, as objects that existed before. Both in the candidates' order.
 */
export function splitAppliedNotCreated(
  requestId: string,
  candidates: readonly ObjectRef[],
  history: ObjectHistory,
): { inherited: InheritedObject[]; leftInPlace: LeftInPlace[]; creationUids: Map<string, CreationUid> } {
  const creationsOf = byObject(history.creations);
  const deletesOf = byObject(history.deletes);
  const appliesOf = byObject(history.applied);
  const heldNow = holdersOf(
    history.applied.filter((a) => a.requestId !== requestId),
    history.reverts,
  );
  const inherited: InheritedObject[] = [];
  const leftInPlace: LeftInPlace[] = [];
  const creationUids = new Map<string, CreationUid>();
  for (const ref of candidates) {
    const key = objectKey(ref);
    const holders = heldNow.get(key) ?? new Map<string, RequestHandle>();
    const deletes = deletesOf.get(key) ?? [];
    const lastDeleted = Math.max(
      -Infinity,
      ...deletes.filter((d) => d.outcome === "deleted").map((d) => d.runCreatedAt.getTime()),
    );
    // Each creator of what is there now, with its latest creation.
    const creators = new Map<string, AppliedByRequest>();
    for (const c of creationsOf.get(key) ?? []) {
      if (c.requestId === requestId || c.runCreatedAt.getTime() <= lastDeleted) continue;
      const seen = creators.get(c.requestId);
      if (!seen || seen.runCreatedAt.getTime() < c.runCreatedAt.getTime()) creators.set(c.requestId, c);
    }
    if (!creators.size) continue;
    // Per creator, the requests its latest revert that left the object in place left it for (none: it was not
    // released that way). Only a creator that no longer holds the object (reverted successfully) needs one.
    const leftFor = [...creators.values()].map((creation) => {
      const release = deletes
        .filter(
          (d) =>
            d.requestId === creation.requestId &&
            d.outcome === "unchanged" &&
            d.runCreatedAt.getTime() > creation.runCreatedAt.getTime(),
        )
        .reduce<RevertResultRow | undefined>(
          (latest, d) => (!latest || d.runCreatedAt.getTime() > latest.runCreatedAt.getTime() ? d : latest),
          undefined,
        );
      if (!release) return [];
      return [...(holdersOf(history.applied, history.reverts, release.runCreatedAt).get(key)?.keys() ?? [])].filter(
        (id) => id !== creation.requestId,
      );
    });
    // A creator that no longer applies it must have left it for others; else it gave it up to somebody outside the
    // portal (or deleted it: then there are no creators).
    if ([...creators.keys()].some((id, i) => !holders.has(id) && leftFor[i]!.length === 0)) continue;
    if (holders.size) {
      const covering = [...holders.keys()].every((id) => {
        const lastApplied = Math.max(
          ...(appliesOf.get(key) ?? []).filter((a) => a.requestId === id).map((a) => a.runCreatedAt.getTime()),
        );
        return !deletes.some(
          (d) => d.requestId === id && d.outcome === "deleted" && d.runCreatedAt.getTime() > lastApplied,
        );
      });
      if (covering)
        leftInPlace.push({ ref, stillAppliedBy: [...holders.values()].sort((a, b) => a.number - b.number) });
      continue;
    }
    const latest = [...creators.values()].reduce((a, b) =>
      b.runCreatedAt.getTime() > a.runCreatedAt.getTime() ? b : a,
    );
    if (latest.uid)
      creationUids.set(key, { uid: latest.uid, createdBy: { requestId: latest.requestId, number: latest.number } });
    inherited.push({
      ref,
      createdBy: [...creators.values()]
        .map((c) => ({ requestId: c.requestId, number: c.number }))
        .sort((a, b) => a.number - b.number),
      leftForThisRequest: leftFor.every((forRequests) => forRequests.includes(requestId)),
    });
  }
  return { inherited, leftInPlace, creationUids };
}

/** The candidates `requestId` inherits (see the rule above), in the candidates' order. */
export function inheritedObjects(
  requestId: string,
  candidates: readonly ObjectRef[],
  history: ObjectHistory,
): InheritedObject[] {
  return splitAppliedNotCreated(requestId, candidates, history).inherited;
}

/** "left in place by its revert for this request": the part of inheritedReason after the creators. */
export function leftInPlaceBy(object: Pick<InheritedObject, "createdBy" | "leftForThisRequest">): string {
  const reverts = object.createdBy.length > 1 ? "their reverts" : "its revert";
  return `left in place by ${reverts} for ${object.leftForThisRequest ? "this request" : "other requests, reverted since"}`;
}

/** "created by REQ-3, left in place by its revert for this request": where an inherited object comes from. */
export function inheritedReason(object: Pick<InheritedObject, "createdBy" | "leftForThisRequest">): string {
  return `created by ${object.createdBy.map((c) => `REQ-${c.number}`).join(", ")}, ${leftInPlaceBy(object)}`;
}
