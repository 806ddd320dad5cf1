import "server-only";
// Velero through the Kubernetes API (no velero CLI, no shell): list and create Backups, create Restores
// (optionally into scratch namespaces through namespaceMapping) and follow their phase.
import type { KubernetesApiFailure } from "./api-errors";
import type { KubernetesClient } from "./create-client.server";
import { type RetryOptions, callWithRetries } from "./retry-policy";
import type { KubernetesObject } from "./types";
import { type VeleroObjectSummary, finalVeleroPhases, summarizeVeleroObject, veleroApiVersion } from "./velero-backups";

type Failure<R extends string> = { ok: false; reason: R; message: string; failure?: KubernetesApiFailure };
export type VeleroFailure = Failure<"velero_not_installed" | "not_found" | "already_exists" | "invalid" | "api_error">;

function veleroFailure(what: string, failure: KubernetesApiFailure): VeleroFailure {
  if (failure.kind === "unknown_kind") return { ok: false, reason: "velero_not_installed", failure, message: `Velero is not installed in this cluster (${failure.message}): install Velero before running backup or restore steps` };
  if (failure.code === 404) return { ok: false, reason: "not_found", failure, message: `${what} was not found: ${failure.message}` };
  if (failure.code === 409) return { ok: false, reason: "already_exists", failure, message: `${what} already exists: choose another name` };
  if (failure.code === 422) return { ok: false, reason: "invalid", failure, message: failure.message };
  return { ok: false, reason: "api_error", failure, message: `${what}: ${failure.message}` };
}

const retryWith = (client: KubernetesClient, retry?: RetryOptions) => ({ ...retry, knownSecrets: client.knownSecrets });

export async function listVeleroBackups(
  client: KubernetesClient,
  options: { namespace?: string; labelSelector?: string; retry?: RetryOptions } = {},
): Promise<{ ok: true; backups: VeleroObjectSummary[] } | VeleroFailure> {
  const namespace = options.namespace ?? "velero";
  const list = await callWithRetries(
    () => client.objects.list(veleroApiVersion, "Backup", namespace, undefined, undefined, undefined, undefined, options.labelSelector),
    retryWith(client, options.retry),
  );
  if (!list.ok) return veleroFailure(`Velero backups in ${namespace}`, list.failure);
  return { ok: true, backups: list.value.items.map((b) => summarizeVeleroObject("Backup", b as never)) };
}

export interface CreateBackupInput {
  name: string;
  namespace?: string;
  includedNamespaces: string[];
  labels?: Record<string, string>;
  /** Go duration, e.g. "720h0m0s". */
  ttl?: string;
  storageLocation?: string;
  snapshotVolumes?: boolean;
}

async function create(client: KubernetesClient, obj: KubernetesObject, what: string, retry?: RetryOptions) {
  const created = await callWithRetries(() => client.objects.create(structuredClone(obj)), retryWith(client, retry));
  if (!created.ok) {
    // A retried create whose first attempt reached the server gets 409 for our own object: read it back.
    if (created.failure.code === 409 && created.attempts > 1) {
      const existing = await callWithRetries(() => client.objects.read(structuredClone(obj)), retryWith(client, retry));
      if (existing.ok) return { ok: true as const, object: existing.value as unknown as KubernetesObject };
    }
    return veleroFailure(what, created.failure);
  }
  return { ok: true as const, object: created.value as unknown as KubernetesObject };
}

