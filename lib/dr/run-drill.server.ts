import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { connectDrKubernetes, type DrKubernetes } from "./dr-kubernetes.server";
import { describeAction } from "./describe-step";
import { claimRun, FencedOut, fencedWrite, withDbRetry, type Fence } from "./drill-store.server";
import { finishDrill } from "./finish-drill.server";
import { DrillAborted, executeAction, type Action, type ActionContext, type ActionResult } from "./execute-action.server";
import { drStep, type DrStep } from "./schema";
import type { ActionOutput, StepOutput } from "./step-record";

// Executes a drill run step by step, storing each step's state, times, output and error as they happen.
// Safe to call again for the same run: a second call resumes from the stored step states (a crashed worker's run
// is claimed again once its lease lapses), and fencing keeps a stale worker from overwriting a newer attempt.

export interface RunDrillOptions {
  connect?: (target: { name: string; credentialRef: string; apiServer: string }) => Promise<DrKubernetes>;
  pollMs?: number;
  leaseMs?: number;
  /** How long a database outage may last before the attempt gives up (the run is then resumed or swept). */
  dbOutageToleranceMs?: number;
  /** When a previous attempt still holds a lease, wait at most this long for it to lapse, then resume. */
  waitForLeaseMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
  /** Worker shutdown: stop without finishing; the lease lapses and the run is resumed or swept. */
  signal?: AbortSignal;
}

export type RunDrillResult =
  | { outcome: "finished"; status: string; reason: string }
  | { outcome: "not_claimed"; reason: string }
  | { outcome: "fenced_out" }
  | { outcome: "interrupted"; reason: string };

