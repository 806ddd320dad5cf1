// Who manages a live object, from its metadata.managedFields (server-side apply's record of field ownership).
import type { KubernetesObject } from "./types";

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
}

/**
 * Whether `fieldManager` owns fields of the object through server-side apply (an "Apply" entry on the object
 * itself, not a subresource). Kubernetes drops a manager's entry once it owns no field, so an object that was
 * deleted and re-created by someone else, or whose every field was taken over, answers false.
 */
export function appliedByFieldManager(live: KubernetesObject, fieldManager: string): boolean {
  const entries = live.metadata.managedFields;
  if (!Array.isArray(entries)) return false;
  return (entries as ManagedFieldsEntry[]).some(
    (e) => e.manager === fieldManager && e.operation === "Apply" && !e.subresource,
  );
}
