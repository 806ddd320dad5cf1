import "server-only";
// The background job behind an approval: pre-conditions, a dry-run of every object, server-side apply in order,
// each object's result recorded as it happens, then the post-conditions. Revert runs delete what the request created
// or inherited and the person confirmed (revert-run.server.ts). Applies and reverts on one cluster run one at a time
// (cluster-operation-lock.server.ts): each decides from what the others recorded and changes what they find.
// Every write is fenced by the run's attempt number, so a worker whose lease lapsed cannot overwrite a newer attempt.
import { getPrisma } from "@/lib/db/prisma.server";
import { applyObjects, type ObjectApplyResult } from "@/lib/k8s/apply-objects.server";
import { readLiveObjects } from "@/lib/k8s/drift.server";
import { checkClusterAccessible, checkGpuQuota } from "@/lib/k8s/preconditions.server";
import { checkMonitoringConfigured, checkObjectsExist, checkWorkloadsReady } from "@/lib/k8s/postconditions.server";
import { refOf } from "@/lib/k8s/object-ref";
import { postconditionMessage, postconditionReport } from "@/lib/k8s/postcondition-report";
import { recoverQuotaExceeded } from "@/lib/plans/recoveries";
import { parseStoredManifests, parseStoredPlanInput } from "./stored-plan";
import { clientForCluster } from "@/lib/clusters/cluster-client.server";
import { logger } from "@/lib/observability/logger";
import { claimApplyRun, writeFenced, type ClaimedRun } from "./apply-run-store.server";
import { StaleAttemptError } from "@/lib/jobs/leased-run.server";
import { planRevert } from "./revert-plan.server";
import { additionalGpuDemand } from "./request-preconditions.server";
import { loadRequestOwnership } from "./request-ownership.server";
import { addRequestEvent } from "./request-events.server";
import { finishRun as finish } from "./finish-run.server";
import { gitDeliveryRun } from "./git-delivery-run.server";
import { loadConfirmedDeletes, revertRun } from "./revert-run.server";
import { runMode } from "./delivery-mode.server";
import { withClusterOperationLock, type ClusterLockOptions } from "./cluster-operation-lock.server";

const outcomeOf = (r: ObjectApplyResult) => (r.outcome === "skipped" ? "failed" : r.outcome);

/** `options`: how often a run waiting for its cluster polls the lock and renews its lease (tests shorten them). */
export async function handleRequestApply(
  payload: { applyRunId: string },
  ctx: { jobId: string; signal: AbortSignal },
  options: Omit<ClusterLockOptions, "signal"> = {},
): Promise<void> {
  const run = await claimApplyRun(payload.applyRunId);
  if (!run) return; // already finished: a duplicate delivery changes nothing
  const log = logger.child({ jobId: ctx.jobId, applyRunId: run.id, attempt: run.attempt });
  try {
    await runClaimed(run, { ...options, signal: ctx.signal });
  } catch (error) {
    if (error instanceof StaleAttemptError) {
      log.warn("a newer attempt owns this apply run; this worker stops without writing");
      return;
    }
    throw error; // pg-boss retries; the next attempt claims the run again
  }
}

async function runClaimed(run: ClaimedRun, lockOptions: ClusterLockOptions): Promise<void> {
  const db = getPrisma();
  const request = await db.request.findUniqueOrThrow({
    where: { id: run.requestId },
    include: { clusterTarget: true },
  });
  const cluster = request.clusterTarget;
  if (!cluster)
    return finish(run, {
      ok: false,
      requestStatus: "apply_failed",
      error: "no target cluster",
      message: "The request has no target cluster: nothing was applied",
    });

  // A revert goes the way the request's apply went (delivery-mode.server.ts); an apply, the cluster's way now.
  const mode = await runMode(db, request, run.operation);
  if (mode === "git") return gitDeliveryRun(run, request.id, cluster, { leaseRenewMs: lockOptions.heartbeatMs });

  const made = clientForCluster(cluster);
  if (!made.ok)
    return finish(run, {
      ok: false,
      requestStatus: "apply_failed",
      error: made.message,
      message: `Cannot reach the cluster: ${made.message}`,
    });
  const client = made.client;

  await writeFenced(run, async (tx) => {
    await tx.request.update({ where: { id: run.requestId }, data: { status: "applying" } });
    await addRequestEvent(tx, run.requestId, {
      type: `${run.operation}.started`,
      message: `${run.operation === "revert" ? "Revert" : "Apply"} started on ${cluster.name}${cluster.isSandbox ? " (sandbox)" : ""}, attempt ${run.attempt}${run.force ? " (forced: takes over conflicting fields)" : ""}`,
    });
  });

  await withClusterOperationLock(run, cluster, lockOptions, async (lock) => {
    const access = await checkClusterAccessible(client);
    if (!access.ok)
      return finish(run, {
        ok: false,
        requestStatus: "apply_failed",
        error: access.message,
        message: `Pre-condition kubernetes_cluster_accessible failed: ${access.message}`,
      });
    if (run.operation === "revert")
      return revertRun(run, client, await planRevert(db, request), await loadConfirmedDeletes(run), lock);
    return applyPlan(run, request, client);
  });
}

