import "server-only";
import type { ResolveHost } from "@/lib/net/policy-fetch.server";
import type { DrKubernetes } from "./dr-kubernetes.server";
import type { DrStep, RollbackAction, ValidationAction } from "./schema";
import type { ActionOutput, StepOutput } from "./step-record";

// What every drill action gets from the runner, and the one polling loop they share. Every object an action
// creates has a name derived from the run and step, so a resumed attempt finds what the previous attempt created
// instead of creating it twice.

export type Action = DrStep | RollbackAction | ValidationAction;
export type ActionResult =
  | { ok: true; output: ActionOutput; note?: string }
  | { ok: false; error: string; output: ActionOutput; timedOut?: boolean };

export class DrillAborted extends Error {
  constructor(readonly detail?: string) {
    super(detail ? `aborted by operator; ${detail}` : "aborted by operator");
    this.name = "DrillAborted";
  }
}

export interface ActionContext {
  kube: DrKubernetes;
  /** The cluster target the action runs against (a step may name another than the run's). */
  clusterName: string;
  runId: string;
  /** When the run started (ms): backups started from then on were made during the drill. */
  runStartedAt: number;
  /** Unique per step and role ("3", "3-validation", "3-rollback"): part of created object names. */
  slot: string;
  mode: "live" | "dry_run";
  allowRestoreWarnings: boolean;
  /** The admin's URL allow-list (Settings): the only thing that lets a health check fetch a URL. */
  urlAllowList: readonly string[];
  /** DNS for health-check hosts (tests play a DNS server). */
  resolve?: ResolveHost;
  /** Outputs of the steps before this one (to find the verified or created backup, the failure instant...). */
  previous: StepOutput[];
  /** What a previous attempt stored for this action (resume). */
  resumed: ActionOutput;
  deadline: number;
  pollMs: number;
  now(): number;
  /** Sleeps, renewing the lease; throws DrillAborted when an abort was requested, unless told to ignore it. */
  pause(ms: number, options?: { ignoreAbort?: boolean }): Promise<void>;
  /** Persists progress of this action as it happens (fenced). */
  record(output: ActionOutput): Promise<void>;
  /** Manual steps: the operator's confirmation if given. */
  readConfirmation(): Promise<{ by: string; at: Date; note: string | null } | null>;
  markWaitingForOperator(): Promise<void>;
}

export const VELERO = "velero.io/v1";
export const objectName = (ctx: ActionContext, kind: string) =>
  `drill-${ctx.runId}-${kind}-${ctx.slot}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .slice(0, 63)
    .replace(/-+$/, "");

export type Probe =
  | { done: true; output: ActionOutput; error?: string; note?: string }
  | { done: false; output: ActionOutput; progress: string };

/** Polls `probe` until done or the deadline; a timeout fails with the last reading as the error. */
export async function pollUntilDone(
  ctx: ActionContext,
  what: string,
  probe: () => Promise<Probe>,
): Promise<ActionResult> {
  let last: Probe | undefined;
  for (;;) {
    last = await probe();
    if (last.done)
      return last.error
        ? { ok: false, error: last.error, output: last.output }
        : { ok: true, output: last.output, note: last.note };
    await ctx.record({ ...last.output, progress: last.progress });
    if (ctx.now() + ctx.pollMs > ctx.deadline) {
      return { ok: false, timedOut: true, output: last.output, error: `${what} timed out: ${last.progress}` };
    }
    await ctx.pause(ctx.pollMs);
  }
}

/** The failure an earlier step of this run injected: RTO starts there, and readiness counts only newer pods. */
export function injectedFailure(ctx: Pick<ActionContext, "previous">) {
  for (let i = ctx.previous.length - 1; i >= 0; i--) {
    const failure = ctx.previous[i]?.failure;
    if (failure) return failure;
  }
  return undefined;
}

/** The namespace an earlier restore of this run mapped `namespace` to (namespaceMapping), or itself. */
export function mappedNamespace(ctx: Pick<ActionContext, "previous">, namespace: string): string {
  for (let i = ctx.previous.length - 1; i >= 0; i--) {
    const target = ctx.previous[i]?.restore?.namespaceMapping?.[namespace];
    if (target) return target;
  }
  return namespace;
}
