import "server-only";
import { getPrisma, type Tx } from "@/lib/db/prisma.server";
import { Prisma } from "@/lib/generated/prisma/client";

// Fencing of long jobs (applies, reverts, drills). A worker holds a run by its attempt number, the fencing token a
// claim increments. Every write it makes first renews the lease with `WHERE attempt = mine`, which also locks the
// run row until the write commits, so once a newer claim (attempt + 1) or the sweeper took the run, every later
// write of the old worker is refused instead of overwriting the newer attempt's results.

/** The tables whose rows are leased runs: each has `attempt` (the fencing token) and `leaseUntil`. */
export interface LeasedRunKind {
  table: "ApplyRun" | "DrillRun";
  /** How messages name a run of this kind ("apply run", "drill run"). */
  noun: string;
  /** Statuses in which the holder may still write; a run moved out of them (ended by a sweeper) fences it out too. */
  heldStatuses?: readonly string[];
}

export interface RunFence {
  runId: string;
  attempt: number;
}

/** Thrown when a newer attempt holds the run, or it was ended: this worker's results are stale and were not written. */
export class StaleAttemptError extends Error {
  constructor(
    readonly runId: string,
    readonly attempt: number,
    message = `run ${runId}: attempt ${attempt} no longer holds the run`,
  ) {
    super(message);
    this.name = "StaleAttemptError";
  }
}

/** The lease a write renews: measured by the database's clock, or up to a time of the caller's clock. */
export type Lease = { seconds: number } | { until: Date };

/** Renews the lease and runs `write` in the same transaction, only while `fence.attempt` still holds the run. */
export async function fencedWrite<T>(
  kind: LeasedRunKind,
  fence: RunFence,
  lease: Lease,
  write: (tx: Tx) => Promise<T>,
  staleMessage?: string,
): Promise<T> {
  return getPrisma().$transaction(async (tx) => {
    const leaseUntil =
      "seconds" in lease ? Prisma.sql`now() + make_interval(secs => ${lease.seconds})` : Prisma.sql`${lease.until}`;
    const held = kind.heldStatuses
      ? Prisma.sql` AND status::text IN (${Prisma.join([...kind.heldStatuses])})`
      : Prisma.empty;
    const renewed =
      await tx.$executeRaw`UPDATE ${Prisma.raw(`"${kind.table}"`)} SET "leaseUntil" = ${leaseUntil} WHERE id = ${fence.runId} AND attempt = ${fence.attempt}${held}`;
    if (renewed === 0)
      throw new StaleAttemptError(
        fence.runId,
        fence.attempt,
        staleMessage ?? `${kind.noun} ${fence.runId}: attempt ${fence.attempt} no longer holds the run`,
      );
    return write(tx);
  });
}
