import "server-only";
// Deployment actions for DR drills: roll back to the previous revision (as `kubectl rollout undo` does, client
// side), wait for the rollout, scale, and wait for pods to be Ready. Expected failures come back as values.
import type { V1Pod } from "@kubernetes/client-node";
import type { KubernetesApiFailure } from "./api-errors";
import type { KubernetesClient } from "./create-client.server";
import { type ReplicaSetLike, chooseRollbackTarget, rollbackPatch, templateWithoutHash } from "./deployment-revisions";
import { type RetryOptions, callWithRetries } from "./retry-policy";
import { serializeModel } from "./wire-format";
import { workloadReadiness } from "./workload-readiness";

export interface WaitOptions {
  timeoutMs: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  retry?: RetryOptions;
}

type Failure<R extends string> = { ok: false; reason: R; message: string; failure?: KubernetesApiFailure };
const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function apiFailure<R extends string>(reason: R, what: string, failure: KubernetesApiFailure): Failure<R | "not_found"> {
  if (failure.code === 404) return { ok: false, reason: "not_found", message: `${what} was not found`, failure };
  return { ok: false, reason, message: `${what}: ${failure.message}`, failure };
}

export type RollbackResult =
  | { ok: true; changed: boolean; fromRevision: number; toRevision: number; replicaSet: string; images: string[] }
  | Failure<"not_found" | "paused" | "no_previous_revision" | "revision_not_found" | "api_error">;

export async function rollbackDeployment(
  client: KubernetesClient,
  namespace: string,
  name: string,
  options: { toRevision?: number; fieldManager?: string; retry?: RetryOptions } = {},
): Promise<RollbackResult> {
  const retry = { ...options.retry, knownSecrets: client.knownSecrets };
  const what = `deployment ${namespace}/${name}`;
  const read = await callWithRetries(() => client.apps.readNamespacedDeployment({ name, namespace }), retry);
  if (!read.ok) return apiFailure("api_error", what, read.failure);
  const deployment = read.value;
  if (deployment.spec?.paused) return { ok: false, reason: "paused", message: `${what} is paused: resume it before rolling back` };
  const selector = Object.entries(deployment.spec?.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
  const sets = await callWithRetries(() => client.apps.listNamespacedReplicaSet({ namespace, labelSelector: selector }), retry);
  if (!sets.ok) return apiFailure("api_error", `ReplicaSets of ${what}`, sets.failure);
  const owned = sets.value.items.filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === deployment.metadata?.uid)) as unknown as ReplicaSetLike[];
  const choice = chooseRollbackTarget(what, owned, options.toRevision);
  if (!choice.ok) return choice;
  const target = choice.replicaSet;
  const images = ((target.spec.template.spec as { containers?: Array<{ image?: string }> } | undefined)?.containers ?? []).map((c) => c.image ?? "");
  const wireTemplate = serializeModel(templateWithoutHash(target.spec.template), "V1PodTemplateSpec");
  const currentTemplate = serializeModel(deployment.spec?.template, "V1PodTemplateSpec");
  if (JSON.stringify(wireTemplate) === JSON.stringify(currentTemplate)) {
    return { ok: true, changed: false, fromRevision: choice.fromRevision, toRevision: choice.toRevision, replicaSet: target.metadata.name, images };
  }
  const patch = rollbackPatch(deployment.metadata?.annotations ?? {}, target, wireTemplate);
  const patched = await callWithRetries(
    () => client.apps.patchNamespacedDeployment({ name, namespace, body: patch, fieldManager: options.fieldManager ?? "ml-portal-dr" }),
    retry,
  );
  if (!patched.ok) return apiFailure("api_error", `rolling back ${what}`, patched.failure);
  return { ok: true, changed: true, fromRevision: choice.fromRevision, toRevision: choice.toRevision, replicaSet: target.metadata.name, images };
}

export type RolloutResult =
  | { ok: true; detail: string; revision?: string; waitedMs: number }
  | Failure<"timeout" | "not_found" | "api_error">;