async function applyPlan(
  run: ClaimedRun,
  request: { id: string; clusterTargetId: string | null; plan: unknown; input: unknown },
  client: Parameters<typeof readLiveObjects>[0],
): Promise<void> {
  const objects = parseStoredManifests(request.plan);
  const ownership = await loadRequestOwnership(getPrisma(), request, objects.map(refOf));
  const demand = await additionalGpuDemand(client, objects, ownership);
  if (demand.length) {
    const floor = await checkGpuQuota(
      client,
      demand.map((d) => ({ namespace: d.namespace, gpus: d.floor })),
    );
    if (!floor.ok && "reason" in floor && floor.reason === "quota_exceeded") {
      const available = Math.max(0, floor.hard - floor.used);
      const recovery = recoverQuotaExceeded(parseStoredPlanInput(request.input), {
        requested_gpus: floor.requested,
        available_gpus: available,
        quota: { namespace: floor.namespace, name: floor.quotaName, hard: floor.hard, used: floor.used },
      });
      return finish(run, {
        ok: false,
        requestStatus: "apply_failed",
        error: floor.message,
        message: `Pre-condition quota_available failed: ${floor.message}`,
        data: {
          reason: "quota_exceeded",
          namespace: floor.namespace,
          quota: { name: floor.quotaName, hard: floor.hard, used: floor.used, requested: floor.requested },
          recovery,
        },
      });
    }
    if (!floor.ok)
      return finish(run, {
        ok: false,
        requestStatus: "apply_failed",
        error: floor.message,
        message: `Could not read the GPU quota: ${floor.message}`,
      });
    const ceiling = await checkGpuQuota(
      client,
      demand.map((d) => ({ namespace: d.namespace, gpus: d.ceiling })),
    );
    if (!ceiling.ok && "reason" in ceiling && ceiling.reason === "quota_exceeded") {
      await writeFenced(run, (tx) =>
        addRequestEvent(tx, run.requestId, {
          type: "precondition.warning",
          message: `At full scale the plan needs ${ceiling.requested} GPUs in ${ceiling.namespace}, but quota ${ceiling.quotaName} leaves ${ceiling.hard - ceiling.used}: autoscaling will stop there. Request a quota increase if the peak matters.`,
          data: { namespace: ceiling.namespace, hard: ceiling.hard, used: ceiling.used, requested: ceiling.requested },
        }),
      );
    }
  }

  const counters = { "dry-run": 0, apply: 0 };
  const report = await applyObjects(client, objects, {
    fieldManager: run.fieldManager,
    force: run.force,
    onResult: (result) =>
      writeFenced(run, async (tx) => {
        const index = counters[result.phase]++;
        if (result.phase === "apply" && index === 0) {
          await tx.applyRun.update({ where: { id: run.id }, data: { status: "applying" } });
          await addRequestEvent(tx, run.requestId, {
            type: "dry-run.passed",
            message: `Dry-run passed for all ${objects.length} objects; applying with field manager "${run.fieldManager}"`,
          });
        }
        const phase = result.phase === "dry-run" ? "dry_run" : "apply";
        const data = {
          apiVersion: result.ref.apiVersion,
          kind: result.ref.kind,
          namespace: result.ref.namespace ?? null,
          name: result.ref.name,
          outcome: outcomeOf(result),
          httpStatus: result.httpStatus ?? result.failure?.code ?? null,
          message: result.message,
          conflicts: result.failure?.conflicts?.length ? (result.failure.conflicts as object) : undefined,
          uid: result.phase === "apply" ? (result.uid ?? null) : null,
        };
        await tx.applyObjectResult.upsert({
          where: { applyRunId_attempt_phase_index: { applyRunId: run.id, attempt: run.attempt, phase, index } },
          create: { applyRunId: run.id, attempt: run.attempt, phase, index, ...data },
          update: data,
        });
        if (result.phase === "apply" || result.outcome === "failed") {
          await addRequestEvent(tx, run.requestId, {
            type: `object.${result.phase}`,
            message: result.message,
            data: { outcome: result.outcome, ref: result.ref },
          });
        }
      }),
  });

  if (!report.ok) {
    const failed = [...report.dryRun, ...report.applied].filter((r) => r.outcome === "failed");
    const conflicts = failed.flatMap((r) => r.failure?.conflicts ?? []);
    const summary =
      report.failedPhase === "dry-run"
        ? `Dry-run rejected ${failed.length} object(s); nothing was applied. ${failed[0]?.message ?? ""}`
        : `Apply stopped at ${failed[0]?.message ?? "an object"}${conflicts.length ? ". Conflicts are never forced silently: an admin may force the apply with a reason" : ""}`;
    return finish(run, {
      ok: false,
      requestStatus: "apply_failed",
      error: failed[0]?.message ?? "apply failed",
      message: summary,
      data: { failedPhase: report.failedPhase, conflicts },
    });
  }

  const refs = objects.map(refOf);
  const [exist, ready, monitoring] = await Promise.all([
    checkObjectsExist(client, refs),
    checkWorkloadsReady(client, refs),
    checkMonitoringConfigured(client, objects),
  ]);
  const counts = report.applied.reduce<Record<string, number>>(
    (acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }),
    {},
  );
  return finish(run, {
    ok: true,
    requestStatus: "applied",
    message: `Applied ${objects.length} objects (${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(", ")}). ${postconditionMessage(postconditionReport({ exist, ready, monitoring }))}`,
    data: {
      postconditions: {
        infrastructure_deployed: exist.ok,
        health_checks_passing: ready.ok,
        monitoring_configured: monitoring.ok,
        workloads: ready.workloads,
      },
    },
  });
}

/**
 * GPUs the plan adds on top of what its own workloads already hold in the cluster (a re-apply must not count its
 * running pods twice: the quota's "used" includes them).
 */
