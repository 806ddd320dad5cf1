import "server-only";
// Which of a plan's objects the cluster holds for this request and which for other requests, from the apply rows in
// the database: every request applies under the same field manager, so the cluster alone cannot tell them apart
// (still-applied-by.ts).
import type { Db } from "@/lib/db/prisma.server";
import { type ObjectRef, refOfRow } from "@/lib/k8s/object-ref";
import { objectKey } from "./object-identity";
import { type RequestHandle, holdersOf } from "./still-applied-by";

export interface RequestOwnership {
  /** objectKey of every object this request applied and has not reverted since. */
  own: ReadonlySet<string>;
  /** objectKey → the other requests (number order) that applied the object and have not reverted it since. */
  others: ReadonlyMap<string, RequestHandle[]>;
}

export const noOwnership: RequestOwnership = { own: new Set(), others: new Map() };

type OwnershipDb = Pick<Db, "applyObjectResult" | "applyRun">;

export async function loadRequestOwnership(
  db: OwnershipDb,
  request: { id: string; clusterTargetId: string | null },
  refs: readonly ObjectRef[],
): Promise<RequestOwnership> {
  if (!request.clusterTargetId || !refs.length) return noOwnership;
  // Matched on kind, namespace and name, so every version of the object's API group is found; objectKey then drops
  // same-named objects of another group.
  const rows = await db.applyObjectResult.findMany({
    where: {
      phase: "apply",
      outcome: { in: ["created", "configured", "unchanged"] },
      applyRun: { operation: "apply", request: { clusterTargetId: request.clusterTargetId } },
      OR: refs.map((ref) => ({ kind: ref.kind, namespace: ref.namespace ?? null, name: ref.name })),
    },
    select: {
      apiVersion: true,
      kind: true,
      namespace: true,
      name: true,
      applyRun: { select: { requestId: true, createdAt: true, request: { select: { number: true } } } },
    },
  });
  const requestIds = [...new Set(rows.map((r) => r.applyRun.requestId))];
  const reverts = requestIds.length
    ? await db.applyRun.findMany({
        where: { requestId: { in: requestIds }, operation: "revert", status: "succeeded" },
        select: { requestId: true, createdAt: true },
      })
    : [];
  const holders = holdersOf(
    rows.map((r) => ({
      ref: refOfRow(r),
      requestId: r.applyRun.requestId,
      number: r.applyRun.request.number,
      runCreatedAt: r.applyRun.createdAt,
    })),
    reverts.map((r) => ({ requestId: r.requestId, runCreatedAt: r.createdAt })),
  );
  const wanted = new Set(refs.map(objectKey));
  const own = new Set<string>();
  const others = new Map<string, RequestHandle[]>();
  for (const [key, byRequest] of holders) {
    if (!wanted.has(key)) continue;
    if (byRequest.has(request.id)) own.add(key);
    const rest = [...byRequest.values()].filter((h) => h.requestId !== request.id).sort((a, b) => a.number - b.number);
    if (rest.length) others.set(key, rest);
  }
  return { own, others };
}