class WorkerStopping extends Error {}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new WorkerStopping("worker stopping"));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new WorkerStopping("worker stopping"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export async function runDrill(drillRunId: string, options: RunDrillOptions = {}): Promise<RunDrillResult> {
  const now = options.now ?? Date.now;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 2000;
  const tolerance = options.dbOutageToleranceMs ?? 120_000;
  const db = <T>(fn: () => Promise<T>) => withDbRetry(fn, tolerance, options.signal);

  let claim = await db(() => claimRun(drillRunId, leaseMs, now()));
  if (!claim.claimed && claim.leaseUntil) {
    const wait = claim.leaseUntil.getTime() - now() + 50;
    if (wait <= (options.waitForLeaseMs ?? leaseMs + 5000)) {
      await sleep(Math.max(0, wait), options.signal);
      claim = await db(() => claimRun(drillRunId, leaseMs, now()));
    }
  }
  if (!claim.claimed) return { outcome: "not_claimed", reason: claim.reason };
  const fence: Fence = { runId: drillRunId, attempt: claim.attempt, leaseMs, now };
  const write = <T>(fn: Parameters<typeof fencedWrite<T>>[1]) => db(() => fencedWrite(fence, fn));

  try {
    const run = await db(() => getPrisma().drillRun.findUniqueOrThrow({ where: { id: drillRunId }, include: { plan: true, clusterTarget: true, steps: { orderBy: { index: "asc" } } } }));
    const steps: DrStep[] = drStep.array().parse(run.plan.steps);
    if (run.steps.length !== steps.length) {
      await write((tx) => tx.drillStepResult.createMany({ data: steps.map((s, index) => ({ drillRunId, index, name: s.name, type: s.type })), skipDuplicates: true }));
    }
    const rows = await db(() => getPrisma().drillStepResult.findMany({ where: { drillRunId }, orderBy: { index: "asc" } }));
    if (claim.attempt > 1) {
      await write((tx) => recordAudit(tx, { actor: null, action: "drill.resume", targetType: "drill_run", targetId: drillRunId, outcome: "success", details: { attempt: claim.attempt } }));
    }

    let kube: DrKubernetes;
    try {
      kube = await (options.connect ?? connectDrKubernetes)(run.clusterTarget);
    } catch (error) {
      return await finish(fence, `cannot reach cluster ${run.clusterTarget.name}: ${(error as Error).message}`);
    }

    const outputs: StepOutput[] = rows.map((r) => (r.output ?? {}) as StepOutput);
    const live = run.mode === "live";
    let stop: "aborted" | "failed" | null = null;
    for (let i = 0; i < steps.length; i++) {
      const row = rows[i];
      if (row.state === "succeeded" || row.state === "skipped") continue;
      if (row.state === "failed" || row.state === "rolled_back") {
        if (live) {
          stop = "failed";
          break;
        }
        continue;
      }
      const abortNow = await db(() => getPrisma().drillRun.findUniqueOrThrow({ where: { id: drillRunId }, select: { abortRequested: true } }));
      if (abortNow.abortRequested) {
        stop = "aborted";
        break;
      }
      const step = steps[i];
      const startedAt = row.startedAt ?? new Date(now());
      await write((tx) => tx.drillStepResult.update({ where: { drillRunId_index: { drillRunId, index: i } }, data: { state: step.type === "manual" && live ? "waiting_for_operator" : "running", startedAt } }));
      const output: StepOutput = { ...outputs[i] };
      const save = () => write((tx) => tx.drillStepResult.update({ where: { drillRunId_index: { drillRunId, index: i } }, data: { output: output as object } }));

      const context = (slot: string, deadline: number, resumed: ActionOutput, onRecord: (o: ActionOutput) => void, abortable: boolean): ActionContext => ({
        kube,
        runId: drillRunId,
        slot,
        mode: run.mode,
        allowRestoreWarnings: run.plan.allowRestoreWarnings,
        healthCheckAllowList: run.plan.healthCheckAllowList,
        previous: outputs.slice(0, i),
        resumed,
        deadline,
        pollMs,
        now,
        fetch: options.fetch ?? fetch,
        pause: async (ms) => {
          await sleep(ms, options.signal);
          const r = await write((tx) => tx.drillRun.findUniqueOrThrow({ where: { id: drillRunId }, select: { abortRequested: true } }));
          if (abortable && r.abortRequested) throw new DrillAborted();
        },
        record: async (o) => {
          onRecord(o);
          await save();
        },
        readConfirmation: async () => {
          const s = await db(() => getPrisma().drillStepResult.findUniqueOrThrow({ where: { drillRunId_index: { drillRunId, index: i } }, select: { confirmedBy: true, confirmedAt: true, confirmNote: true } }));
          return s.confirmedBy && s.confirmedAt ? { by: s.confirmedBy, at: s.confirmedAt, note: s.confirmNote } : null;
        },
        markWaitingForOperator: () => write((tx) => tx.drillStepResult.update({ where: { drillRunId_index: { drillRunId, index: i } }, data: { state: "waiting_for_operator" } })).then(() => undefined),
      });
      const guarded = async (action: Action, ctx: ActionContext): Promise<ActionResult | "aborted"> => {
        try {
          return await executeAction(action, ctx);
        } catch (error) {
          if (error instanceof DrillAborted) return "aborted";
          if (error instanceof FencedOut || error instanceof WorkerStopping) throw error;
          return { ok: false, output: {}, error: (error as Error).message };
        }
      };

      const { validation: _v, rollback: _r, ...resumedMain } = output;
      let result = await guarded(step, context(String(i), startedAt.getTime() + step.timeoutSeconds * 1000, resumedMain, (o) => Object.assign(output, o), true));
      if (result !== "aborted") {
        Object.assign(output, result.output);
        delete output.progress;
        if (!result.ok) output.timedOut = result.timedOut ?? false;
        if (!live) output.dryRun = { wouldDo: describeAction(step), ok: result.ok, ...((result.ok ? result.note : result.error) ? { preflight: result.ok ? result.note : result.error } : {}) };
      }
      if (result !== "aborted" && result.ok && step.validation) {
        const v: ActionOutput = { ...(output.validation ?? {}) };
        const validated = await guarded(step.validation, context(`${i}-validation`, now() + step.validation.timeoutSeconds * 1000, v, (o) => Object.assign(v, o), true));
        if (validated === "aborted") result = "aborted";
        else {
          output.validation = { ...validated.output, state: validated.ok ? "succeeded" : "failed", ...(validated.ok ? {} : { error: validated.error }) };
          if (!validated.ok) result = { ok: false, output: result.output, error: `validation failed: ${validated.error}` };
        }
      }
      const failedOrAborted = result === "aborted" || !result.ok;
      let state: "succeeded" | "failed" | "rolled_back" = failedOrAborted ? "failed" : "succeeded";
      const error = result === "aborted" ? "aborted by operator" : result.ok ? null : result.error;
      if (failedOrAborted && live && step.rollback) {
        const rb: ActionOutput = {};
        const rolled = await guarded(step.rollback, context(`${i}-rollback`, now() + step.rollback.timeoutSeconds * 1000, output.rollback ?? {}, (o) => Object.assign(rb, o), false));
        const ok = rolled !== "aborted" && rolled.ok;
        const rollbackError = rolled === "aborted" ? "aborted" : rolled.ok ? undefined : rolled.error;
        output.rollback = { ...rb, ...(rolled !== "aborted" ? rolled.output : {}), state: ok ? "succeeded" : "failed", ...(rollbackError ? { error: rollbackError } : {}) };
        state = ok ? "rolled_back" : "failed";
      }
      outputs[i] = output;
      await write((tx) => tx.drillStepResult.update({ where: { drillRunId_index: { drillRunId, index: i } }, data: { state, finishedAt: new Date(now()), output: output as object, error } }));
      // A live drill stops at the first failure; a dry run goes on to show every step, but an abort stops both.
      if (result === "aborted" || (failedOrAborted && live)) {
        stop = result === "aborted" ? "aborted" : "failed";
        break;
      }
    }
    if (stop) {
      await write((tx) => tx.drillStepResult.updateMany({ where: { drillRunId, state: { in: ["pending", "running", "waiting_for_operator"] } }, data: { state: "skipped", finishedAt: new Date(now()) } }));
    }
    return await finish(fence);
  } catch (error) {
    if (error instanceof FencedOut) return { outcome: "fenced_out" };
    if (error instanceof WorkerStopping) return { outcome: "interrupted", reason: "the worker is stopping; the run resumes when the job is retried or is ended by the sweeper" };
    throw error;
  }

  async function finish(f: Fence, failure?: string): Promise<RunDrillResult> {
    const done = await db(() => finishDrill(f, failure));
    return { outcome: "finished", status: done.status, reason: done.reason };
  }
}
