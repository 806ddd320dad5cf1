import "server-only";
// A PostgreSQL session advisory lock on a dedicated connection: held until released or until the connection ends,
// so a process that dies (or whose connection drops) lets go of it without anybody's help. Not Prisma's pool: a
// pooled client does not pin one connection, and a session lock taken on one connection and released on another
// is never released. One connection per acquisition, also within a process: a session lock is re-entrant on its
// own connection, so two jobs of one worker sharing a connection would both "hold" it.
import pg from "pg";
import { databaseUrl } from "./prisma.server";

/**
 * `space` keeps one kind of lock apart from another (a fixed int4 per use); `name` is hashed to the second int4
 * (hashtext). Two names with the same hash only wait for each other needlessly; they never both hold the lock.
 * The two-int form never meets the one-bigint form (migrate.ts uses that): PostgreSQL keys them apart.
 */
export interface AdvisoryLockKey {
  space: number;
  name: string;
}

export interface HeldLock {
  /** Aborted when the lock's connection ends or fails: from then on the lock is no longer held. */
  lost: AbortSignal;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** The connection's application_name (at most 63 bytes): how waiters see who holds the lock (lockHolder). */
  label: string;
  /** Stops the wait: the acquisition rejects with the signal's reason. */
  signal?: AbortSignal;
  pollMs?: number;
  /** Called once, the first time the lock is found taken, with the holder's label (null when it cannot be seen). */
  onWait?: (holder: string | null) => Promise<void>;
  /** Called every heartbeatMs while waiting (the caller keeps its own lease alive); a throw ends the wait. */
  heartbeat?: () => Promise<void>;
  heartbeatMs?: number;
}

// A worker whose machine vanishes leaves no FIN behind: the server then learns it is gone from TCP keepalives.
// The system default is two hours; these make it about a minute on this session (ignored on Unix sockets).
const KEEPALIVES = "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3";

/** Takes the lock, waiting (polling pg_try_advisory_lock) while somebody else holds it. */
export async function acquireSessionAdvisoryLock(key: AdvisoryLockKey, options: AcquireOptions): Promise<HeldLock> {
  const client = new pg.Client({ connectionString: databaseUrl(), application_name: options.label, keepAlive: true });
  const lost = new AbortController();
  client.on("error", (error) => lost.abort(error));
  client.on("end", () => lost.abort(new Error("the lock's database connection ended")));
  await client.connect();
  try {
    await client.query(KEEPALIVES);
    const pollMs = options.pollMs ?? 500;
    const heartbeatMs = options.heartbeatMs ?? 30_000;
    let waited = false;
    let lastBeat = Date.now();
    for (;;) {
      options.signal?.throwIfAborted();
      const { rows } = await client.query<{ got: boolean }>(
        "SELECT pg_try_advisory_lock($1::int4, hashtext($2)) AS got",
        [key.space, key.name],
      );
      if (rows[0]?.got) break;
      if (!waited) {
        waited = true;
        await options.onWait?.(await lockHolder(client, key));
      }
      if (options.heartbeat && Date.now() - lastBeat >= heartbeatMs) {
        await options.heartbeat();
        lastBeat = Date.now();
      }
      await pause(pollMs, options.signal);
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    lost: lost.signal,
    async release() {
      // Ending the session releases the lock even if the unlock fails.
      await client
        .query("SELECT pg_advisory_unlock($1::int4, hashtext($2))", [key.space, key.name])
        .catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** Runs `work` holding the lock, and releases it however `work` ends. */
export async function withSessionAdvisoryLock<T>(
  key: AdvisoryLockKey,
  options: AcquireOptions,
  work: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireSessionAdvisoryLock(key, options);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}

/** The label (application_name) of the session that holds the lock, or null when nobody does or it is not visible. */
async function lockHolder(client: pg.Client, key: AdvisoryLockKey): Promise<string | null> {
  const { rows } = await client
    .query<{ label: string | null }>(
      `SELECT a.application_name AS label
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1::int4::oid AND l.objid = hashtext($2)::oid
      LIMIT 1`,
      [key.space, key.name],
    )
    .catch(() => ({ rows: [] as { label: string | null }[] }));
  return rows[0]?.label || null;
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
