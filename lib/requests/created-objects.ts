// What a request created in the cluster, as its apply runs recorded it: only objects whose apply answered
// "created" (in any attempt: a retried attempt sees its predecessor's objects as "unchanged"). Revert deletes
// exactly these, never objects that existed before the request (a shared namespace, another team's config).
import type { ObjectRef } from "@/lib/k8s/object-ref";

export interface RecordedResult {
  operation: "apply" | "revert";
  phase: "dry_run" | "apply" | "delete";
  outcome: string;
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
}

const key = (r: { apiVersion: string; kind: string; namespace?: string | null; name: string }) => `${r.apiVersion}|${r.kind}|${r.namespace ?? ""}|${r.name}`;

/** Objects created by the request's applies and not deleted by a later revert, in the order they were created. */
export function createdObjects(results: readonly RecordedResult[]): ObjectRef[] {
  const created = new Map<string, ObjectRef>();
  for (const r of results) {
    if (r.operation === "apply" && r.phase === "apply" && r.outcome === "created") {
      created.set(key(r), { apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) });
    }
    if (r.operation === "revert" && r.phase === "delete" && r.outcome === "deleted") created.delete(key(r));
  }
  return [...created.values()];
}
