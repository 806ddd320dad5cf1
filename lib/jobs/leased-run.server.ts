import "server-only";
import { getPrisma, type Tx } from "@/lib/db/prisma.server";
import { Prisma } from "@/lib/generated/prisma/client";

// Fencing of long jobs (applies, reverts, drills). A worker holds a run by its attempt number, the fencing token a
// claim increments. Every write it makes first renews the lease with `WHERE attempt = mine`, which also locks the
// run row until the write commits, so once a newer claim (attempt + 1) or the sweeper took the run, every later
// write of the old worker is refused instead of overwriting the newer attempt's results.
//
// Apply runs and drill runs are claimed by the same rule except for two choices, which claimLeasedRun takes as
// options because they are required, not accidental: an apply run is claimed only by a pg-boss delivery of its own
// job, and pg-boss redelivers only after the previous delivery failed or expired, so a retry must take the run at
// once even while the dead worker's lease looks live; a drill run is also reached by the sweeper's re-queue and by
// drill-run jobs running beside a live worker, so its claim must wait for the lease, and its worker runs on an
// injectable clock (tests advance it) that must also set and judge the lease.

/** The tables whose rows are leased runs: each has `attempt` (the fencing token) and `leaseUntil`. */
export interface LeasedRunKind {
  table: "ApplyRun" | "DrillRun";
  /** How messages name a run of this kind ("apply run", "drill run"). */
  noun: string;
  /** Statuses in which the holder may still write; a run moved out of them (ended by a sweeper) fences it out too. */
  heldStatuses?: readonly string[];
  /** How claimLeasedRun takes a run of this kind. */
  claim: {
    /** The PostgreSQL enum type of the status column. */
    statusType: "ApplyRunStatus" | "DrillStatus";
    /** Statuses of an unfinished run, which a claim may take; any other status means the run ended. */
    claimableStatuses: readonly string[];
    /** The status a queued run moves to when first claimed (other claimable statuses are kept). */
    startedStatus: string;
  };
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

export interface ClaimOptions {
  /** How long the claim holds the run before another claim may take it; every fenced write renews it. */
  leaseMs: number;
  /**
   * True: a run whose lease is still live (held by another worker) is not taken, nor one another claim just took;
   * false: the claim always supersedes the current attempt, whose later writes are then fenced out.
   */
  respectLiveLease: boolean;
  /** "database": PostgreSQL's now() sets and judges the lease; a Date: the caller's now does (a test's clock). */
  clock: "database" | Date;
}

export type ClaimResult = { claimed: true; attempt: number } | { claimed: false; reason: string; leaseUntil?: Date };

/**
 * Takes an unfinished run for a new attempt: increments its attempt (the fencing token), takes a lease and marks it
 * started. One statement, so concurrent claims are serialised by the row lock; its snapshot of the row before the
 * claim explains a refusal.
 */
export async function claimLeasedRun(kind: LeasedRunKind, runId: string, options: ClaimOptions): Promise<ClaimResult> {
  const { clock, leaseMs } = options;
  const table = Prisma.raw(`"${kind.table}"`);
  const now = clock === "database" ? Prisma.sql`now()` : Prisma.sql`${clock}`;
  const leaseUntil =
    clock === "database"
      ? Prisma.sql`now() + make_interval(secs => ${leaseMs / 1000})`
      : Prisma.sql`${new Date(clock.getTime() + leaseMs)}`;
  const lapsed = options.respectLiveLease
    ? Prisma.sql` AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})`
    : Prisma.empty;
  const rows = await getPrisma().$queryRaw<
    { status: string; leaseUntil: Date | null; leaseLive: boolean; claimedAttempt: number | null }[]
  >`
    WITH seen AS (SELECT status::text AS status, "leaseUntil" FROM ${table} WHERE id = ${runId}),
    claimed AS (
      UPDATE ${table}
         SET attempt = attempt + 1,
             "leaseUntil" = ${leaseUntil},
             "startedAt" = COALESCE("startedAt", ${now}),
             status = CASE WHEN status::text = 'queued'
                           THEN ${kind.claim.startedStatus}::${Prisma.raw(`"${kind.claim.statusType}"`)}
                           ELSE status END
       WHERE id = ${runId} AND status::text IN (${Prisma.join([...kind.claim.claimableStatuses])})${lapsed}
   RETURNING attempt)
    SELECT seen.status, seen."leaseUntil", COALESCE(seen."leaseUntil" > ${now}, false) AS "leaseLive",
           (SELECT attempt FROM claimed) AS "claimedAttempt"
      FROM seen`;
  const run = rows[0];
  if (!run) return { claimed: false, reason: `the ${kind.noun} does not exist` };
  if (run.claimedAttempt !== null) return { claimed: true, attempt: run.claimedAttempt };
  if (!kind.claim.claimableStatuses.includes(run.status))
    return { claimed: false, reason: `the ${kind.noun} already ended (${run.status})` };
  const heldStatus = !kind.heldStatuses || kind.heldStatuses.includes(run.status);
  if (run.leaseUntil && run.leaseLive && heldStatus)
    return { claimed: false, reason: "another worker holds the run", leaseUntil: run.leaseUntil };
  return { claimed: false, reason: "another worker claimed the run first" };
}
