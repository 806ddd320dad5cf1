import "server-only";
import type { ResolveHost } from "@/lib/net/policy-fetch.server";
import { describeAction } from "./describe-step";
import type { DrKubernetes } from "./dr-kubernetes.server";
import { fencedWrite } from "./drill-store.server";
import { StaleAttemptError } from "@/lib/jobs/leased-run.server";
import {
  DrillAborted,
  executeAction,
  type Action,
  type ActionContext,
  type ActionResult,
} from "./execute-action.server";
import type { DrStep } from "./schema";
import type { ActionOutput, StepOutput } from "./step-record";
import { getPrisma } from "@/lib/db/prisma.server";

// One step of a drill: its action, then its validation, and on failure or abort its rollback (live runs only);
// progress is stored as it happens and the final state, times, output and error when it ends.

export class WorkerStopping extends Error {}

export const sleep = (ms: number, signal?: AbortSignal) =>
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

export interface RunStepParams {
  step: DrStep;
  index: number;
  row: { startedAt: Date | null };
  /** Outputs of every step so far (this step's entry is replaced when it ends). */
  outputs: StepOutput[];
  run: { id: string; mode: "live" | "dry_run"; allowRestoreWarnings: boolean; startedAt: number };
  /** The admin's URL allow-list, read when the attempt started. */
  urlAllowList: readonly string[];
  resolve?: ResolveHost;
  /** The client of the cluster this step runs against, and that cluster's name. */
  kube: DrKubernetes;
  clusterName: string;
  /** An always-step after a failure or abort: it runs to the end and ignores the abort flag. */
  ignoreAbort?: boolean;
  write: <T>(fn: Parameters<typeof fencedWrite<T>>[1]) => Promise<T>;
  db: <T>(fn: () => Promise<T>) => Promise<T>;
  now: () => number;
  pollMs: number;
  signal?: AbortSignal;
}

