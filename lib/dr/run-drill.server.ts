import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { getPrisma } from "@/lib/db/prisma.server";
import type { ResolveHost } from "@/lib/net/policy-fetch.server";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { connectDrKubernetes, type DrKubernetes } from "./dr-kubernetes.server";
import { claimRun, fencedWrite, withDbRetry, type Fence } from "./drill-store.server";
import { StaleAttemptError } from "@/lib/jobs/leased-run.server";
import { finishDrill } from "./finish-drill.server";
import { runStep, sleep, WorkerStopping } from "./run-step.server";
import { drStep, type DrStep } from "./schema";
import type { StepOutput } from "./step-record";
import { parseStoredJson, stepOutputSchema } from "./stored-json";

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
  /** DNS for health-check hosts (tests play a DNS server). */
  resolve?: ResolveHost;
  /** Worker shutdown: stop without finishing; the lease lapses and the run is resumed or swept. */
  signal?: AbortSignal;
}

export type RunDrillResult =
  | { outcome: "finished"; status: string; reason: string }
  | { outcome: "not_claimed"; reason: string }
  | { outcome: "fenced_out" }
  | { outcome: "interrupted"; reason: string };

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
    const run = await db(() =>
      getPrisma().drillRun.findUniqueOrThrow({
        where: { id: drillRunId },
        include: { plan: true, clusterTarget: true, steps: { orderBy: { index: "asc" } } },
      }),
    );
    const steps: DrStep[] = drStep.array().parse(run.plan.steps);
    if (run.steps.length !== steps.length) {
      await write((tx) =>
        tx.drillStepResult.createMany({
          data: steps.map((s, index) => ({ drillRunId, index, name: s.name, type: s.type })),
          skipDuplicates: true,
        }),
      );
    }
    const rows = await db(() =>
      getPrisma().drillStepResult.findMany({ where: { drillRunId }, orderBy: { index: "asc" } }),
    );
    if (claim.attempt > 1) {
      await write((tx) =>
        recordAudit(tx, {
          actor: null,
          action: "drill.resume",
          targetType: "drill_run",
          targetId: drillRunId,
          outcome: "success",
          details: { attempt: claim.attempt },
        }),
      );
    }

    // One client per cluster target a step names (cluster_failure restores on the recovery cluster), the run's by default.
    const clients = new Map<string, { kube: DrKubernetes; name: string }>();
    const clientFor = async (targetId: string | undefined) => {
      const id = targetId ?? run.clusterTarget.id;
      const known = clients.get(id);
      if (known) return known;
      const target =
        id === run.clusterTarget.id
          ? run.clusterTarget
          : await db(() => getPrisma().clusterTarget.findUnique({ where: { id } }));
      if (!target) throw new Error(`cluster target ${id} named by a step is not registered`);
      const client = { kube: await (options.connect ?? connectDrKubernetes)(target), name: target.name };
      clients.set(id, client);
      return client;
    };
    try {
      await clientFor(undefined);
    } catch (error) {
      return await finish(fence, `cannot reach cluster ${run.clusterTarget.name}: ${(error as Error).message}`);
    }
    const runStartedAt = (run.startedAt ?? new Date(now())).getTime();

    const urlAllowList = await db(() => readUrlAllowList());
    const outputs: StepOutput[] = rows.map((r) =>
      parseStoredJson(stepOutputSchema, r.output, "DrillStepResult.output"),
    );
    const live = run.mode === "live";
    let stop: "aborted" | "failed" | null = null;
    for (let i = 0; i < steps.length; i++) {
      const row = rows[i];
      const step = steps[i];
      // Rows are created one per step when the run starts; a missing one means the run was corrupted.
      if (!row || !step) throw new Error(`drill run ${drillRunId} has no result row for step ${i}`);
      if (row.state === "succeeded" || row.state === "skipped") continue;
      if (row.state === "failed" || row.state === "rolled_back") {
        if (live) stop ??= "failed";
        continue;
      }
      // After a failure or abort only the always-steps run (roll-forward, cleanup): a live drill must not leave
      // production downgraded or scratch namespaces with GPU pods behind.
      if (stop && !step.always) continue;
      // A restore that always runs puts back what an injected failure destroyed; when nothing was destroyed before
      // the stop, restoring over live data would only roll production back to the backup.
      if (stop && step.type === "create_restore" && !outputs.slice(0, i).some((o) => o.failure)) continue;
      if (!stop) {
        const abortNow = await db(() =>
          getPrisma().drillRun.findUniqueOrThrow({ where: { id: drillRunId }, select: { abortRequested: true } }),
        );
        if (abortNow.abortRequested) {
          stop = "aborted";
          if (!step.always) continue;
        }
      }
      let cluster: { kube: DrKubernetes; name: string };
      try {
        cluster = await clientFor(step.clusterTargetId);
      } catch (error) {
        const message = `cannot reach the step's cluster: ${(error as Error).message}`;
        await write((tx) =>
          tx.drillStepResult.update({
            where: { drillRunId_index: { drillRunId, index: i } },
            data: { state: "failed", startedAt: new Date(now()), finishedAt: new Date(now()), error: message },
          }),
        );
        if (live) stop ??= "failed";
        continue;
      }
      const { result, state } = await runStep({
        step,
        index: i,
        row,
        outputs,
        run: {
          id: drillRunId,
          mode: run.mode,
          allowRestoreWarnings: run.plan.allowRestoreWarnings,
          startedAt: runStartedAt,
        },
        urlAllowList,
        resolve: options.resolve,
        kube: cluster.kube,
        clusterName: cluster.name,
        ignoreAbort: stop !== null,
        write,
        db,
        now,
        pollMs,
        signal: options.signal,
      });
      if (stop) continue;
      const failedOrAborted = result === "aborted" || state !== "succeeded";
      // A live drill stops at the first failure; a dry run goes on to show every step, but an abort stops both.
      if (result === "aborted" || (failedOrAborted && live)) stop = result === "aborted" ? "aborted" : "failed";
    }
    if (stop) {
      await write((tx) =>
        tx.drillStepResult.updateMany({
          where: { drillRunId, state: { in: ["pending", "running", "waiting_for_operator"] } },
          data: { state: "skipped", finishedAt: new Date(now()) },
        }),
      );
    }
    return await finish(fence);
  } catch (error) {
    if (error instanceof StaleAttemptError) return { outcome: "fenced_out" };
    if (error instanceof WorkerStopping)
      return {
        outcome: "interrupted",
        reason: "the worker is stopping; the run resumes when the job is retried or is ended by the sweeper",
      };
    throw error;
  }

  async function finish(f: Fence, failure?: string): Promise<RunDrillResult> {
    const done = await db(() => finishDrill(f, failure));
    return { outcome: "finished", status: done.status, reason: done.reason };
  }
}
