import "server-only";
import { assessRestore, isVeleroTerminal } from "./assess-restore";
import type { DrKubernetes, KubeObject } from "./dr-kubernetes.server";
import { chooseRollbackTarget, countReadyPods, newestCompletedBackup, readCondition, readRolloutStatus, readVeleroStatus, runsTemplate } from "./kube-readers";
import type { DrStep, RollbackAction, ValidationAction } from "./schema";
import type { ActionOutput, StepOutput } from "./step-record";
import { policyFetch, UrlRefusedError, type ResolveHost } from "@/lib/net/policy-fetch.server";
import { checkUrl } from "@/lib/net/url-policy";

// Executes one typed action through the Kubernetes API (or HTTP for health checks), polling until it is done,
// the deadline passes or the drill is aborted. Every object it creates has a name derived from the run and step,
// so a resumed attempt finds what the previous attempt created instead of creating it twice.

export type Action = DrStep | RollbackAction | ValidationAction;
export type ActionResult = { ok: true; output: ActionOutput; note?: string } | { ok: false; error: string; output: ActionOutput; timedOut?: boolean };

export class DrillAborted extends Error {
  constructor() {
    super("aborted by operator");
    this.name = "DrillAborted";
  }
}

export interface ActionContext {
  kube: DrKubernetes;
  runId: string;
  /** Unique per step and role ("3", "3-validation", "3-rollback"): part of created object names. */
  slot: string;
  mode: "live" | "dry_run";
  allowRestoreWarnings: boolean;
  /** The admin's URL allow-list (Settings): the only thing that lets a health check fetch a URL. */
  urlAllowList: readonly string[];
  /** DNS for health-check hosts (tests play a DNS server). */
  resolve?: ResolveHost;
  /** Outputs of the steps before this one (to find the verified or created backup). */
  previous: StepOutput[];
  /** What a previous attempt stored for this action (resume). */
  resumed: ActionOutput;
  deadline: number;
  pollMs: number;
  now(): number;
  /** Sleeps, renewing the lease; throws DrillAborted when an abort was requested. */
  pause(ms: number): Promise<void>;
  /** Persists progress of this action as it happens (fenced). */
  record(output: ActionOutput): Promise<void>;
  /** Manual steps: the operator's confirmation if given. */
  readConfirmation(): Promise<{ by: string; at: Date; note: string | null } | null>;
  markWaitingForOperator(): Promise<void>;
}

