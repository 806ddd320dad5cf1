import "server-only";
import { getPrisma, type Db, type Tx } from "@/lib/db/prisma.server";
import { claimLeasedRun, fencedWrite, type LeasedRunKind } from "@/lib/jobs/leased-run.server";
import type { RecordedResult } from "./created-objects";

const applyRuns: LeasedRunKind = {
  table: "ApplyRun",
  noun: "apply run",
  claim: {
    statusType: "ApplyRunStatus",
    claimableStatuses: ["queued", "dry_run", "applying"],
    startedStatus: "dry_run",
  },
};

export const LEASE_SECONDS = 120;

export interface ClaimedRun {
  id: string;
  requestId: string;
  attempt: number;
  operation: "apply" | "revert";
  force: boolean;
  fieldManager: string;
}

/**
 * Claims an unfinished run for this worker: increments its attempt (the fencing token) and takes a lease.
 * Returns null when the run already finished (a duplicate delivery changes nothing). Only a delivery of the run's
 * own job claims it, and pg-boss redelivers only after the last delivery failed or expired, so the claim supersedes
 * a live lease instead of waiting for it (lib/jobs).
 */
export async function claimApplyRun(runId: string): Promise<ClaimedRun | null> {
  const claim = await claimLeasedRun(applyRuns, runId, {
    leaseMs: LEASE_SECONDS * 1000,
    respectLiveLease: false,
    clock: "database",
  });
  if (!claim.claimed) return null;
  const run = await getPrisma().applyRun.findUniqueOrThrow({
    where: { id: runId },
    select: { id: true, requestId: true, operation: true, force: true, fieldManager: true },
  });
  return { ...run, attempt: claim.attempt };
}

/**
 * Runs `write` in a transaction only if `attempt` still holds the run (row locked), and renews the lease; a newer
 * attempt makes it throw StaleAttemptError (lib/jobs).
 */
export async function writeFenced<T>(
  run: Pick<ClaimedRun, "id" | "attempt">,
  write: (tx: Tx) => Promise<T>,
): Promise<T> {
  return fencedWrite(
    applyRuns,
    { runId: run.id, attempt: run.attempt },
    { seconds: LEASE_SECONDS },
    write,
    `apply run ${run.id}: attempt ${run.attempt} was superseded by a newer attempt`,
  );
}

/**
 * Ends runs whose lease lapsed long ago (their worker died and the queue's retries are spent), so that no run
 * stays "running" forever. The grace period exceeds the queue's whole retry window.
 */
export async function failAbandonedApplyRuns(now: Date, graceSeconds = 15 * 60): Promise<number> {
  const db = getPrisma();
  const cutoff = new Date(now.getTime() - graceSeconds * 1000);
  const abandoned = await db.applyRun.findMany({
    where: { status: { in: ["queued", "dry_run", "applying"] }, leaseUntil: { lt: cutoff } },
    select: { id: true, requestId: true, attempt: true },
  });
  let count = 0;
  for (const run of abandoned) {
    const updated = await db.$transaction(async (tx) => {
      const moved = await tx.applyRun.updateMany({
        where: { id: run.id, attempt: run.attempt, status: { in: ["queued", "dry_run", "applying"] } },
        data: {
          status: "failed",
          finishedAt: now,
          error:
            "the worker stopped responding and its retries were exhausted; nothing more will happen on its own: check the cluster, then approve a new request or force a re-apply",
        },
      });
      if (moved.count === 1) {
        await tx.request.update({ where: { id: run.requestId }, data: { status: "apply_failed" } });
        await tx.requestEvent.create({
          data: {
            requestId: run.requestId,
            type: "apply.abandoned",
            message: "The apply was abandoned: its worker stopped responding and retries were exhausted",
          },
        });
      }
      return moved.count;
    });
    count += updated;
  }
  return count;
}

type ResultFields = Omit<RecordedResult, "runId" | "operation" | "runStatus">;
type RunFields = { id: string; operation: RecordedResult["operation"]; status: RecordedResult["runStatus"] };
const recordedResult = (run: RunFields, r: ResultFields): RecordedResult => ({
  runId: run.id,
  attempt: r.attempt,
  operation: run.operation,
  runStatus: run.status,
  phase: r.phase,
  index: r.index,
  outcome: r.outcome,
  apiVersion: r.apiVersion,
  kind: r.kind,
  namespace: r.namespace,
  name: r.name,
  uid: r.uid ?? null,
});

/** Every object result the request's runs recorded, oldest first: the input of createdObjects(). */
export async function loadRecordedResults(db: Pick<Db, "applyObjectResult">, requestId: string) {
  const rows = await db.applyObjectResult.findMany({
    where: { applyRun: { requestId } },
    orderBy: [
      { applyRun: { createdAt: "asc" } },
      { applyRunId: "asc" },
      { attempt: "asc" },
      { phase: "asc" },
      { index: "asc" },
    ],
    select: {
      attempt: true,
      phase: true,
      index: true,
      outcome: true,
      uid: true,
      apiVersion: true,
      kind: true,
      namespace: true,
      name: true,
      applyRun: { select: { id: true, operation: true, status: true } },
    },
  });
  return rows.map((r) => recordedResult(r.applyRun, r));
}

/**
 * loadRecordedResults' answer from runs already loaded with their results (the request page loads them anyway),
 * in the same order: runs oldest first, attempts ascending (createdObjects sorts each phase by index itself).
 */
export function recordedResultsOfRuns(
  runs: readonly (RunFields & { createdAt: Date; results: readonly ResultFields[] })[],
): RecordedResult[] {
  const oldestFirst = [...runs].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return oldestFirst.flatMap((run) =>
    [...run.results].sort((a, b) => a.attempt - b.attempt).map((r) => recordedResult(run, r)),
  );
}
