import "server-only";
// What a revert of a request will do, from the database alone (revert-plan.ts decides; this loads the rows).
import type { Db } from "@/lib/db/prisma.server";
import { type ObjectRef, refOfRow } from "@/lib/k8s/object-ref";
import { loadRecordedResults } from "./apply-run-store.server";
import type { RecordedResult } from "./created-objects";
import type { ObjectHistory } from "./inherited-objects";
import { apiGroupOf } from "./object-identity";
import { objectHistoryOf, planFromHistory, revertCandidates, uidGuardsOf, type RevertPlan } from "./revert-plan";

export { nothingToRevert, type RevertPlan } from "./revert-plan";

type PlanDb = Pick<Db, "applyObjectResult" | "applyRun" | "$queryRaw">;

/** `recorded`: the request's recorded results when the caller has them already (else they are loaded). */
export async function planRevert(
  db: PlanDb,
  request: { id: string; clusterTargetId: string | null },
  recorded?: readonly RecordedResult[],
): Promise<RevertPlan> {
  const own = revertCandidates(recorded ?? (await loadRecordedResults(db, request.id)));
  if (!request.clusterTargetId || (!own.created.length && !own.candidates.length))
    return {
      created: own.created,
      inherited: [],
      toDelete: own.created,
      leftInPlace: [],
      uidGuards: uidGuardsOf(own.created, own.createdUids),
    };
  return planFromHistory(
    request.id,
    own,
    await loadObjectHistory(db, request.clusterTargetId, [...own.created, ...own.candidates]),
  );
}

/**
 * What every request on the cluster (this one included) recorded about these objects, under any version of their API
 * group (object-identity.ts): successful applies and reverts' deletes.
 */
async function loadObjectHistory(
  db: PlanDb,
  clusterTargetId: string,
  refs: readonly ObjectRef[],
): Promise<ObjectHistory> {
  // The lookup goes through the index on (apiVersion, kind, namespace, name), so it names the versions: every
  // recorded version of the object's group.
  const versions = await recordedApiVersions(db);
  const versionsOf = (ref: ObjectRef) => [
    ...new Set([ref.apiVersion, ...versions.filter((v) => apiGroupOf(v) === apiGroupOf(ref.apiVersion))]),
  ];
  const rows = await db.applyObjectResult.findMany({
    where: {
      applyRun: { request: { clusterTargetId } },
      AND: [
        {
          OR: refs.map((ref) => ({
            apiVersion: { in: versionsOf(ref) },
            kind: ref.kind,
            namespace: ref.namespace ?? null,
            name: ref.name,
          })),
        },
        {
          OR: [
            {
              phase: "apply",
              outcome: { in: ["created", "configured", "unchanged"] },
              applyRun: { operation: "apply" },
            },
            { phase: "delete", outcome: { in: ["deleted", "unchanged", "failed"] }, applyRun: { operation: "revert" } },
          ],
        },
      ],
    },
    select: {
      phase: true,
      outcome: true,
      uid: true,
      apiVersion: true,
      kind: true,
      namespace: true,
      name: true,
      applyRun: {
        select: {
          requestId: true,
          operation: true,
          status: true,
          createdAt: true,
          request: { select: { number: true } },
        },
      },
    },
  });
  const requestIds = [...new Set(rows.map((r) => r.applyRun.requestId))];
  const reverts = requestIds.length
    ? await db.applyRun.findMany({
        where: { requestId: { in: requestIds }, operation: "revert", status: "succeeded" },
        select: { requestId: true, createdAt: true },
      })
    : [];
  return objectHistoryOf(
    rows.map((r) => ({
      ref: refOfRow(r),
      requestId: r.applyRun.requestId,
      number: r.applyRun.request.number,
      operation: r.applyRun.operation,
      runStatus: r.applyRun.status,
      runCreatedAt: r.applyRun.createdAt,
      phase: r.phase,
      outcome: r.outcome,
      uid: r.uid,
    })),
    reverts.map((r) => ({ requestId: r.requestId, runCreatedAt: r.createdAt })),
  );
}

/**
 * Every apiVersion any result recorded, in a walk of the index on (apiVersion, kind, namespace, name) that jumps from
 * one version to the next: one index probe per version (a few dozen at most), not a scan of the results.
 */
async function recordedApiVersions(db: PlanDb): Promise<string[]> {
  const rows = await db.$queryRaw<{ apiVersion: string }[]>`
    WITH RECURSIVE versions("apiVersion") AS (
      (SELECT "apiVersion" FROM "ApplyObjectResult" ORDER BY "apiVersion" LIMIT 1)
      UNION ALL
      SELECT (SELECT r."apiVersion" FROM "ApplyObjectResult" r WHERE r."apiVersion" > versions."apiVersion" ORDER BY r."apiVersion" LIMIT 1)
        FROM versions WHERE versions."apiVersion" IS NOT NULL
    )
    SELECT "apiVersion" FROM versions WHERE "apiVersion" IS NOT NULL`;
  return rows.map((r) => r.apiVersion);
}