const VELERO = "velero.io/v1";
const objectName = (ctx: ActionContext, kind: string) => `drill-${ctx.runId}-${kind}-${ctx.slot}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 63).replace(/-+$/, "");

type Probe = { done: true; output: ActionOutput; error?: string; note?: string } | { done: false; output: ActionOutput; progress: string };

/** Polls `probe` until done or the deadline; a timeout fails with the last reading as the error. */
async function pollUntilDone(ctx: ActionContext, what: string, probe: () => Promise<Probe>): Promise<ActionResult> {
  let last: Probe | undefined;
  for (;;) {
    last = await probe();
    if (last.done) return last.error ? { ok: false, error: last.error, output: last.output } : { ok: true, output: last.output, note: last.note };
    await ctx.record({ ...last.output, progress: last.progress });
    if (ctx.now() + ctx.pollMs > ctx.deadline) {
      return { ok: false, timedOut: true, output: last.output, error: `${what} timed out: ${last.progress}` };
    }
    await ctx.pause(ctx.pollMs);
  }
}

function backupFromPrevious(ctx: ActionContext, from: string): { name: string; createdAt: string | null } | { error: string } {
  if (from !== "latest-verified" && from !== "created-in-run") return { name: from, createdAt: null };
  for (let i = ctx.previous.length - 1; i >= 0; i--) {
    const b = ctx.previous[i].backup;
    if (b && (from === "latest-verified" ? b.phase === "Completed" && !b.name.startsWith(`drill-${ctx.runId}`) : b.name.startsWith(`drill-${ctx.runId}`))) return { name: b.name, createdAt: b.createdAt };
  }
  return { error: from === "latest-verified" ? "no verified backup from an earlier step: the verify_backup step must succeed first" : "no backup was created earlier in this drill" };
}

export async function executeAction(action: Action, ctx: ActionContext): Promise<ActionResult> {
  const dry = ctx.mode === "dry_run";
  switch (action.type) {
    case "verify_backup": {
      const backups = (await ctx.kube.list(VELERO, "Backup", action.veleroNamespace, action.selector)).map(readVeleroStatus);
      const newest = newestCompletedBackup(backups);
      if (!newest) return { ok: false, output: {}, error: `no Completed Velero Backup matches ${action.selector} in ${action.veleroNamespace} (${backups.length} found, none Completed)` };
      const backup = { name: newest.name, namespace: newest.namespace, phase: newest.phase!, createdAt: newest.createdAt!, completedAt: newest.completedAt, errors: newest.errors, warnings: newest.warnings };
      const ageMinutes = (ctx.now() - Date.parse(newest.createdAt!)) / 60_000;
      if (action.maxAgeMinutes !== undefined && ageMinutes > action.maxAgeMinutes) {
        return { ok: false, output: { backup }, error: `newest Completed backup ${newest.name} is ${Math.round(ageMinutes)} min old, over the ${action.maxAgeMinutes} min limit: the backup schedule is not keeping up` };
      }
      return { ok: true, output: { backup } };
    }
    case "create_backup": {
      const name = objectName(ctx, "backup");
      if (dry) return { ok: true, output: {}, note: `would create Backup ${action.veleroNamespace}/${name}` };
      await ctx.kube.createOrGet({ apiVersion: VELERO, kind: "Backup", metadata: { name, namespace: action.veleroNamespace, labels: { "portal.dr/drill-run": ctx.runId } }, spec: { includedNamespaces: action.includedNamespaces, ttl: `${action.ttlHours}h0m0s` } });
      return pollUntilDone(ctx, `backup ${name}`, async () => {
        const s = readVeleroStatus(await ctx.kube.read(VELERO, "Backup", action.veleroNamespace, name));
        const backup = { name, namespace: action.veleroNamespace, phase: s.phase ?? "New", createdAt: s.createdAt ?? new Date(ctx.now()).toISOString(), completedAt: s.completedAt, errors: s.errors, warnings: s.warnings };
        if (!isVeleroTerminal(s.phase)) return { done: false, output: { backup }, progress: `backup ${name} is ${s.phase ?? "New"}` };
        return s.phase === "Completed" && s.errors === 0 ? { done: true, output: { backup } } : { done: true, output: { backup }, error: `backup ${name} ended ${s.phase} with ${s.errors} errors, ${s.warnings} warnings${s.failureReason ? `: ${s.failureReason}` : ""}` };
      });
    }
    case "create_restore": {
      if (dry && action.backupFrom === "created-in-run") return { ok: true, output: {}, note: "would restore the backup created earlier in this drill" };
      const source = backupFromPrevious(ctx, action.backupFrom);
      if ("error" in source) return { ok: false, output: {}, error: source.error };
      const name = objectName(ctx, "restore");
      const live = await ctx.kube.read(VELERO, "Backup", action.veleroNamespace, source.name);
      if (!live) return { ok: false, output: {}, error: `backup ${action.veleroNamespace}/${source.name} does not exist` };
      const backupCreatedAt = readVeleroStatus(live).createdAt ?? source.createdAt;
      const base = { name, namespace: action.veleroNamespace, backupName: source.name, backupCreatedAt, namespaceMapping: action.namespaceMapping };
      if (dry) return { ok: true, output: { restore: { ...base, phase: "NotStarted", errors: 0, warnings: 0 } }, note: `would restore backup ${source.name} (created ${backupCreatedAt})` };
      await ctx.kube.createOrGet({
        apiVersion: VELERO,
        kind: "Restore",
        metadata: { name, namespace: action.veleroNamespace, labels: { "portal.dr/drill-run": ctx.runId } },
        spec: { backupName: source.name, ...(action.includedNamespaces ? { includedNamespaces: action.includedNamespaces } : {}), ...(action.namespaceMapping ? { namespaceMapping: action.namespaceMapping } : {}) },
      });
      return pollUntilDone(ctx, `restore ${name}`, async () => {
        const s = readVeleroStatus(await ctx.kube.read(VELERO, "Restore", action.veleroNamespace, name));
        const restore = { ...base, phase: s.phase ?? "New", errors: s.errors, warnings: s.warnings, failureReason: s.failureReason };
        if (!isVeleroTerminal(s.phase)) return { done: false, output: { restore }, progress: `restore ${name} is ${s.phase ?? "New"} after ${Math.round((ctx.now() - (Date.parse(s.createdAt ?? "") || ctx.now())) / 1000)} s` };
        const verdict = assessRestore(restore, ctx.allowRestoreWarnings);
        return verdict.ok ? { done: true, output: { restore }, note: verdict.note } : { done: true, output: { restore }, error: verdict.reason };
      });
    }
    case "rollout_undo":
      return rolloutUndo(action, ctx);
    case "scale": {
      const deployment = await ctx.kube.read("apps/v1", "Deployment", action.namespace, action.deployment);
      if (!deployment) return { ok: false, output: {}, error: `deployment ${action.namespace}/${action.deployment} does not exist` };
      const previous = ctx.resumed.scale?.previousReplicas ?? Number(deployment.spec?.replicas ?? 1);
      const scale = { deployment: action.deployment, namespace: action.namespace, previousReplicas: previous, replicas: action.replicas };
      if (dry) return { ok: true, output: { scale }, note: `currently ${previous} replicas` };
      await ctx.record({ scale });
      if (Number(deployment.spec?.replicas ?? 1) !== action.replicas) await ctx.kube.replace({ ...deployment, spec: { ...deployment.spec, replicas: action.replicas } });
      return pollUntilDone(ctx, `scale of ${action.namespace}/${action.deployment}`, async () => {
        const d = await ctx.kube.read("apps/v1", "Deployment", action.namespace, action.deployment);
        const r = readRolloutStatus(d);
        return r.done ? { done: true, output: { scale } } : { done: false, output: { scale }, progress: r.message };
      });
    }
    case "wait_pods_ready":
      return pollUntilDone(ctx, `pods ${action.selector} in ${action.namespace}`, async () => {
        const counted = countReadyPods(await ctx.kube.list("v1", "Pod", action.namespace, action.selector));
        const pods = { namespace: action.namespace, selector: action.selector, ...counted };
        if (dry) return { done: true, output: { pods } };
        return counted.ready >= action.minReady ? { done: true, output: { pods } } : { done: false, output: { pods }, progress: `${counted.ready} of ${counted.total} pods Ready, need ${action.minReady}` };
      });
    case "http_health_check":
      return healthCheck(action, ctx);
    case "wait_condition":
      return pollUntilDone(ctx, `${action.kind} ${action.name} ${action.condition}`, async () => {
        const obj = await ctx.kube.read(action.apiVersion, action.kind, action.namespace, action.name);
        const c = obj ? readCondition(obj, action.condition) : { status: null, message: "object not found" };
        const condition = { kind: action.kind, name: action.name, condition: action.condition, ...c };
        if (dry || c.status === action.status) return { done: true, output: { condition } };
        return { done: false, output: { condition }, progress: `${action.condition} is ${c.status ?? "absent"}${c.message ? ` (${c.message})` : ""}` };
      });
    case "manual": {
      const manual = { instruction: action.instruction, ...(action.command ? { command: action.command } : {}) };
      if (dry) return { ok: true, output: { manual }, note: "would wait for an operator to confirm" };
      await ctx.markWaitingForOperator();
      return pollUntilDone(ctx, "operator confirmation", async () => {
        const confirmed = await ctx.readConfirmation();
        if (!confirmed) return { done: false, output: { manual }, progress: "waiting for an operator to confirm" };
        return { done: true, output: { manual: { ...manual, confirmedBy: confirmed.by, confirmedAt: confirmed.at.toISOString(), ...(confirmed.note ? { note: confirmed.note } : {}) } } };
      });
    }
  }
}

async function rolloutUndo(action: Extract<Action, { type: "rollout_undo" }>, ctx: ActionContext): Promise<ActionResult> {
  const deployment = await ctx.kube.read("apps/v1", "Deployment", action.namespace, action.deployment);
  if (!deployment) return { ok: false, output: {}, error: `deployment ${action.namespace}/${action.deployment} does not exist` };
  let rollout = ctx.resumed.rollout;
  let template: Record<string, unknown> | undefined;
  if (!rollout) {
    const sets = await ctx.kube.list("apps/v1", "ReplicaSet", action.namespace);
    const chosen = chooseRollbackTarget(deployment, sets, action.toRevision);
    if (!chosen.ok) return { ok: false, output: {}, error: chosen.reason };
    const t = chosen.target;
    rollout = { deployment: action.deployment, namespace: action.namespace, fromRevision: t.fromRevision, toRevision: t.toRevision, targetReplicaSet: t.replicaSetName, targetCreatedAt: t.createdAt };
    template = t.template;
    if (ctx.mode === "dry_run") return { ok: true, output: { rollout }, note: `would roll back from revision ${t.fromRevision} to ${t.toRevision}` };
    // Record the intent before acting: a resumed attempt must not undo a second time (that would flip back).
    await ctx.record({ rollout });
  } else {
    const rs = await ctx.kube.read("apps/v1", "ReplicaSet", action.namespace, rollout.targetReplicaSet);
    if (!rs) return { ok: false, output: { rollout }, error: `ReplicaSet ${rollout.targetReplicaSet} disappeared while resuming the rollback` };
    template = structuredClone((rs.spec as { template: Record<string, unknown> }).template);
    delete ((template.metadata ?? {}) as { labels?: Record<string, string> }).labels?.["pod-template-hash"];
  }
  if (!runsTemplate(deployment, template!)) {
    await ctx.kube.replace({ ...deployment, spec: { ...deployment.spec, template: template! } } as KubeObject);
  }
  const done = rollout;
  return pollUntilDone(ctx, `rollout of ${action.namespace}/${action.deployment}`, async () => {
    const r = readRolloutStatus(await ctx.kube.read("apps/v1", "Deployment", action.namespace, action.deployment));
    return r.done ? { done: true, output: { rollout: done } } : { done: false, output: { rollout: done }, progress: r.message };
  });
}

async function healthCheck(action: Extract<Action, { type: "http_health_check" }>, ctx: ActionContext): Promise<ActionResult> {
  const what = "health check URL";
  // A dry run never fetches: it says what it would fetch and whether the URL policy allows it (addresses are
  // checked when a live run connects).
  if (ctx.mode === "dry_run") {
    const verdict = checkUrl(action.url, ctx.urlAllowList, what);
    if (!verdict.ok) return { ok: false, output: {}, error: `would not fetch ${action.url}: ${verdict.reason}` };
    const by = verdict.literal ? "its address" : verdict.byName ? "its host name" : "the network its addresses must be in";
    return { ok: true, output: {}, note: `would GET ${action.url} expecting ${action.expectStatus}: the URL allow-list allows ${by}` };
  }
  let attempts = ctx.resumed.health?.attempts ?? 0;
  return pollUntilDone(ctx, `health check ${action.url}`, async () => {
    attempts++;
    const started = ctx.now();
    let status: number | null = null;
    let lastError: string | undefined;
    try {
      // A redirect is the check's answer (expectStatus may be 302), never followed: no second URL is fetched.
      const response = await policyFetch(action.url, { signal: AbortSignal.timeout(Math.max(1000, Math.min(10_000, ctx.deadline - started))), discardBody: true, redirect: "manual", what }, { allow: ctx.urlAllowList, resolve: ctx.resolve });
      status = response.status;
    } catch (error) {
      // A refusal does not change by waiting: fail now. The message names the URL and the entry to add to the
      // Settings list, or, for an address no entry can open, says so.
      if (error instanceof UrlRefusedError) {
        const message = error.listable ? error.message : `${error.message}: no entry on the URL allow-list in Settings can allow it, point the health check at the service itself`;
        return { done: true, output: { health: { url: action.url, status: null, attempts, latencyMs: 0, lastError: message } }, error: message };
      }
      lastError = (error as Error).message;
    }
    const passed = status === action.expectStatus;
    const health = { url: action.url, status, attempts, latencyMs: ctx.now() - started, ...(passed ? { passedAt: new Date(ctx.now()).toISOString() } : {}), ...(lastError ? { lastError } : {}) };
    if (passed) return { done: true, output: { health } };
    return { done: false, output: { health }, progress: `answered ${status ?? `nothing (${lastError})`}, expecting ${action.expectStatus} (attempt ${attempts})` };
  });
}
