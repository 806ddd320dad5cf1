import "server-only";
import { createHash, randomBytes } from "node:crypto";
import {
  mappedNamespace,
  objectName,
  pollUntilDone,
  type Action,
  type ActionContext,
  type ActionResult,
} from "./action-context.server";
import { canaryChecksum } from "./canary";
import { drillRunLabel } from "./kube-readers";
import { buildVolumeCanaryJob, placementForClaim, readVolumeCanaryPod } from "./model-probe";
import type { ActionOutput, CanaryEvidence } from "./step-record";

const canaryFile = "dr-canary.txt";

/** Runs the volume canary Job (write or read) and returns the sha256 it reported. */
async function runVolumeJob(
  ctx: ActionContext,
  namespace: string,
  claim: string,
  role: "write" | "read",
  content: string | undefined,
  output: ActionOutput,
): Promise<{ ok: true; sha256: string | null; job: string } | { ok: false; result: ActionResult }> {
  const job = objectName(ctx, `canary-${role}`);
  if (!(await ctx.kube.read("batch/v1", "Job", namespace, job))) {
    // A ReadWriteOnce claim attaches to one node: the Job runs beside the pod that mounts it, or it never starts.
    const placement = placementForClaim(await ctx.kube.list("v1", "Pod", namespace), claim);
    await ctx.kube.createOrGet(
      buildVolumeCanaryJob({
        name: job,
        namespace,
        claim,
        file: canaryFile,
        content,
        runLabel: { [drillRunLabel]: ctx.runId },
        placement,
      }),
    );
  }
  let sha256: string | null = null;
  const result = await pollUntilDone(ctx, `canary Job ${job}`, async () => {
    const [pod] = await ctx.kube.list("v1", "Pod", namespace, `job-name=${job}`);
    const read = pod ? readVolumeCanaryPod(pod) : { done: false as const, why: `canary Job ${job} has no pod yet` };
    if (!read.done) return { done: false, output, progress: read.why };
    sha256 = read.sha256;
    return { done: true, output };
  });
  return result.ok ? { ok: true, sha256, job } : { ok: false, result };
}

// Canary data: written before the backup with fresh random content, read back after the restore and compared by
// content (sha256), so a restore that "Completed" without bringing the data back fails the drill.

type Of<T extends Action["type"]> = Extract<Action, { type: T }>;

export async function writeCanary(action: Of<"write_canary">, ctx: ActionContext): Promise<ActionResult> {
  if (ctx.resumed.canary) return { ok: true, output: { canary: ctx.resumed.canary } };
  const ns = await ctx.kube.read("v1", "Namespace", undefined, action.namespace);
  if (!ns)
    return { ok: false, output: {}, error: `namespace ${action.namespace} does not exist on ${ctx.clusterName}` };
  if (ctx.mode === "dry_run")
    return { ok: true, output: {}, note: `would write canary ConfigMap ${action.namespace}/${action.configMap}` };
  const writtenAt = new Date(ctx.now()).toISOString();
  const data = { token: randomBytes(24).toString("hex"), writtenAt, runId: ctx.runId };
  const checksum = canaryChecksum(data);
  const object = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: action.configMap,
      namespace: action.namespace,
      labels: { [drillRunLabel]: ctx.runId },
      annotations: { "portal.dr/canary-sha256": checksum },
    },
    data,
  };
  const existing = await ctx.kube.read("v1", "ConfigMap", action.namespace, action.configMap);
  if (existing) await ctx.kube.patch(object);
  else await ctx.kube.createOrGet(object);
  const canary: CanaryEvidence = { namespace: action.namespace, name: action.configMap, checksum, writtenAt };
  if (action.volumeClaim) {
    const content = `${ctx.runId} ${randomBytes(32).toString("hex")}`;
    const expected = createHash("sha256").update(content).digest("hex");
    const ran = await runVolumeJob(ctx, action.namespace, action.volumeClaim, "write", content, { canary });
    if (!ran.ok) return ran.result;
    canary.volume = { claim: action.volumeClaim, file: canaryFile, sha256: expected, job: ran.job };
    if (ran.sha256 !== expected)
      return {
        ok: false,
        output: { canary },
        error: `the canary Job wrote ${canaryFile} to ${action.volumeClaim} but read back sha256 ${ran.sha256 ?? "nothing"}, not ${expected}: the volume does not keep what is written`,
      };
  }
  return { ok: true, output: { canary } };
}

