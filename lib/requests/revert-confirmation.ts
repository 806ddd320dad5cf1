// What the revert dialog lists as to be deleted, and sends as the confirmation (`confirmedDeletes`): the endpoint
// refuses a list that differs from its own plan, and the job deletes only what is in the list it stored.
import { sortForDelete } from "@/lib/k8s/apply-order";
import type { ObjectRef } from "@/lib/k8s/object-ref";
import { objectKey } from "./object-identity";
import type { InheritedObject } from "./inherited-objects";
import type { LeftInPlace } from "./still-applied-by";

/**
 * The plan's delete list as the dialog shows it: the inherited objects and the created ones, without those left in
 * place for other requests, in the order the job deletes them (deleteObjects sorts with sortForDelete, from the plan's
 * order: inherited, then created).
 */
export function deletesToConfirm(plan: {
  created: readonly ObjectRef[];
  leftInPlace: readonly LeftInPlace[];
  inherited: readonly InheritedObject[];
}): ObjectRef[] {
  const kept = new Set(plan.leftInPlace.map((l) => objectKey(l.ref)));
  return sortForDelete([...plan.inherited.map((i) => i.ref), ...plan.created].filter((r) => !kept.has(objectKey(r))));
}

/** One object as the revert endpoint takes it: nothing but its identity. */
export function confirmationRef(ref: ObjectRef): ObjectRef {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    name: ref.name,
  };
}
