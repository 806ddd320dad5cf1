import "server-only";
// The revert half of the request job: deletes what the request created (created-objects.ts) or inherited from the
// reverts of its creators (inherited-objects.ts) that no other request still applies (still-applied-by.ts), that
// the person confirmed (confirmed-deletes.ts) and that this portal's field manager still applies. The caller holds
// the cluster's operation lock from the plan to the finish (cluster-operation-lock.server.ts), so no apply or revert
// of another request on the cluster writes rows the plan should have seen.
import { getPrisma } from "@/lib/db/prisma.server";
import type { HeldLock } from "@/lib/db/session-advisory-lock.server";
import { deleteObjects, readLiveObjects } from "@/lib/k8s/drift.server";
import { type ObjectRef, describeRef, refKey } from "@/lib/k8s/object-ref";
import { objectKey } from "./object-identity";
import { appliedByFieldManager } from "@/lib/k8s/field-managers";
import { writeFenced, type ClaimedRun } from "./apply-run-store.server";
import type { RevertPlan } from "./revert-plan.server";
import { stillAppliedReason } from "./still-applied-by";
import { inheritedReason } from "./inherited-objects";
import { addRequestEvent } from "./request-events.server";
import { confirmedDeletesOf, NOT_CONFIRMED, NOT_CONFIRMED_REASON, splitByConfirmation } from "./confirmed-deletes";
import { finishRun } from "./finish-run.server";

/** What the person confirmed when the revert was queued (the "revert.queued" event of this run). */
export async function loadConfirmedDeletes(run: Pick<ClaimedRun, "id" | "requestId">): Promise<ObjectRef[]> {
  const queued = await getPrisma().requestEvent.findFirst({
    where: { requestId: run.requestId, type: "revert.queued", data: { path: ["applyRunId"], equals: run.id } },
    select: { data: true },
  });
  return confirmedDeletesOf(queued?.data);
}

const list = (refs: readonly ObjectRef[]) => refs.map(describeRef).join(", ");

/**
 * Objects another request still applies, or one the request applied after another created it while others still
 * apply it, are left and named: every request applies under the same field manager, so only the recorded results
 * tell them apart. That may be all the revert does, and it still succeeds: the request no longer holds those
 * objects, and the last holder's revert deletes them. An object whose creator's revert left it for this request is
 * deleted with the rest, its result naming where it came from. Each is read first and deleted only while this
 * portal's field manager still applies it: the recorded results cannot rule out that somebody else made or re-made
 * one (see created-objects.ts). Objects left in place are recorded as "unchanged" with the reason. Objects the plan
 * would delete but the person did not confirm are recorded as "failed" (the request still holds them) and the run
 * ends incomplete, so the request can be reverted again with a confirmation that names them.
 * Each delete carries preconditions.uid, the uid the object had when the portal created it (plan.uidGuards): one
 * deleted and re-made outside the portal since is not the portal's, even when a later apply added this portal's field
 * manager to it. The API server refuses that delete (409), and the object is left in place and named like the others.
 */
