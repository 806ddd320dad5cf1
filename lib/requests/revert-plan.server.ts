import "server-only";
// What a revert of a request will do, from the database alone: the one answer that the confirmation dialog, the
// revert endpoint's count check and the revert job share, so that what a person confirms is what the job deletes.
import type { Db } from "@/lib/db/prisma.server";
import type { ObjectRef } from "@/lib/k8s/object-ref";
import { loadRecordedResults } from "./apply-run-store.server";
import { createdObjects, type RecordedResult } from "./created-objects";
import { appliedNotCreated, splitAppliedNotCreated, type InheritedObject, type ObjectHistory, type RevertResultRow } from "./inherited-objects";
import { splitRevert, type AppliedByRequest, type LeftInPlace } from "./still-applied-by";

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
   * request still applies. The inherited ones existed before this request applied them, so they come first in
   * creation order, and a dependents-first delete takes them last.
   */
  toDelete: ObjectRef[];
  /**
   * What other requests on the same cluster still apply, of the objects the request created or applied after the
   * portal created them: the revert leaves and names them (the created ones first). It may be all a revert does:
   * that ends this request's hold, so the last holder's revert deletes the object.
   */
  leftInPlace: LeftInPlace[];
}

/**
 * Why a revert of an applied request would do nothing, or null when it deletes or leaves in place at least one
 * object. Objects that existed before the request (nobody in the portal created them) are not the revert's.
 */
export function nothingToRevert(plan: RevertPlan): string | null {
  if (plan.toDelete.length || plan.leftInPlace.length) return null;
  return "it created no object that still exists, applies none that another request created and still applies, and no other request's revert left one to it";
}

type PlanDb = Pick<Db, "applyObjectResult" | "applyRun">;

/** `recorded`: the request's recorded results when the caller has them already (else they are loaded). */
export async function planRevert(db: PlanDb, request: { id: string; clusterTargetId: string | null }, recorded?: readonly RecordedResult[]): Promise<RevertPlan> {
  const results = recorded ?? (await loadRecordedResults(db, request.id));
  const created = createdObjects(results);
  const candidates = appliedNotCreated(results, created);
  if (!request.clusterTargetId || (!created.length && !candidates.length)) return { created, inherited: [], toDelete: created, leftInPlace: [] };
  const history = await loadObjectHistory(db, request.clusterTargetId, [...created, ...candidates]);
  const { toDelete, leftInPlace } = splitRevert(created, history.applied.filter((a) => a.requestId !== request.id), history.reverts);
  const applied = splitAppliedNotCreated(request.id, candidates, history);
  return { created, inherited: applied.inherited, toDelete: [...applied.inherited.map((i) => i.ref), ...toDelete], leftInPlace: [...leftInPlace, ...applied.leftInPlace] };
}

/** What every request on the cluster (this one included) recorded about these objects: successful applies and reverts' deletes. */
async function loadObjectHistory(db: PlanDb, clusterTargetId: string, refs: readonly ObjectRef[]): Promise<ObjectHistory> {
  const rows = await db.applyObjectResult.findMany({
    where: {
      applyRun: { request: { clusterTargetId } },
      AND: [
        { OR: refs.map((ref) => ({ apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace ?? null, name: ref.name })) },
        { OR: [
          { phase: "apply", outcome: { in: ["created", "configured", "unchanged"] }, applyRun: { operation: "apply" } },
          { phase: "delete", outcome: { in: ["deleted", "unchanged", "failed"] }, applyRun: { operation: "revert" } },
        ] },
      ],
    },
    select: { phase: true, outcome: true, apiVersion: true, kind: true, namespace: true, name: true, applyRun: { select: { requestId: true, createdAt: true, status: true, request: { select: { number: true } } } } },
  });
  const applied: AppliedByRequest[] = [];
  const creations: AppliedByRequest[] = [];
  const deletes: RevertResultRow[] = [];
  for (const r of rows) {
    const row = {
      ref: { apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) },
      requestId: r.applyRun.requestId, number: r.applyRun.request.number, runCreatedAt: r.applyRun.createdAt,
    };
    if (r.phase === "delete") deletes.push({ ...row, outcome: r.outcome as RevertResultRow["outcome"], runSucceeded: r.applyRun.status === "succeeded" });
    else {
      applied.push(row);
      if (r.outcome === "created") creations.push(row);
    }
  }
  const requestIds = [...new Set(rows.map((r) => r.applyRun.requestId))];
  const reverts = requestIds.length
    ? await db.applyRun.findMany({ where: { requestId: { in: requestIds }, operation: "revert", status: "succeeded" }, select: { requestId: true, createdAt: true } })
    : [];
  return { applied, creations, deletes, reverts: reverts.map((r) => ({ requestId: r.requestId, runCreatedAt: r.createdAt })) };
}
