import "server-only";
import {
  mappedNamespace,
  pollUntilDone,
  VELERO,
  type Action,
  type ActionContext,
  type ActionResult,
} from "./action-context.server";
import { drillRunLabel } from "./kube-readers";
import type { CleanupEvidence } from "./step-record";

// The cleanup a drill always runs last, after a pass, a failure or an abort: whatever it created on the step's
// cluster is found by its run label and removed, and the step lists what it removed. Backups go through a Velero
// DeleteBackupRequest: deleting the Backup object alone leaves its data in object storage, and backup sync would
// bring it back.

type Cleanup = Extract<Action, { type: "cleanup" }>;

/** Namespaces this run wrote into: canaries (and where a restore mapped them), probes and canary checks. */
function namespacesOfRun(ctx: ActionContext): string[] {
  const namespaces = new Set<string>();
  for (const o of ctx.previous) {
    if (o.canary) {
      namespaces.add(o.canary.namespace);
      namespaces.add(mappedNamespace(ctx, o.canary.namespace));
    }
    if (o.canaryCheck) namespaces.add(o.canaryCheck.namespace);
    if (o.probe) namespaces.add(o.probe.namespace);
  }
  return [...namespaces].sort();
}

export async function cleanup(action: Cleanup, ctx: ActionContext): Promise<ActionResult> {
  const selector = `${drillRunLabel}=${ctx.runId}`;
  const found: Array<{ apiVersion: string; kind: string; namespace: string; name: string }> = [];
  for (const namespace of namespacesOfRun(ctx)) {
    for (const [apiVersion, kind] of [
      ["v1", "ConfigMap"],
      ["batch/v1", "Job"],
      ["v1", "Pod"],
    ] as const) {
      for (const obj of await ctx.kube.list(apiVersion, kind, namespace, selector))
        found.push({ apiVersion, kind, namespace, name: String(obj.metadata?.name) });
    }
  }
  const backups = (await ctx.kube.list(VELERO, "Backup", action.veleroNamespace, selector)).map((b) =>
    String(b.metadata?.name),
  );
  const words = [
    ...found.map((o) => `${o.kind} ${o.namespace}/${o.name}`),
    ...backups.map((b) => `Backup ${action.veleroNamespace}/${b}`),
  ];
  if (ctx.mode === "dry_run")
    return {
      ok: true,
      output: {},
      note: words.length
        ? `would remove ${words.join(", ")}`
        : "nothing of this drill is on the cluster now; a live run removes what it creates",
    };
  for (const o of found) await ctx.kube.remove(o.apiVersion, o.kind, o.namespace, o.name);
  for (const backup of backups) {
    await ctx.kube.createOrGet({
      apiVersion: VELERO,
      kind: "DeleteBackupRequest",
      metadata: {
        name: `${backup}-delete`.slice(0, 63).replace(/-+$/, ""),
        namespace: action.veleroNamespace,
        labels: { [drillRunLabel]: ctx.runId, "velero.io/backup-name": backup.slice(0, 63) },
      },
      spec: { backupName: backup },
    });
  }
  const evidence: CleanupEvidence = { cluster: ctx.clusterName, removed: words };
  const restored = await removeRestored(action, ctx);
  if ("error" in restored) return { ok: false, output: { cleanup: evidence }, error: restored.error };
  if (restored.evidence) evidence.restored = restored.evidence;
  if (backups.length === 0) return { ok: true, output: { cleanup: evidence } };
  return pollUntilDone(ctx, "deletion of the drill's backups", async () => {
    const left = (await ctx.kube.list(VELERO, "Backup", action.veleroNamespace, selector)).map((b) =>
      String(b.metadata?.name),
    );
    return left.length === 0
      ? { done: true, output: { cleanup: evidence } }
      : { done: false, output: { cleanup: evidence }, progress: `Velero is deleting backup(s) ${left.join(", ")}` };
  });
}

/** What a restore creates that keeps running or holds data; removed on the recovery cluster, never on the drilled one. */
const restoredKinds = [
  ["apps/v1", "Deployment"],
  ["apps/v1", "StatefulSet"],
  ["batch/v1", "Job"],
  ["v1", "Pod"],
  ["v1", "Service"],
  ["v1", "ConfigMap"],
  ["v1", "PersistentVolumeClaim"],
] as const;

async function removeRestored(
  action: Cleanup,
  ctx: ActionContext,
): Promise<{ evidence?: { restore: string; removed: string[] } } | { error: string }> {
  if (!action.restoredNamespaces?.length) return {};
  const restore = ctx.previous
    .map((o) => o.restore)
    .filter((r) => r && r.cluster === ctx.clusterName)
    .pop();
  if (!restore) return {};
  const failure = ctx.previous.map((o) => o.failure).find(Boolean);
  // The restore on the drilled cluster is its recovery: removing it would take down what the drill brought back.
  if (!failure?.cluster || failure.cluster === ctx.clusterName)
    return {
      error: `restoredNamespaces removes what restore ${restore.name} created, but it ran on ${ctx.clusterName}, the cluster the failure hit: use it only on the recovery cluster's cleanup step`,
    };
  const selector = `velero.io/restore-name=${restore.name}`;
  const removed: string[] = [];
  for (const namespace of action.restoredNamespaces) {
    for (const [apiVersion, kind] of restoredKinds) {
      for (const obj of await ctx.kube.list(apiVersion, kind, namespace, selector)) {
        const name = String(obj.metadata?.name);
        await ctx.kube.remove(apiVersion, kind, namespace, name);
        removed.push(`${kind} ${namespace}/${name}`);
      }
    }
  }
  return { evidence: { restore: restore.name, removed } };
}
