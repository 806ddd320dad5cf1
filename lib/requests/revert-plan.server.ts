import "server-only";
// What a revert of a request will do, from the database alone: the one answer that the confirmation dialog, the
// revert endpoint's count check and the revert job share, so that what a person confirms is what the job deletes.
import type { Db } from "@/lib/db/prisma.server";
import type { ObjectRef } from "@/lib/k8s/object-ref";
import { loadRecordedResults } from "./apply-run-store.server";
import { createdObjects, type RecordedResult } from "./created-objects";
import { splitRevert, type AppliedByRequest, type LeftInPlace } from "./still-applied-by";

export interface RevertPlan {
  /** What the request created and a revert has not deleted yet, in creation order (createdObjects). */
  created: ObjectRef[];
  /** The created objects no other request still applies: what the revert deletes (after its own live checks). */
  toDelete: ObjectRef[];
  /** The created objects other requests on the same cluster still apply: the revert leaves and names them. */
  leftInPlace: LeftInPlace[];
}

type PlanDb = Pick<Db, "applyObjectResult" | "applyRun">;

/** `recorded`: the request's recorded results when the caller has them already (else they are loaded). */
export async function planRevert(db: PlanDb, request: { id: string; clusterTargetId: string | null }, recorded?: readonly RecordedResult[]): Promise<RevertPlan> {
  const created = createdObjects(recorded ?? (await loadRecordedResults(db, request.id)));
  if (!created.length || !request.clusterTargetId) return { created, toDelete: created, leftInPlace: [] };
  const rows = await db.applyObjectResult.findMany({
    where: {
      phase: "apply",
      outcome: { in: ["created", "configured", "unchanged"] },
      applyRun: { operation: "apply", requestId: { not: request.id }, request: { clusterTargetId: request.clusterTargetId } },
      OR: created.map((ref) => ({ apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace ?? null, name: ref.name })),
    },
    select: { apiVersion: true, kind: true, namespace: true, name: true, applyRun: { select: { requestId: true, createdAt: true, request: { select: { number: true } } } } },
  });
  const applied = rows.map((r): AppliedByRequest => ({
    ref: { apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) },
    requestId: r.applyRun.requestId, number: r.applyRun.request.number, runCreatedAt: r.applyRun.createdAt,
  }));
  const holders = [...new Set(applied.map((a) => a.requestId))];
  const reverts = holders.length
    ? await db.applyRun.findMany({ where: { requestId: { in: holders }, operation: "revert", status: "succeeded" }, select: { requestId: true, createdAt: true } })
    : [];
  const { toDelete, leftInPlace } = splitRevert(created, applied, reverts.map((r) => ({ requestId: r.requestId, runCreatedAt: r.createdAt })));
  return { created, toDelete, leftInPlace };
}
