// What a request created in the cluster, as its apply runs recorded it. Revert deletes exactly these, never
// objects that existed before the request (a shared namespace, another team's config).
//
// The evidence, per attempt of each run (the rows are written as the job goes: every dry-run first, then each
// apply in the same order, each row in its own transaction):
// 1. An apply row "created" counts: applyObjects() calls an object created whenever it was absent just before
//    its apply, so a retried attempt that sees its predecessor's object as "unchanged" does not erase it.
// 2. A lost apply counts once confirmed. A worker can die (or lose its lease) after the API server created an
//    object but before the row was written; the retry then records "unchanged" or "configured". The dead
//    attempt shows it: its dry-run passed for every object and found this one absent, and its apply rows stop
//    just before it (applies run in dry-run order; after a failure the rest are written as failed at once, so
//    rows ending in "failed" lost nothing). When a later attempt of the request's applies then succeeds on the
//    object (created, configured or unchanged) without having seen it absent again, it is counted. An attempt
//    with no apply row at all must have dry-run as many objects as the confirming attempt: a worker that died
//    in the middle of the dry-run never applied anything.
// 3. A dry-run that finds an object absent starts its evidence over (it is gone, whoever made it before), and
//    the apply of the same attempt decides again: "configured" or "unchanged" there means somebody else created
//    it between our dry-run and our apply, so it is not ours.
// 4. A revert's delete row ends it: "deleted" (or already gone) in any revert, or "unchanged" (left in place because
//    this portal's field manager no longer applies it or another request still applies it: see the revert job and
//    still-applied-by.ts) in a revert run that succeeded. Left for another request, it is no longer this request's;
//    when the last request that still applies it is reverted, that revert deletes it (inherited-objects.ts), though
//    it did not create it. A revert that has not succeeded (it failed on another object, or its worker died after
//    writing the row) still holds the object in the other requests' eyes (still-applied-by.ts counts only
//    successful reverts), so its own retry must cover it too, and decide again: delete it or leave it by name.
//    Letting go of it there while the others still count this request as a holder orphaned it: each left it for
//    the other, and neither revert touched it again.
// Rows are matched on API group, kind, namespace and name (object-identity.ts), not on the version.
// What the rows cannot tell: somebody else creating the object in the instant between a dead attempt's dry-run
// and its lost apply. The revert job guards that at delete time: it reads the object and deletes it only when
// its managedFields hold an "Apply" entry of the run's field manager, and names every object it leaves.
// A dead attempt that is never followed by a successful one (retries exhausted) proves nothing: a forced
// re-apply confirms its objects.
// Nor can the rows tell that somebody deleted and re-made the object since (kubectl delete, then create or apply):
// the name is the same, the object is not. So each creation keeps the object's uid (createdObjectsWithUid), and the
// revert deletes with preconditions.uid: the API server refuses (409) to delete an object with another uid.
import { type ObjectRef, refOfRow } from "@/lib/k8s/object-ref";
import { objectKey } from "./object-identity";

export type RunStatus = "queued" | "dry_run" | "applying" | "succeeded" | "failed";

export interface RecordedResult {
  runId: string;
  attempt: number;
  operation: "apply" | "revert";
  /** The status of the run now (not of the attempt that wrote the row). */
  runStatus: RunStatus;
  phase: "dry_run" | "apply" | "delete";
  index: number;
  outcome: string;
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  /** metadata.uid the apply answered (apply rows); null or absent on rows recorded before the portal kept it. */
  uid?: string | null;
}

interface Attempt {
  operation: RecordedResult["operation"];
  runStatus: RunStatus;
  dryRun: RecordedResult[];
  apply: RecordedResult[];
  delete: RecordedResult[];
}

/** A dead attempt's object that may have been created, waiting for a later successful apply to confirm it. */
interface LostApply {
  ref: ObjectRef;
  /** Set when the dead attempt wrote no apply row: how many objects its dry-run covered. */
  dryRunCount?: number;
}