export async function verifyCanary(action: Of<"verify_canary">, ctx: ActionContext): Promise<ActionResult> {
  const written = ctx.previous
    .map((o) => o.canary)
    .filter((c) => c && c.namespace === action.namespace && c.name === action.configMap)
    .pop();
  if (!written) {
    if (ctx.mode === "dry_run")
      return { ok: true, output: {}, note: "would compare the canary an earlier write_canary step wrote" };
    return {
      ok: false,
      output: {},
      error: `no write_canary step of this drill wrote ${action.namespace}/${action.configMap}: add one before the backup`,
    };
  }
  // The canary proves the restore only if this run destroyed it and this run's restore brought it back: a copy that
  // was never deleted, or one an earlier restore made, matches its checksum without anything being recovered.
  const failure = ctx.previous
    .map((o) => o.failure)
    .filter(Boolean)
    .pop();
  const restore = ctx.previous
    .map((o) => o.restore)
    .filter(Boolean)
    .pop();
  if (ctx.mode === "live" && (!failure || !restore))
    return {
      ok: false,
      output: {},
      error: `canary ${action.namespace}/${action.configMap} can prove nothing without ${!failure ? "an inject_failure step" : "a create_restore step"} before this step: add one between write_canary and verify_canary`,
    };
  const namespace = mappedNamespace(ctx, action.namespace);
  const objects = await pollUntilDone(ctx, `canary ${namespace}/${action.configMap}`, async () => {
    const cm = await ctx.kube.read("v1", "ConfigMap", namespace, action.configMap);
    const data = (cm as { data?: Record<string, string> } | null)?.data;
    const foundChecksum = data ? canaryChecksum(data) : null;
    const canaryCheck = {
      namespace,
      name: action.configMap,
      expectedChecksum: written.checksum,
      foundChecksum,
      restoredBy: cm?.metadata?.labels?.["velero.io/restore-name"] ?? null,
      createdAt: cm?.metadata?.creationTimestamp ? String(cm.metadata.creationTimestamp) : null,
      match: foundChecksum === written.checksum,
    };
    if (!cm)
      return {
        done: false,
        output: { canaryCheck },
        progress: `canary ${namespace}/${action.configMap} is not there (yet)`,
      };
    if (!canaryCheck.match)
      return {
        done: true,
        output: { canaryCheck },
        error: `canary ${namespace}/${action.configMap} has sha256 ${foundChecksum}, not the ${written.checksum} written at ${written.writtenAt}: the restored data differs`,
      };
    if (failure && restore) {
      const recreated = notBeforeSecond(canaryCheck.createdAt, failure.injectedAt);
      if (canaryCheck.restoredBy !== restore.name || !recreated) {
        canaryCheck.match = false;
        return {
          done: true,
          output: { canaryCheck },
          error: `canary ${namespace}/${action.configMap} was not re-created by this drill's restore ${restore.name} after the failure injected at ${failure.injectedAt} (it carries velero.io/restore-name=${canaryCheck.restoredBy ?? "none"}, created ${canaryCheck.createdAt ?? "at an unknown time"}): the failure did not destroy it or the restore did not bring it back, so it proves nothing`,
        };
      }
    }
    return { done: true, output: { canaryCheck } };
  });
  if (!objects.ok || !written.volume) return objects;
  const volume = written.volume;
  const checked = objects.output.canaryCheck!;
  const ran = await runVolumeJob(ctx, namespace, volume.claim, "read", undefined, { canaryCheck: checked });
  if (!ran.ok) return ran.result;
  const canaryCheck = {
    ...checked,
    match: checked.match && ran.sha256 === volume.sha256,
    volume: {
      claim: volume.claim,
      file: volume.file,
      expectedSha256: volume.sha256,
      foundSha256: ran.sha256,
      job: ran.job,
      match: ran.sha256 === volume.sha256,
    },
  };
  if (!canaryCheck.volume.match)
    return {
      ok: false,
      output: { canaryCheck },
      error: `canary file ${volume.file} in volume ${volume.claim} of ${namespace} has sha256 ${ran.sha256 ?? "absent"}, not the ${volume.sha256} written: the volume data was not restored (was it in the backup? defaultVolumesToFsBackup or snapshotVolumes)`,
    };
  return { ok: true, output: { canaryCheck } };
}

/** Whether `created` (one-second resolution, as Kubernetes stores it) is in or after the second of `instant`. */
function notBeforeSecond(created: string | null, instant: string): boolean {
  if (!created) return false;
  return Date.parse(created) >= Math.floor(Date.parse(instant) / 1000) * 1000;
}
