// What a person confirmed a revert would delete, held against what the revert job finds it may delete when it runs.
//
// The revert dialog, the endpoint and the job share one plan (revert-plan.server.ts), but the job plans again when
// it runs, and other requests' reverts and applies may have finished in between: an object may become this request's
// to delete (the last other holder was reverted), or stop being so (another request applied it since). The job
// deletes only what is in both. What became deletable afterwards is left and named, and the run ends incomplete so
// that the request can be reverted again with a confirmation that shows it. What was confirmed but is no longer
// deletable is left, named as the plan says (left in place for its holders, or no longer this request's).
import { z } from "zod";
import { type ObjectRef, refKey } from "@/lib/k8s/object-ref";

/** Stored as `confirmedDeletes` in the data of the request's "revert.queued" event. */
export const confirmedDeletesSchema = z.array(z.object({ apiVersion: z.string(), kind: z.string(), name: z.string(), namespace: z.string().optional() }));

/** The confirmed list recorded when the revert was queued; empty when none was recorded (nothing was confirmed). */
export function confirmedDeletesOf(eventData: unknown): ObjectRef[] {
  const parsed = confirmedDeletesSchema.safeParse((eventData as { confirmedDeletes?: unknown } | null)?.confirmedDeletes);
  return parsed.success ? parsed.data.map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) })) : [];
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
export function splitByConfirmation(planned: readonly ObjectRef[], leftInPlace: readonly ObjectRef[], confirmed: readonly ObjectRef[]): ConfirmedSplit {
  const confirmedKeys = new Set(confirmed.map(refKey));
  const plannedKeys = new Set(planned.map(refKey));
  const leftKeys = new Set(leftInPlace.map(refKey));
  return {
    toDelete: planned.filter((ref) => confirmedKeys.has(refKey(ref))),
    notConfirmed: planned.filter((ref) => !confirmedKeys.has(refKey(ref))),
    noLongerDeletable: confirmed.filter((ref) => !plannedKeys.has(refKey(ref)) && !leftKeys.has(refKey(ref))),
  };
}
