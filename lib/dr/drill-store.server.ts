import "server-only";
import type { Tx } from "@/lib/db/prisma.server";
import {
  claimLeasedRun,
  fencedWrite as fencedRunWrite,
  StaleAttemptError,
  type ClaimResult,
  type LeasedRunKind,
} from "@/lib/jobs/leased-run.server";

// Claiming and lease renewal of drill runs; the fencing itself is lib/jobs' (a write holds while status = running).
const drillRuns: LeasedRunKind = {
  table: "DrillRun",
  noun: "drill run",
  heldStatuses: ["running"],
  claim: { statusType: "DrillStatus", claimableStatuses: ["queued", "running"], startedStatus: "running" },
};

export interface Fence {
  runId: string;
  attempt: number;
  leaseMs: number;
  now: () => number;
}

const transientPatterns =
  /connect|terminat|ECONNRESET|ECONNREFUSED|EPIPE|closed|Connection|57P01|57P03|08006|08003|08001|the database system is (starting up|shutting down|in recovery mode)|timeout exceeded when trying to connect/i;
const transientCodes = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);

export function isTransientDbError(error: unknown): boolean {
  if (error instanceof StaleAttemptError) return false;
  const e = error as {
    code?: string;
    message?: string;
    cause?: { message?: string; code?: string };
    meta?: { driverAdapterError?: { cause?: { originalCode?: string; code?: string } } };
  };
  if (e?.code && transientCodes.has(e.code)) return true;
  // Prisma's driver adapter wraps PostgreSQL's SQLSTATE (57P01 admin shutdown, 57P03 cannot connect now, 08xxx).
  const sqlState = e?.meta?.driverAdapterError?.cause?.originalCode ?? e?.meta?.driverAdapterError?.cause?.code ?? "";
  if (/^(57P0[123]|08\d{3})$/.test(sqlState)) return true;
  return transientPatterns.test(`${e?.message ?? ""} ${e?.cause?.message ?? ""} ${e?.cause?.code ?? ""}`);
}

/** Retries a database call through a connection loss or a PostgreSQL restart, for up to `toleranceMs`. */
export async function withDbRetry<T>(fn: () => Promise<T>, toleranceMs: number, signal?: AbortSignal): Promise<T> {
  const started = Date.now();
  let delay = 100;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransientDbError(error) || Date.now() - started > toleranceMs || signal?.aborted) throw error;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }
}

/** Renews the lease and runs `write` in the same transaction, only while this attempt still holds the run. */
export async function fencedWrite<T>(fence: Fence, write: (tx: Tx) => Promise<T>): Promise<T> {
  const stale = `drill run ${fence.runId}: attempt ${fence.attempt} no longer holds the run (a newer attempt claimed it or it was ended)`;
  return fencedRunWrite(drillRuns, fence, { until: new Date(fence.now() + fence.leaseMs) }, write, stale);
}

/**
 * Takes the run for a new attempt when it is queued, or running with a lapsed lease (a crashed worker: resume).
 * A live lease is respected, since a sweeper's re-queue or a second job may reach a run whose worker is alive, and
 * `now` is the worker's own clock (lib/jobs).
 */
export async function claimRun(runId: string, leaseMs: number, now: number): Promise<ClaimResult> {
  return claimLeasedRun(drillRuns, runId, { leaseMs, respectLiveLease: true, clock: new Date(now) });
}
