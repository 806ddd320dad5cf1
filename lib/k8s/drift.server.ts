import "server-only";
// "Check drift" and "revert": read what is live for a request's objects, compare with what was applied,
// and delete what the request created (dependents first; an object already gone counts as deleted).
import { type KubernetesApiFailure, isUidPreconditionFailure } from "./api-errors";
import { sortForDelete } from "./apply-order";
import type { KubernetesClient } from "./create-client.server";
import { type FieldDifference, diffObjects } from "./diff-objects";
import { type ObjectRef, describeRef, refOf, specOfRef } from "./object-ref";
import { type RetryOptions, callWithRetries } from "./retry-policy";
import type { KubernetesObject } from "./types";
import { toWireFormat } from "./wire-format";

export type LiveObject =
  | { ref: ObjectRef; found: true; live: KubernetesObject }
  | { ref: ObjectRef; found: false }
  | { ref: ObjectRef; found: "unknown"; failure: KubernetesApiFailure };

export async function readLiveObjects(
  client: KubernetesClient,
  refs: readonly ObjectRef[],
  retry: RetryOptions = {},
): Promise<LiveObject[]> {
  const out: LiveObject[] = [];
  for (const ref of refs) {
    const read = await callWithRetries(() => client.objects.read(specOfRef(ref)), {
      ...retry,
      knownSecrets: client.knownSecrets,
    });
    if (read.ok) out.push({ ref, found: true, live: toWireFormat(read.value, ref.apiVersion, ref.kind) });
    else if (read.failure.code === 404) out.push({ ref, found: false });
    else out.push({ ref, found: "unknown", failure: read.failure });
  }
  return out;
}

export interface ObjectDrift {
  ref: ObjectRef;
  status: "in_sync" | "drifted" | "missing" | "unknown";
  differences: FieldDifference[];
  failure?: KubernetesApiFailure;
}

export interface DriftReport {
  drifted: boolean;
  objects: ObjectDrift[];
}

export async function checkDrift(
  client: KubernetesClient,
  applied: readonly KubernetesObject[],
  retry: RetryOptions = {},
): Promise<DriftReport> {
  const live = await readLiveObjects(client, applied.map(refOf), retry);
  const objects = applied.map((desired, i): ObjectDrift => {
    const entry = live[i];
    // readLiveObjects answers once per ref, in order.
    if (!entry) throw new Error(`readLiveObjects answered ${live.length} of ${applied.length} objects`);
    if (entry.found === "unknown")
      return { ref: entry.ref, status: "unknown", differences: [], failure: entry.failure };
    if (!entry.found) return { ref: entry.ref, status: "missing", differences: [] };
    const differences = diffObjects(desired, entry.live);
    return { ref: entry.ref, status: differences.length > 0 ? "drifted" : "in_sync", differences };
  });
  return { drifted: objects.some((o) => o.status === "drifted" || o.status === "missing"), objects };
}

export interface DeleteResult {
  ref: ObjectRef;
  /** uid_changed: sent with preconditions.uid and refused, as the object there now has another uid (left in place). */
  outcome: "deleted" | "already_gone" | "uid_changed" | "failed";
  failure?: KubernetesApiFailure;
  message: string;
}

export async function deleteObjects(
  client: KubernetesClient,
  refs: readonly ObjectRef[],
  options: {
    onResult?: (result: DeleteResult) => void | Promise<void>;
    /**
     * Called right before each delete is sent; a throw stops the deletes there. Deletes are not fenced by the
     * API server, so a job whose claim may have been taken over (a newer attempt) checks it here, not only when
     * it records the result afterwards: that would be one delete too late.
     */
    beforeDelete?: (ref: ObjectRef) => Promise<void>;
    /**
     * The uid the object must still have to be deleted (DeleteOptions preconditions.uid), or undefined for none.
     * The API server checks it atomically with the delete, so an object deleted and re-made since is never deleted.
     */
    uidOf?: (ref: ObjectRef) => string | undefined;
    retry?: RetryOptions;
  } = {},
): Promise<{ ok: boolean; results: DeleteResult[] }> {
  const results: DeleteResult[] = [];
  for (const ref of sortForDelete(refs)) {
    await options.beforeDelete?.(ref);
    const uid = options.uidOf?.(ref);
    const answer = await callWithRetries(
      () =>
        client.objects.delete(
          specOfRef(ref),
          undefined,
          undefined,
          undefined,
          undefined,
          "Foreground",
          uid ? { preconditions: { uid } } : undefined,
        ),
      { ...options.retry, knownSecrets: client.knownSecrets },
    );
    const result: DeleteResult = answer.ok
      ? { ref, outcome: "deleted", message: `${describeRef(ref)}: deleted` }
      : answer.failure.code === 404 || answer.failure.kind === "unknown_kind"
        ? { ref, outcome: "already_gone", message: `${describeRef(ref)}: already gone` }
        : uid && isUidPreconditionFailure(answer.failure)
          ? {
              ref,
              outcome: "uid_changed",
              failure: answer.failure,
              message: `${describeRef(ref)}: not deleted: it is not the object with uid ${uid} (${answer.failure.message})`,
            }
          : {
              ref,
              outcome: "failed",
              failure: answer.failure,
              message: `${describeRef(ref)}: delete failed: ${answer.failure.message}`,
            };
    results.push(result);
    await options.onResult?.(result);
  }
  return { ok: results.every((r) => r.outcome !== "failed"), results };
}