export async function revertRun(
  run: ClaimedRun,
  client: Parameters<typeof deleteObjects>[0],
  plan: RevertPlan,
  confirmed: readonly ObjectRef[],
  lock: HeldLock,
) {
  const split = splitByConfirmation(
    plan.toDelete,
    plan.leftInPlace.map((l) => l.ref),
    confirmed,
  );
  let index = 0;
  const record = (
    ref: ObjectRef,
    outcome: "deleted" | "unchanged" | "failed",
    message: string,
    httpStatus: number | null = null,
  ) =>
    writeFenced(run, async (tx) => {
      const i = index++;
      const data = {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        namespace: ref.namespace ?? null,
        name: ref.name,
        outcome,
        httpStatus,
        message,
      };
      await tx.applyObjectResult.upsert({
        where: {
          applyRunId_attempt_phase_index: { applyRunId: run.id, attempt: run.attempt, phase: "delete", index: i },
        },
        create: { applyRunId: run.id, attempt: run.attempt, phase: "delete", index: i, ...data },
        update: data,
      });
      await addRequestEvent(tx, run.requestId, { type: "object.delete", message, data: { outcome, ref } });
    });
  const inheritedFrom = new Map(plan.inherited.map((i) => [refKey(i.ref), inheritedReason(i)]));
  const withOrigin = (ref: ObjectRef, message: string) =>
    inheritedFrom.has(refKey(ref)) ? `${message} (${inheritedFrom.get(refKey(ref))})` : message;

  const left: { ref: ObjectRef; reason: string; stillAppliedBy?: { requestId: string; number: number }[] }[] = [];
  for (const { ref, stillAppliedBy } of plan.leftInPlace) {
    const reason = stillAppliedReason(stillAppliedBy);
    left.push({ ref, reason, stillAppliedBy });
    await record(ref, "unchanged", `${describeRef(ref)}: left in place: ${reason}`);
  }
  for (const ref of split.notConfirmed)
    await record(ref, "failed", `${withOrigin(ref, describeRef(ref))}: not deleted: ${NOT_CONFIRMED_REASON}`);
  let unreadable = 0;
  const owned: ObjectRef[] = [];
  for (const entry of await readLiveObjects(client, split.toDelete)) {
    if (entry.found === "unknown") {
      unreadable++;
      await record(
        entry.ref,
        "failed",
        `${describeRef(entry.ref)}: not deleted, its owner could not be checked: ${entry.failure.message}`,
        entry.failure.code ?? null,
      );
    } else if (entry.found && !appliedByFieldManager(entry.live, run.fieldManager)) {
      const reason = `field manager "${run.fieldManager}" no longer applies it (somebody else created or took over it)`;
      left.push({ ref: entry.ref, reason });
      await record(entry.ref, "unchanged", `${describeRef(entry.ref)}: left in place: ${reason}`);
    } else {
      owned.push(entry.ref);
    }
  }
  let requestNumber: number | undefined;
  const remadeReason = async (ref: ObjectRef) => {
    const guard = plan.uidGuards[objectKey(ref)];
    const creator =
      guard?.createdBy?.number ??
      (requestNumber ??= (
        await getPrisma().request.findUniqueOrThrow({ where: { id: run.requestId }, select: { number: true } })
      ).number);
    return `re-created outside the portal since REQ-${creator} created it (uid changed)`;
  };
  const result = await deleteObjects(client, owned, {
    uidOf: (ref) => plan.uidGuards[objectKey(ref)]?.uid,
    beforeDelete: async () => {
      if (lock.lost.aborted)
        throw new Error(`the cluster lock's database connection was lost before the next delete; the run is retried`);
      await writeFenced(run, async () => undefined); // throws StaleAttemptError when a newer attempt took the run
    },
    onResult: async (r) => {
      if (r.outcome === "uid_changed") {
        const reason = await remadeReason(r.ref);
        left.push({ ref: r.ref, reason });
        return record(
          r.ref,
          "unchanged",
          `${describeRef(r.ref)} was ${reason}: left in place; delete it by hand if it should go`,
          r.failure?.code ?? null,
        );
      }
      return record(
        r.ref,
        r.outcome === "failed" ? "failed" : "deleted",
        withOrigin(r.ref, r.message),
        r.failure?.code ?? null,
      );
    },
  });
  const deleted = result.results.filter((r) => r.outcome !== "uid_changed");

  const failed = result.results.filter((r) => r.outcome === "failed").length + unreadable;
  const leftNote = left.length
    ? `; left in place ${left.length}: ${left.map((l) => `${describeRef(l.ref)} (${l.reason})`).join(", ")}`
    : "";
  const noLongerNote = split.noLongerDeletable.length
    ? `; confirmed but no longer this request's to delete: ${list(split.noLongerDeletable)}`
    : "";
  const notConfirmedNote = split.notConfirmed.length
    ? `; ${NOT_CONFIRMED}: ${split.notConfirmed.map((ref) => withOrigin(ref, describeRef(ref))).join(", ")}: revert again to delete ${split.notConfirmed.length > 1 ? "them" : "it"}`
    : "";
  const inherited = plan.inherited.filter(
    (i) => owned.some((ref) => refKey(ref) === refKey(i.ref)) && !left.some((l) => refKey(l.ref) === refKey(i.ref)),
  );
  const inheritedNote = inherited.length
    ? `, including ${inherited.map((i) => `${describeRef(i.ref)} (${inheritedReason(i)})`).join(", ")}`
    : "";
  const deletedNote = deleted.length ? `${deleted.length} objects deleted or already gone` : "nothing deleted";
  const data = {
    ...(left.length ? { leftInPlace: left } : {}),
    ...(inherited.length ? { inherited } : {}),
    ...(split.notConfirmed.length ? { notConfirmed: split.notConfirmed } : {}),
    ...(split.noLongerDeletable.length ? { noLongerDeletable: split.noLongerDeletable } : {}),
  };
  const withData = Object.keys(data).length ? { data } : {};
  if (failed === 0 && split.notConfirmed.length === 0) {
    return finishRun(run, {
      ok: true,
      requestStatus: "reverted",
      message: `Reverted: ${deletedNote}${inheritedNote}${leftNote}${noLongerNote}`,
      ...withData,
    });
  }
  const error = failed
    ? (result.results.find((r) => r.outcome === "failed")?.message ?? "an object's owner could not be checked")
    : `${list(split.notConfirmed)}: ${NOT_CONFIRMED_REASON}`;
  const summary = failed ? `${failed} object(s) could not be deleted` : deletedNote;
  return finishRun(run, {
    ok: false,
    requestStatus: "apply_failed",
    error,
    message: `Revert incomplete: ${summary}${notConfirmedNote}${leftNote}${noLongerNote}`,
    ...withData,
  });
}
