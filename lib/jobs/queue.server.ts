import "server-only";
import { PgBoss, fromPrisma } from "pg-boss";
import type { Tx } from "@/lib/db/prisma.server";
import { databaseUrl } from "@/lib/db/prisma.server";
import { logger } from "@/lib/observability/logger";
import { jobDefinitions, type JobName, type JobPayload } from "./job-definitions";

// The Postgres-backed queue (pg-boss, schema "pgboss"). Web processes only send; workers (worker/main.ts) work.
// A job that outlives its lease (expireInSeconds) is retried by pg-boss; handlers fence their writes with their
// own attempt counters so that a stale worker can never overwrite a newer attempt's result.

const globalForBoss = globalThis as typeof globalThis & { portalBoss?: Promise<PgBoss> };

export function getBoss(): Promise<PgBoss> {
  globalForBoss.portalBoss ??= (async () => {
    const boss = new PgBoss({ connectionString: databaseUrl(), schema: "pgboss", max: 4 });
    boss.on("error", (error) => logger.error({ err: String(error) }, "pg-boss error"));
    await boss.start();
    for (const [name, definition] of Object.entries(jobDefinitions)) {
      // An existing queue keeps the options it was created with: bring its policy up to date with this release.
      const existing = await boss.getQueue(name);
      if (existing) await boss.updateQueue(name, definition.queue);
      else
        await boss.createQueue(name, definition.queue).catch((error: Error) => {
          if (!/already exists/i.test(error.message)) throw error;
        });
    }
    return boss;
  })();
  return globalForBoss.portalBoss;
}

/**
 * Enqueues a job whose payload is validated by the job's schema. Returns the job id. With `tx`, the job is
 * inserted inside that Prisma transaction: it exists if and only if the transaction commits. `expireInSeconds`
 * overrides the queue's budget for a job whose length is known only when it is sent (a drill of a given plan).
 */
export async function enqueueJob<N extends JobName>(
  name: N,
  payload: JobPayload<N>,
  options: { singletonKey?: string; startAfter?: Date; expireInSeconds?: number; tx?: Tx } = {},
): Promise<string | null> {
  const parsed = jobDefinitions[name].payload.parse(payload) as object;
  const boss = await getBoss();
  const { tx, ...sendOptions } = options;
  return boss.send(name, parsed, { ...sendOptions, ...(tx ? { db: fromPrisma(tx) } : {}) });
}

/** Removes a cron schedule registered with the queue (a no-op when there is none). */
export async function unscheduleJob(name: JobName, key: string): Promise<void> {
  await (await getBoss()).unschedule(name, key);
}

export async function stopBoss(options: { graceful?: boolean; timeout?: number } = {}): Promise<void> {
  const pending = globalForBoss.portalBoss;
  globalForBoss.portalBoss = undefined;
  if (pending) await (await pending).stop({ graceful: options.graceful ?? true, timeout: options.timeout ?? 30_000 });
}

/** Jobs waiting or running per queue, for /metrics and the admin page. */
export async function queueDepths(): Promise<Record<string, { queued: number; active: number }>> {
  const boss = await getBoss();
  const queues = await boss.getQueues(Object.keys(jobDefinitions));
  return Object.fromEntries(queues.map((q) => [q.name, { queued: q.queuedCount ?? 0, active: q.activeCount ?? 0 }]));
}