const succeeded = (outcome: string) => outcome === "created" || outcome === "configured" || outcome === "unchanged";

/** Whether a revert's delete row ends the request's hold on the object (rule 4 above). */
export function releasesObject(row: Pick<RecordedResult, "operation" | "phase" | "outcome" | "runStatus">): boolean {
  if (row.operation !== "revert" || row.phase !== "delete") return false;
  return row.outcome === "deleted" || (row.outcome === "unchanged" && row.runStatus === "succeeded");
}

/** The results grouped by run and attempt, in the order given (oldest first), each phase sorted by index. */
function attemptsOf(results: readonly RecordedResult[]): Attempt[] {
  const attempts = new Map<string, Attempt>();
  for (const r of results) {
    const id = `${r.runId}#${r.attempt}`;
    const attempt = attempts.get(id) ?? {
      operation: r.operation,
      runStatus: r.runStatus,
      dryRun: [],
      apply: [],
      delete: [],
    };
    attempts.set(id, attempt);
    attempt[r.phase === "dry_run" ? "dryRun" : r.phase].push(r);
  }
  const byIndex = (a: RecordedResult, b: RecordedResult) => a.index - b.index;
  return [...attempts.values()].map((a) => ({
    ...a,
    dryRun: a.dryRun.sort(byIndex),
    apply: a.apply.sort(byIndex),
    delete: a.delete.sort(byIndex),
  }));
}

/** The object whose apply row an attempt may have lost, when its rows show the apply phase stopped mid-way. */
function lostApplyOf(attempt: Attempt): LostApply | undefined {
  if (attempt.dryRun.some((r) => r.outcome === "failed")) return undefined; // nothing was applied
  if (attempt.apply.at(-1)?.outcome === "failed") return undefined; // the rest were skipped, not applied
  const next = attempt.dryRun[attempt.apply.length];
  if (!next || next.outcome !== "created") return undefined;
  return { ref: refOfRow(next), ...(attempt.apply.length === 0 ? { dryRunCount: attempt.dryRun.length } : {}) };
}

/** An object the request created, with the uid it had when the request created it (null: not recorded). */
export interface CreatedObject {
  ref: ObjectRef;
  uid: string | null;
}

/** Objects created by the request's applies and not deleted (or disowned) by a later revert, in creation order. */
export function createdObjects(results: readonly RecordedResult[]): ObjectRef[] {
  return createdObjectsWithUid(results).map((c) => c.ref);
}

/**
 * createdObjects, each with the uid of the request's latest creation of it (a later "created" row means the object
 * was gone and the request made it anew); a lost creation takes the uid its confirming apply saw. What a later apply
 * of a re-made object answers ("configured", another uid) does not count: that object is not the one it created.
 */
export function createdObjectsWithUid(results: readonly RecordedResult[]): CreatedObject[] {
  const created = new Map<string, CreatedObject>();
  const lost = new Map<string, LostApply>();
  const forget = (k: string) => {
    created.delete(k);
    lost.delete(k);
  };
  for (const attempt of attemptsOf(results)) {
    if (attempt.operation === "revert") {
      for (const r of attempt.delete) if (releasesObject(r)) forget(objectKey(r));
      continue;
    }
    for (const r of attempt.dryRun) if (r.outcome === "created") forget(objectKey(r));
    for (const r of attempt.apply) {
      const k = objectKey(r);
      if (r.outcome === "created") created.set(k, { ref: created.get(k)?.ref ?? refOfRow(r), uid: r.uid ?? null });
      const candidate = lost.get(k);
      if (candidate && succeeded(r.outcome)) {
        lost.delete(k);
        const dryRunComplete = candidate.dryRunCount === undefined || candidate.dryRunCount === attempt.dryRun.length;
        if (dryRunComplete && !created.has(k)) created.set(k, { ref: candidate.ref, uid: r.uid ?? null });
      }
    }
    const candidate = lostApplyOf(attempt);
    if (candidate) lost.set(objectKey(candidate.ref), candidate);
  }
  return [...created.values()];
}
