// Which recorded results are about the same object in the cluster. The API server serves one object under every
// version of its API group: a HorizontalPodAutoscaler applied as autoscaling/v2beta2 by an older request and as
// autoscaling/v2 by a newer one (after a generator upgrade) is one object, and deleting it for the first deletes it
// for the second. So the revert rules match on API group, kind, namespace and name; the version only says how the
// object was written. (refKey in lib/k8s/object-ref.ts keeps the version: it names a manifest, not a live object.)
import type { ObjectRef } from "@/lib/k8s/object-ref";

/** "autoscaling" for "autoscaling/v2"; "" for the core group ("v1"). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** The object's identity in the cluster, whichever version of its group it was applied at. */
export function objectKey(
  ref: Pick<ObjectRef, "apiVersion" | "kind" | "name"> & { namespace?: string | null },
): string {
  return `${apiGroupOf(ref.apiVersion)}|${ref.kind}|${ref.namespace ?? ""}|${ref.name}`;
}