export async function runStep(
  p: RunStepParams,
): Promise<{ result: ActionResult | "aborted"; state: "succeeded" | "failed" | "rolled_back" }> {
  let abortDetail: string | undefined;
  const { step, index: i, row, outputs, kube, write, db, now, pollMs } = p;
  const drillRunId = p.run.id;
  const live = p.run.mode === "live";
  const startedAt = row.startedAt ?? new Date(now());
  await write((tx) =>
    tx.drillStepResult.update({
      where: { drillRunId_index: { drillRunId, index: i } },
      data: { state: step.type === "manual" && live ? "waiting_for_operator" : "running", startedAt },
    }),
  );
  const output: StepOutput = { ...outputs[i] };
  const save = () =>
    write((tx) =>
      tx.drillStepResult.update({
        where: { drillRunId_index: { drillRunId, index: i } },
        data: { output: output as object },
      }),
    );

  const context = (
    slot: string,
    deadline: number,
    resumed: ActionOutput,
    onRecord: (o: ActionOutput) => void,
    abortable: boolean,
  ): ActionContext => ({
    kube,
    clusterName: p.clusterName,
    runId: drillRunId,
    runStartedAt: p.run.startedAt,
    slot,
    mode: p.run.mode,
    allowRestoreWarnings: p.run.allowRestoreWarnings,
    urlAllowList: p.urlAllowList,
    resolve: p.resolve,
    previous: outputs.slice(0, i),
    resumed,
    deadline,
    pollMs,
    now,
    pause: async (ms, options) => {
      await sleep(ms, p.signal);
      const r = await write((tx) =>
        tx.drillRun.findUniqueOrThrow({ where: { id: drillRunId }, select: { abortRequested: true } }),
      );
      if (abortable && !p.ignoreAbort && !options?.ignoreAbort && r.abortRequested) throw new DrillAborted();
    },
    record: async (o) => {
      onRecord(o);
      await save();
    },
    readConfirmation: async () => {
      const s = await db(() =>
        getPrisma().drillStepResult.findUniqueOrThrow({
          where: { drillRunId_index: { drillRunId, index: i } },
          select: { confirmedBy: true, confirmedAt: true, confirmNote: true },
        }),
      );
      return s.confirmedBy && s.confirmedAt ? { by: s.confirmedBy, at: s.confirmedAt, note: s.confirmNote } : null;
    },
    markWaitingForOperator: () =>
      write((tx) =>
        tx.drillStepResult.update({
          where: { drillRunId_index: { drillRunId, index: i } },
          data: { state: "waiting_for_operator" },
        }),
      ).then(() => undefined),
  });
  const guarded = async (action: Action, ctx: ActionContext): Promise<ActionResult | "aborted"> => {
    try {
      return await executeAction(action, ctx);
    } catch (error) {
      if (error instanceof DrillAborted) {
        abortDetail = error.detail;
        return "aborted";
      }
      if (error instanceof StaleAttemptError || error instanceof WorkerStopping) throw error;
      return { ok: false, output: {}, error: (error as Error).message };
    }
  };

  const { validation: _v, rollback: _r, ...resumedMain } = output;
  let result = await guarded(
    step,
    context(
      String(i),
      startedAt.getTime() + step.timeoutSeconds * 1000,
      resumedMain,
      (o) => Object.assign(output, o),
      true,
    ),
  );
  if (result !== "aborted") {
    Object.assign(output, result.output);
    delete output.progress;
    if (!result.ok) output.timedOut = result.timedOut ?? false;
    if (!live)
      output.dryRun = {
        wouldDo: describeAction(step),
        ok: result.ok,
        ...((result.ok ? result.note : result.error) ? { preflight: result.ok ? result.note : result.error } : {}),
      };
  }
  if (result !== "aborted" && result.ok && step.validation) {
    const v: ActionOutput = { ...(output.validation ?? {}) };
    const validated = await guarded(
      step.validation,
      context(`${i}-validation`, now() + step.validation.timeoutSeconds * 1000, v, (o) => Object.assign(v, o), true),
    );
    if (validated === "aborted") result = "aborted";
    else {
      output.validation = {
        ...validated.output,
        state: validated.ok ? "succeeded" : "failed",
        ...(validated.ok ? {} : { error: validated.error }),
      };
      if (!validated.ok) result = { ok: false, output: result.output, error: `validation failed: ${validated.error}` };
    }
  }
  const failedOrAborted = result === "aborted" || !result.ok;
  let state: "succeeded" | "failed" | "rolled_back" = failedOrAborted ? "failed" : "succeeded";
  const error =
    result === "aborted"
      ? `aborted by operator${abortDetail ? `; ${abortDetail}` : ""}`
      : result.ok
        ? null
        : result.error;
  if (failedOrAborted && live && step.rollback) {
    const rb: ActionOutput = {};
    if (step.rollback.type === "manual") {
      // The operator confirms the rollback itself: a confirmation given to the step before it failed is not one.
      await write((tx) =>
        tx.drillStepResult.update({
          where: { drillRunId_index: { drillRunId, index: i } },
          data: { confirmedBy: null, confirmedAt: null, confirmNote: null },
        }),
      );
    }
    // Progress is stored as the rollback runs, so a manual rollback shows its instruction while it waits.
    const onRollback = (o: ActionOutput) => {
      Object.assign(rb, o);
      output.rollback = { ...rb, state: "running" };
    };
    const rolled = await guarded(
      step.rollback,
      context(`${i}-rollback`, now() + step.rollback.timeoutSeconds * 1000, output.rollback ?? {}, onRollback, false),
    );
    const ok = rolled !== "aborted" && rolled.ok;
    const rollbackError = rolled === "aborted" ? "aborted" : rolled.ok ? undefined : rolled.error;
    output.rollback = {
      ...rb,
      ...(rolled !== "aborted" ? rolled.output : {}),
      state: ok ? "succeeded" : "failed",
      ...(rollbackError ? { error: rollbackError } : {}),
    };
    state = ok ? "rolled_back" : "failed";
  }
  outputs[i] = output;
  await write((tx) =>
    tx.drillStepResult.update({
      where: { drillRunId_index: { drillRunId, index: i } },
      data: { state, finishedAt: new Date(now()), output: output as object, error },
    }),
  );
  return { result, state };
}