export async function createVeleroBackup(
  client: KubernetesClient,
  input: CreateBackupInput,
  options: { retry?: RetryOptions } = {},
): Promise<{ ok: true; backup: VeleroObjectSummary } | VeleroFailure> {
  const namespace = input.namespace ?? "velero";
  const backup: KubernetesObject = {
    apiVersion: veleroApiVersion,
    kind: "Backup",
    metadata: { name: input.name, namespace, labels: { "app.kubernetes.io/managed-by": "ml-portal", ...input.labels } },
    spec: {
      includedNamespaces: input.includedNamespaces,
      ...(input.ttl ? { ttl: input.ttl } : {}),
      ...(input.storageLocation ? { storageLocation: input.storageLocation } : {}),
      ...(input.snapshotVolumes !== undefined ? { snapshotVolumes: input.snapshotVolumes } : {}),
    },
  };
  const result = await create(client, backup, `Velero Backup ${namespace}/${input.name}`, options.retry);
  return result.ok ? { ok: true as const, backup: summarizeVeleroObject("Backup", result.object as never) } : result;
}

export interface CreateRestoreInput {
  name: string;
  backupName: string;
  namespace?: string;
  includedNamespaces?: string[];
  /** Restore into other namespaces, e.g. { "ml-inference": "ml-inference-drill" } for a scratch restore. */
  namespaceMapping?: Record<string, string>;
  labels?: Record<string, string>;
}

export async function createVeleroRestore(
  client: KubernetesClient,
  input: CreateRestoreInput,
  options: { retry?: RetryOptions } = {},
): Promise<{ ok: true; restore: VeleroObjectSummary } | VeleroFailure> {
  const namespace = input.namespace ?? "velero";
  const restore: KubernetesObject = {
    apiVersion: veleroApiVersion,
    kind: "Restore",
    metadata: { name: input.name, namespace, labels: { "app.kubernetes.io/managed-by": "ml-portal", ...input.labels } },
    spec: {
      backupName: input.backupName,
      ...(input.includedNamespaces ? { includedNamespaces: input.includedNamespaces } : {}),
      ...(input.namespaceMapping ? { namespaceMapping: input.namespaceMapping } : {}),
    },
  };
  const result = await create(client, restore, `Velero Restore ${namespace}/${input.name}`, options.retry);
  return result.ok ? { ok: true as const, restore: summarizeVeleroObject("Restore", result.object as never) } : result;
}

export async function getVeleroPhase(
  client: KubernetesClient,
  kind: "Backup" | "Restore",
  name: string,
  options: { namespace?: string; retry?: RetryOptions } = {},
): Promise<{ ok: true; summary: VeleroObjectSummary; final: boolean } | VeleroFailure> {
  const namespace = options.namespace ?? "velero";
  const read = await callWithRetries(
    () => client.objects.read({ apiVersion: veleroApiVersion, kind, metadata: { name, namespace } }),
    retryWith(client, options.retry),
  );
  if (!read.ok) return veleroFailure(`Velero ${kind} ${namespace}/${name}`, read.failure);
  const summary = summarizeVeleroObject(kind, read.value as never);
  return { ok: true, summary, final: finalVeleroPhases.has(summary.phase) };
}

/** Polls until the Backup/Restore reaches a final phase. A final phase is ok:true whatever it is: the caller judges it. */
export async function waitForVeleroPhase(
  client: KubernetesClient,
  kind: "Backup" | "Restore",
  name: string,
  options: { namespace?: string; timeoutMs: number; pollMs?: number; sleep?: (ms: number) => Promise<void>; now?: () => number; retry?: RetryOptions },
): Promise<{ ok: true; summary: VeleroObjectSummary; waitedMs: number } | VeleroFailure | (Failure<"timeout"> & { lastPhase?: string })> {
  const { sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now = Date.now, pollMs = 2000 } = options;
  const start = now();
  for (;;) {
    const phase = await getVeleroPhase(client, kind, name, options);
    if (!phase.ok) return phase;
    if (phase.final) return { ok: true, summary: phase.summary, waitedMs: now() - start };
    if (now() - start >= options.timeoutMs) {
      return { ok: false, reason: "timeout", lastPhase: phase.summary.phase, message: `Velero ${kind} ${name} was still ${phase.summary.phase} after ${Math.round(options.timeoutMs / 1000)} s: check the Velero server logs` };
    }
    await sleep(pollMs);
  }
}
