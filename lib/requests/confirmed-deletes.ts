// What a person confirmed a revert would delete, held against what the revert job finds it may delete when it runs.
//
// The revert dialog, the endpoint and the job share one plan (revert-plan.server.ts), but the job plans again when
// it runs, and other requests' reverts and applies may have finished in between: an object may become this request's
// to delete (the last other holder was reverted), or stop being so (another request applied it since). The job
// deletes only what is in both. What became deletable afterwards is left and named, and the run ends incomplete so
// that the request can be reverted again with a confirmation that shows it. What was confirmed but is no longer
// deletable is left, named as the plan says (left in place for its holders, or no longer this request's).
// Objects are matched by objectKey (API group, kind, namespace, name), like the plan's own rules: the endpoint accepts
// a confirmation on that identity, so the job must hold its plan against the stored list the same way.
import { z } from "zod";
import { describeRef, type ObjectRef, refOfRow } from "@/lib/k8s/object-ref";
import { objectKey } from "./object-identity";
import { inheritedReason } from "./inherited-objects";
import { stillAppliedReason } from "./still-applied-by";
import type { RevertPlan } from "./revert-plan";

/** Stored as `confirmedDeletes` in the data of the request's "revert.queued" event. */
export const confirmedDeletesSchema = z.array(
  z.object({ apiVersion: z.string(), kind: z.string(), name: z.string(), namespace: z.string().optional() }),
);

/** The confirmed list recorded when the revert was queued; empty when none was recorded (nothing was confirmed). */
export function confirmedDeletesOf(eventData: unknown): ObjectRef[] {
  const parsed = confirmedDeletesSchema.safeParse(
    (eventData as { confirmedDeletes?: unknown } | null)?.confirmedDeletes,
  );
  return parsed.success ? parsed.data.map(refOfRow) : [];
}

export const NOT_CONFIRMED = "not in what was confirmed";
/** Why a planned object was left: on its result row. */
export const NOT_CONFIRMED_REASON = `${NOT_CONFIRMED}: revert again to delete it`;

export interface ConfirmedSplit {
  /** In the plan's order: planned and confirmed. */
  toDelete: ObjectRef[];
  /** Planned but not confirmed: left, and the run ends incomplete. */
  notConfirmed: ObjectRef[];
  /** Confirmed, but the plan neither deletes nor leaves them in place any more (no longer the request's). */
  noLongerDeletable: ObjectRef[];
}

/** `leftInPlace`: what the plan leaves for other requests (it names those itself). */
export function splitByConfirmation(
  planned: readonly ObjectRef[],
  leftInPlace: readonly ObjectRef[],
  confirmed: readonly ObjectRef[],
): ConfirmedSplit {
  const confirmedKeys = new Set(confirmed.map(objectKey));
  const plannedKeys = new Set(planned.map(objectKey));
  const leftKeys = new Set(leftInPlace.map(objectKey));
  return {
    toDelete: planned.filter((ref) => confirmedKeys.has(objectKey(ref))),
    notConfirmed: planned.filter((ref) => !confirmedKeys.has(objectKey(ref))),
    noLongerDeletable: confirmed.filter((ref) => !plannedKeys.has(objectKey(ref)) && !leftKeys.has(objectKey(ref))),
  };
}

/** How a confirmed list differs from the plan's delete list, when queueing a revert; null when they are one set. */
export interface ConfirmationDifference {
  /** In the plan's order: the revert would delete these, and the person was not shown them. */
  notConfirmed: ObjectRef[];
  /** In the confirmed order: the person was shown these as deleted, and the revert would not delete them now. */
  notPlanned: ObjectRef[];
}

export function differenceFromPlan(
  planned: readonly ObjectRef[],
  confirmed: readonly ObjectRef[],
): ConfirmationDifference | null {
  const { notConfirmed, noLongerDeletable: notPlanned } = splitByConfirmation(planned, [], confirmed);
  return notConfirmed.length || notPlanned.length ? { notConfirmed, notPlanned } : null;
}

export const CONFIRMATION_CHANGED = "the objects to delete changed since the dialog opened: reload and confirm again";

/** The endpoint's 409 when the confirmed list is not the plan's: what the revert would delete that was not shown, and why what was shown is no longer deleted. */
export function confirmationChangedMessage(
  difference: ConfirmationDifference,
  plan: Pick<RevertPlan, "leftInPlace" | "inherited">,
): string {
  const inherited = new Map(plan.inherited.map((i) => [objectKey(i.ref), i]));
  const left = new Map(plan.leftInPlace.map((l) => [objectKey(l.ref), l]));
  const added = difference.notConfirmed.map((ref) => {
    const from = inherited.get(objectKey(ref));
    return from ? `${describeRef(ref)} (${inheritedReason(from)})` : describeRef(ref);
  });
  const dropped = difference.notPlanned.map((ref) => {
    const kept = left.get(objectKey(ref));
    return `${describeRef(ref)} (${kept ? `left in place: ${stillAppliedReason(kept.stillAppliedBy)}` : "not this request's to delete"})`;
  });
  return [
    `${CONFIRMATION_CHANGED}.`,
    ...(added.length ? [`Would also be deleted: ${added.join(", ")}.`] : []),
    ...(dropped.length ? [`No longer deleted: ${dropped.join(", ")}.`] : []),
  ].join(" ");
}
