import "server-only";
import { randomBytes } from "node:crypto";
import { mappedNamespace, pollUntilDone, type Action, type ActionContext, type ActionResult } from "./action-context.server";
import { canaryChecksum } from "./canary";
import { drillRunLabel } from "./kube-readers";
import type { CanaryEvidence } from "./step-record";

// Canary data: written before the backup with fresh random content, read back after the restore and compared by
// content (sha256), so a restore that "Completed" without bringing the data back fails the drill.

type Of<T extends Action["type"]> = Extract<Action, { type: T }>;

export async function writeCanary(action: Of<"write_canary">, ctx: ActionContext): Promise<ActionResult> {
  if (ctx.resumed.canary) return { ok: true, output: { canary: ctx.resumed.canary } };
  const ns = await ctx.kube.read("v1", "Namespace", undefined, action.namespace);
  if (!ns) return { ok: false, output: {}, error: `namespace ${action.namespace} does not exist on ${ctx.clusterName}` };
  if (ctx.mode === "dry_run") return { ok: true, output: {}, note: `would write canary ConfigMap ${action.namespace}/${action.configMap}` };
  const writtenAt = new Date(ctx.now()).toISOString();
  const data = { token: randomBytes(24).toString("hex"), writtenAt, runId: ctx.runId };
  const checksum = canaryChecksum(data);
  const object = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: action.configMap, namespace: action.namespace, labels: { [drillRunLabel]: ctx.runId }, annotations: { "portal.dr/canary-sha256": checksum } },
    data,
  };
  const existing = await ctx.kube.read("v1", "ConfigMap", action.namespace, action.configMap);
  if (existing) await ctx.kube.patch(object);
  else await ctx.kube.createOrGet(object);
  const canary: CanaryEvidence = { namespace: action.namespace, name: action.configMap, checksum, writtenAt };
  return { ok: true, output: { canary } };
}

export async function verifyCanary(action: Of<"verify_canary">, ctx: ActionContext): Promise<ActionResult> {
  const written = ctx.previous.map((o) => o.canary).filter((c) => c && c.namespace === action.namespace && c.name === action.configMap).pop();
  if (!written) {
    if (ctx.mode === "dry_run") return { ok: true, output: {}, note: "would compare the canary an earlier write_canary step wrote" };
    return { ok: false, output: {}, error: `no write_canary step of this drill wrote ${action.namespace}/${action.configMap}: add one before the backup` };
  }
  const namespace = mappedNamespace(ctx, action.namespace);
  return pollUntilDone(ctx, `canary ${namespace}/${action.configMap}`, async () => {
    const cm = await ctx.kube.read("v1", "ConfigMap", namespace, action.configMap);
    const data = (cm as { data?: Record<string, string> } | null)?.data;
    const foundChecksum = data ? canaryChecksum(data) : null;
    const canaryCheck = { namespace, name: action.configMap, expectedChecksum: written.checksum, foundChecksum, restoredBy: cm?.metadata?.labels?.["velero.io/restore-name"] ?? null, match: foundChecksum === written.checksum };
    if (!cm) return { done: false, output: { canaryCheck }, progress: `canary ${namespace}/${action.configMap} is not there (yet)` };
    if (!canaryCheck.match) return { done: true, output: { canaryCheck }, error: `canary ${namespace}/${action.configMap} has sha256 ${foundChecksum}, not the ${written.checksum} written at ${written.writtenAt}: the restored data differs` };
    return { done: true, output: { canaryCheck } };
  });
}
