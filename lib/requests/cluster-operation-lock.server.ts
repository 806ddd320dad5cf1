import "server-only";
// Applies and reverts on one cluster run one at a time. A revert decides what it may delete from the apply rows other
// requests wrote (revert-plan.server.ts); an apply or another revert running meanwhile would change that answer
// after it was read: a revert deleting the Namespace of an apply that had not written its rows yet, or two reverts
// each leaving a shared Namespace for the other. So an apply holds the cluster from its pre-conditions and dry-run
// to its finish, and a revert from its plan to its finish, under a session advisory lock keyed on the cluster target
// (a worker that dies releases it with its connection). A run that waits says so on its request's timeline, and
// keeps its lease alive meanwhile (the lease is what tells a dead worker from a waiting one).
import { getPrisma } from "@/lib/db/prisma.server";
import { withSessionAdvisoryLock, type HeldLock } from "@/lib/db/session-advisory-lock.server";
import { writeFenced, type ClaimedRun } from "./apply-run-store.server";
import { addRequestEvent } from "./request-events.server";

/** The lock space of cluster operations ("CLUS"): see AdvisoryLockKey. */
const CLUSTER_OPERATION_SPACE = 0x434c5553;
const LABEL_PREFIX = "portal apply-run ";

export interface ClusterLockOptions {
  signal: AbortSignal;
  pollMs?: number;
  heartbeatMs?: number;
}

export async function withClusterOperationLock<T>(
  run: ClaimedRun,
  cluster: { id: string; name: string },
  options: ClusterLockOptions,
  work: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  return withSessionAdvisoryLock(
    { space: CLUSTER_OPERATION_SPACE, name: cluster.id },
    {
      label: `${LABEL_PREFIX}${run.id}`,
      signal: options.signal,
      pollMs: options.pollMs,
      heartbeatMs: options.heartbeatMs,
      // Renews the lease, and ends the wait when a newer attempt took the run (StaleAttemptError).
      heartbeat: () => writeFenced(run, async () => undefined),
      onWait: async (holder) => {
        const holding = await describeHolder(holder);
        await writeFenced(run, (tx) =>
          addRequestEvent(tx, run.requestId, {
            type: "cluster.waiting",
            message: `Waiting for another operation on cluster ${cluster.name}${holding ? ` (${holding.text})` : ""} to finish: applies and reverts on one cluster run one at a time`,
            data: { clusterTargetId: cluster.id, ...(holding ? { holder: holding.data } : {}) },
          }),
        );
      },
    },
    work,
  );
}

/** "REQ-12's revert", from the holder's connection label. */
async function describeHolder(label: string | null) {
  if (!label?.startsWith(LABEL_PREFIX)) return null;
  const runId = label.slice(LABEL_PREFIX.length);
  const run = await getPrisma().applyRun.findUnique({
    where: { id: runId },
    select: { id: true, operation: true, request: { select: { id: true, number: true } } },
  });
  if (!run) return null;
  return {
    text: `REQ-${run.request.number}'s ${run.operation}`,
    data: { applyRunId: run.id, requestId: run.request.id, number: run.request.number, operation: run.operation },
  };
}
