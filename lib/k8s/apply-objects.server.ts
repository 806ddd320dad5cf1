import "server-only";
// Server-side apply of a plan's objects: a dry-run (dryRun=All) of every object first, then the real apply in
// dependency order with one field manager, never forcing unless asked. Each result is reported as it happens.
import { PatchStrategy } from "@kubernetes/client-node";
import { type KubernetesApiFailure, summarizeFailure } from "./api-errors";
import { sortForApply } from "./apply-order";
import type { KubernetesClient } from "./create-client.server";
import { type FieldDifference, diffObjects } from "./diff-objects";
import { type ObjectRef, describeRef, refOf, specOfRef } from "./object-ref";
import { type RetryOptions, callWithRetries } from "./retry-policy";
import type { KubernetesObject } from "./types";
import { toClientModel, toWireFormat } from "./wire-format";

export type ApplyOutcome = "created" | "configured" | "unchanged" | "failed" | "skipped";

export interface ObjectApplyResult {
  ref: ObjectRef;
  phase: "dry-run" | "apply";
  /** In the dry-run phase: what the real apply would do. */
  outcome: ApplyOutcome;
  attempts: number;
  httpStatus?: number;
  resourceVersion?: string;
  uid?: string;
  /** Dry-run phase: desired versus live, for the approval diff. */
  changes?: FieldDifference[];
  failure?: KubernetesApiFailure;
  /** One line for the request's timeline. */
  message: string;
}

export interface ApplyObjectsOptions {
  fieldManager: string;
  /** Take ownership of fields other managers own. An admin action: the caller audits it. */
  force?: boolean;
  /** Stop after the dry-run pass (approval preview). */
  dryRun?: boolean;
  onResult?: (result: ObjectApplyResult) => void | Promise<void>;
  retry?: Omit<RetryOptions, "knownSecrets" | "onRetry">;
}

export interface ApplyReport {
  ok: boolean;
  /** Where it stopped on failure: the dry-run (nothing was applied) or the apply. */
  failedPhase?: "dry-run" | "apply";
  dryRun: ObjectApplyResult[];
  applied: ObjectApplyResult[];
}

type LiveRead =
  | { ok: true; live?: KubernetesObject; attempts: number }
  | { ok: false; failure: KubernetesApiFailure; attempts: number };

async function readLive(client: KubernetesClient, ref: ObjectRef, retry: RetryOptions): Promise<LiveRead> {
  const read = await callWithRetries(() => client.objects.read(specOfRef(ref)), retry);
  if (read.ok) return { ok: true, live: toWireFormat(read.value, ref.apiVersion, ref.kind), attempts: read.attempts };
  if (read.failure.code === 404 && read.failure.kind === "api")
    return { ok: true, live: undefined, attempts: read.attempts };
  return read;
}

function serverSideApply(
  client: KubernetesClient,
  obj: KubernetesObject,
  options: ApplyObjectsOptions,
  dryRun: boolean,
  retry: RetryOptions,
) {
  return callWithRetries(
    () =>
      client.withHttpStatus(() =>
        client.objects.patch(
          toClientModel(obj),
          undefined,
          dryRun ? "All" : undefined,
          options.fieldManager,
          options.force ?? false,
          PatchStrategy.ServerSideApply,
        ),
      ),
    retry,
  );
}

/** A dry-run failure that only means "an earlier object of this apply (namespace, CRD) does not exist yet". */
function waitsForEarlierObject(failure: KubernetesApiFailure, obj: KubernetesObject, all: KubernetesObject[]): boolean {
  const ns = obj.metadata.namespace;
  if (failure.code === 404 && ns && failure.message === `namespaces "${ns}" not found`) {
    return all.some((o) => o.kind === "Namespace" && o.metadata.name === ns);
  }
  if (failure.kind === "unknown_kind") {
    const group = obj.apiVersion.split("/")[0];
    return all.some((o) => {
      const spec = o.spec as { group?: string; names?: { kind?: string } } | undefined;
      return o.kind === "CustomResourceDefinition" && spec?.group === group && spec?.names?.kind === obj.kind;
    });
  }
  return false;
}