export async function waitForRollout(client: KubernetesClient, namespace: string, name: string, options: WaitOptions): Promise<RolloutResult> {
  const { sleep = defaultSleep, now = Date.now, pollMs = 1000 } = options;
  const start = now();
  let detail = "not read yet";
  for (;;) {
    const read = await callWithRetries(() => client.apps.readNamespacedDeployment({ name, namespace }), { ...options.retry, knownSecrets: client.knownSecrets });
    if (!read.ok) return apiFailure("api_error", `deployment ${namespace}/${name}`, read.failure);
    const readiness = workloadReadiness({ kind: "Deployment", metadata: read.value.metadata, spec: read.value.spec, status: read.value.status as Record<string, unknown> });
    detail = readiness.detail;
    if (readiness.ready) return { ok: true, detail, revision: read.value.metadata?.annotations?.["deployment.kubernetes.io/revision"], waitedMs: now() - start };
    if (now() - start >= options.timeoutMs) {
      return { ok: false, reason: "timeout", message: `deployment ${namespace}/${name} did not finish rolling out within ${Math.round(options.timeoutMs / 1000)} s (${detail})` };
    }
    await sleep(pollMs);
  }
}

export type ScaleResult = { ok: true; previousReplicas: number; replicas: number } | Failure<"not_found" | "invalid" | "api_error">;

export async function scaleDeployment(
  client: KubernetesClient,
  namespace: string,
  name: string,
  replicas: number,
  options: { fieldManager?: string; retry?: RetryOptions } = {},
): Promise<ScaleResult> {
  if (!Number.isInteger(replicas) || replicas < 0) {
    return { ok: false, reason: "invalid", message: `replicas (${replicas}) must be a whole number of 0 or more` };
  }
  const retry = { ...options.retry, knownSecrets: client.knownSecrets };
  const what = `deployment ${namespace}/${name}`;
  const current = await callWithRetries(() => client.apps.readNamespacedDeploymentScale({ name, namespace }), retry);
  if (!current.ok) return apiFailure("api_error", what, current.failure);
  const body = [{ op: "replace", path: "/spec/replicas", value: replicas }];
  const patched = await callWithRetries(
    () => client.apps.patchNamespacedDeploymentScale({ name, namespace, body, fieldManager: options.fieldManager ?? "ml-portal-dr" }),
    retry,
  );
  if (!patched.ok) return apiFailure("api_error", `scaling ${what}`, patched.failure);
  return { ok: true, previousReplicas: current.value.spec?.replicas ?? 0, replicas: patched.value.spec?.replicas ?? replicas };
}

const isPodReady = (pod: V1Pod) => pod.status?.phase === "Running" && !!pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True");

export type PodsReadyResult =
  | { ok: true; ready: number; total: number; pods: string[]; waitedMs: number }
  | Failure<"timeout" | "api_error"> & { ready?: number; total?: number };

export async function waitForPodsReady(
  client: KubernetesClient,
  namespace: string,
  labelSelector: string,
  options: WaitOptions & { minReady?: number },
): Promise<PodsReadyResult> {
  const { sleep = defaultSleep, now = Date.now, pollMs = 1000, minReady = 1 } = options;
  const start = now();
  for (;;) {
    const list = await callWithRetries(() => client.core.listNamespacedPod({ namespace, labelSelector }), { ...options.retry, knownSecrets: client.knownSecrets });
    if (!list.ok) return { ok: false, reason: "api_error", message: `pods ${labelSelector} in ${namespace}: ${list.failure.message}`, failure: list.failure };
    const pods = list.value.items;
    const ready = pods.filter(isPodReady);
    if (pods.length > 0 && ready.length >= minReady && ready.length === pods.length) {
      return { ok: true, ready: ready.length, total: pods.length, pods: ready.map((p) => p.metadata?.name ?? ""), waitedMs: now() - start };
    }
    if (now() - start >= options.timeoutMs) {
      return { ok: false, reason: "timeout", ready: ready.length, total: pods.length, message: `${ready.length} of ${pods.length} pods matching ${labelSelector} in ${namespace} were Ready after ${Math.round(options.timeoutMs / 1000)} s (wanted at least ${minReady}, all Ready)` };
    }
    await sleep(pollMs);
  }
}
