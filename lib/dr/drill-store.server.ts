import "server-only";
import { getPrisma, type Tx } from "@/lib/db/prisma.server";
import { fencedWrite as fencedRunWrite, StaleAttemptError, type LeasedRunKind } from "@/lib/jobs/leased-run.server";

// Claiming and lease renewal of drill runs; the fencing itself is lib/jobs' (a write holds while status = running).
const drillRuns: LeasedRunKind = { table: "DrillRun", noun: "drill run", heldStatuses: ["running"] };

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

export type ClaimResult = { claimed: true; attempt: number } | { claimed: false; reason: string; leaseUntil?: Date };

/** Takes the run for a new attempt when it is queued, or running with a lapsed lease (a crashed worker: resume). */
export async function claimRun(runId: string, leaseMs: number, now: number): Promise<ClaimResult> {
  const db = getPrisma();
  const run = await db.drillRun.findUnique({
    where: { id: runId },
    select: { status: true, attempt: true, leaseUntil: true, startedAt: true },
  });
  if (!run) return { claimed: false, reason: "the drill run does not exist" };
  if (run.status !== "queued" && run.status !== "running")
    return { claimed: false, reason: `the drill run already ended (${run.status})` };
  if (run.status === "running" && run.leaseUntil && run.leaseUntil.getTime() > now) {
    return { claimed: false, reason: "another worker holds the run", leaseUntil: run.leaseUntil };
  }
  const taken = await db.drillRun.updateMany({
    where: {
      id: runId,
      attempt: run.attempt,
      status: { in: ["queued", "running"] },
      OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date(now) } }],
    },
    data: {
      attempt: run.attempt + 1,
      status: "running",
      leaseUntil: new Date(now + leaseMs),
      startedAt: run.startedAt ?? new Date(now),
    },
  });
  return taken.count === 1
    ? { claimed: true, attempt: run.attempt + 1 }
    : { claimed: false, reason: "another worker claimed the run first" };
}