async function dryRunOne(
  client: KubernetesClient,
  obj: KubernetesObject,
  all: KubernetesObject[],
  options: ApplyObjectsOptions,
  retry: RetryOptions,
): Promise<ObjectApplyResult> {
  const ref = refOf(obj);
  const before = await readLive(client, ref, retry);
  const failed = (failure: KubernetesApiFailure, attempts: number): ObjectApplyResult => ({
    ref,
    phase: "dry-run",
    outcome: "failed",
    attempts,
    failure,
    message: `${describeRef(ref)}: dry-run failed: ${summarizeFailure(failure)}`,
  });
  if (!before.ok && !waitsForEarlierObject(before.failure, obj, all)) return failed(before.failure, before.attempts);
  const live = before.ok ? before.live : undefined;
  const changes = diffObjects(obj, live);
  const answer = await serverSideApply(client, obj, options, true, retry);
  if (!answer.ok) {
    if (waitsForEarlierObject(answer.failure, obj, all)) {
      return {
        ref,
        phase: "dry-run",
        outcome: "created",
        attempts: answer.attempts,
        changes,
        message: `${describeRef(ref)}: would be created (validated once its namespace or CRD exists)`,
      };
    }
    return failed(answer.failure, answer.attempts);
  }
  if (live) {
    // Fields this manager applied before and no longer applies are removed by the server: part of the diff too.
    const afterApply = toWireFormat(answer.value.value, ref.apiVersion, ref.kind);
    const { status: _status, ...liveWithoutStatus } = live;
    for (const gone of diffObjects(liveWithoutStatus, afterApply)) {
      if (gone.live === undefined) changes.push({ path: gone.path, desired: undefined, live: gone.desired });
    }
  }
  const outcome: ApplyOutcome =
    answer.value.status === 201 || !live ? "created" : changes.length > 0 ? "configured" : "unchanged";
  const verb =
    outcome === "created"
      ? "would be created"
      : outcome === "configured"
        ? `would change ${changes.length} field(s)`
        : "would be unchanged";
  return {
    ref,
    phase: "dry-run",
    outcome,
    attempts: answer.attempts,
    httpStatus: answer.value.status,
    changes,
    message: `${describeRef(ref)}: ${verb}`,
  };
}

async function applyOne(
  client: KubernetesClient,
  obj: KubernetesObject,
  options: ApplyObjectsOptions,
  retry: RetryOptions,
): Promise<ObjectApplyResult> {
  const ref = refOf(obj);
  const failed = (failure: KubernetesApiFailure, attempts: number): ObjectApplyResult => {
    const conflicts = failure.conflicts?.map((c) => `${c.field} (owned by "${c.manager}")`).join(", ");
    return {
      ref,
      phase: "apply",
      outcome: "failed",
      attempts,
      failure,
      message: `${describeRef(ref)}: ${conflicts ? `conflicts on ${conflicts}: ` : ""}${summarizeFailure(failure)}${attempts > 1 ? ` (after ${attempts} attempts)` : ""}`,
    };
  };
  const before = await readLive(client, ref, retry);
  if (!before.ok) return failed(before.failure, before.attempts);
  const answer = await serverSideApply(client, obj, options, false, retry);
  if (!answer.ok) return failed(answer.failure, answer.attempts);
  const metadata = answer.value.value.metadata as { resourceVersion?: string; uid?: string } | undefined;
  const rvBefore = before.live?.metadata.resourceVersion as string | undefined;
  // Absent before means we created it, even when a retry after a lost reply answered 200 for our own create.
  const outcome: ApplyOutcome =
    answer.value.status === 201 || !before.live
      ? "created"
      : metadata?.resourceVersion === rvBefore
        ? "unchanged"
        : "configured";
  return {
    ref,
    phase: "apply",
    outcome,
    attempts: answer.attempts,
    httpStatus: answer.value.status,
    resourceVersion: metadata?.resourceVersion,
    uid: metadata?.uid,
    message: `${describeRef(ref)}: ${outcome}`,
  };
}

export async function applyObjects(
  client: KubernetesClient,
  objects: readonly KubernetesObject[],
  options: ApplyObjectsOptions,
): Promise<ApplyReport> {
  const ordered = sortForApply(objects);
  const retry: RetryOptions = { ...options.retry, knownSecrets: client.knownSecrets };
  const report: ApplyReport = { ok: true, dryRun: [], applied: [] };
  for (const obj of ordered) {
    const result = await dryRunOne(client, obj, ordered, options, retry);
    report.dryRun.push(result);
    await options.onResult?.(result);
  }
  if (report.dryRun.some((r) => r.outcome === "failed")) return { ...report, ok: false, failedPhase: "dry-run" };
  if (options.dryRun) return report;
  for (const [index, obj] of ordered.entries()) {
    const result = await applyOne(client, obj, options, retry);
    report.applied.push(result);
    await options.onResult?.(result);
    if (result.outcome === "failed") {
      // Dependents of a failed object would fail or misbehave: record them as not attempted.
      for (const rest of ordered.slice(index + 1)) {
        const skipped: ObjectApplyResult = {
          ref: refOf(rest),
          phase: "apply",
          outcome: "skipped",
          attempts: 0,
          message: `${describeRef(refOf(rest))}: not applied because ${describeRef(result.ref)} failed`,
        };
        report.applied.push(skipped);
        await options.onResult?.(skipped);
      }
      return { ...report, ok: false, failedPhase: "apply" };
    }
  }
  return report;
}
