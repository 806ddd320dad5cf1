import "server-only";
// What a revert of a request will do, from the database alone (revert-plan.ts decides; this loads the rows).
import type { Db } from "@/lib/db/prisma.server";
import type { ObjectRef } from "@/lib/k8s/object-ref";
import { loadRecordedResults } from "./apply-run-store.server";
import type { RecordedResult } from "./created-objects";
import type { ObjectHistory } from "./inherited-objects";
import { objectHistoryOf, planFromHistory, revertCandidates, type RevertPlan } from "./revert-plan";

export { nothingToRevert, type RevertPlan } from "./revert-plan";

type PlanDb = Pick<Db, "applyObjectResult" | "applyRun">;

/** `recorded`: the request's recorded results when the caller has them already (else they are loaded). */
export async function planRevert(db: PlanDb, request: { id: string; clusterTargetId: string | null }, recorded?: readonly RecordedResult[]): Promise<RevertPlan> {
  const own = revertCandidates(recorded ?? (await loadRecordedResults(db, request.id)));
  if (!request.clusterTargetId || (!own.created.length && !own.candidates.length)) return { created: own.created, inherited: [], toDelete: own.created, leftInPlace: [] };
  return planFromHistory(request.id, own, await loadObjectHistory(db, request.clusterTargetId, [...own.created, ...own.candidates]));
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
    select: { phase: true, outcome: true, apiVersion: true, kind: true, namespace: true, name: true, applyRun: { select: { requestId: true, operation: true, status: true, createdAt: true, request: { select: { number: true } } } } },
  });
  const requestIds = [...new Set(rows.map((r) => r.applyRun.requestId))];
  const reverts = requestIds.length
    ? await db.applyRun.findMany({ where: { requestId: { in: requestIds }, operation: "revert", status: "succeeded" }, select: { requestId: true, createdAt: true } })
    : [];
  return objectHistoryOf(
    rows.map((r) => ({
      ref: { apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) },
      requestId: r.applyRun.requestId, number: r.applyRun.request.number, operation: r.applyRun.operation, runStatus: r.applyRun.status, runCreatedAt: r.applyRun.createdAt,
      phase: r.phase, outcome: r.outcome,
    })),
    reverts.map((r) => ({ requestId: r.requestId, runCreatedAt: r.createdAt })),
  );
}
