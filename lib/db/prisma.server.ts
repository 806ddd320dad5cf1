import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getSetting, rawEnv } from "@/lib/env/get-env";

const TRANSACTION_MAX_WAIT_MS = 15_000;
const TRANSACTION_TIMEOUT_MS = 20_000;

// One client per process (Next dev reloads modules, so keep it on globalThis).
const globalForPrisma = globalThis as typeof globalThis & { portalPrisma?: PrismaClient; portalPrismaUrl?: string };

export function databaseUrl(): string {
  if (!rawEnv().DATABASE_URL)
    throw new Error(
      "DATABASE_URL is not set: start the portal with `npm start` (embedded PostgreSQL) or set DATABASE_URL",
    );
  return getSetting("DATABASE_URL");
}

export function getPrisma(): PrismaClient {
  const url = databaseUrl();
  if (!globalForPrisma.portalPrisma || globalForPrisma.portalPrismaUrl !== url) {
    globalForPrisma.portalPrisma = new PrismaClient({
      adapter: new PrismaPg({ connectionString: url, max: getSetting("DATABASE_POOL_SIZE") }),
      // Prisma's defaults (2 s to get a connection for a transaction, 5 s to run it) turn a burst of approvals on a
      // busy machine into errors: more transactions than pooled connections wait their turn instead.
      transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS, timeout: TRANSACTION_TIMEOUT_MS },
    });
    globalForPrisma.portalPrismaUrl = url;
  }
  return globalForPrisma.portalPrisma;
}

export type Db = PrismaClient;
/** The client handed to the callback of `$transaction`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export async function disconnectPrisma(): Promise<void> {
  await globalForPrisma.portalPrisma?.$disconnect();
  globalForPrisma.portalPrisma = undefined;
}

/**
 * The database could not take the work in time (no pooled connection or transaction slot within the waits above):
 * a 503 to try again, not a 500. P2024: timed out fetching a connection; P2028: a transaction could not start or
 * ran past its timeout.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "P2024" || code === "P2028";
}

// Kinds of failure that mean "no database to talk to" rather than a wrong query: the server refused or dropped the
// connection, is shutting down or starting, or did not answer in time. Prisma wraps them as P1001 (can't reach),
// P1002 (timed out), P1017 (server closed the connection), or a driver adapter error naming the kind; a bare
// pg or socket error may also surface.
const unreachableCodes = new Set([
  "P1001",
  "P1002",
  "P1017",
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
]);
const unreachableKinds = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
const unreachableMessage =
  /Can't reach database server|Connection terminated|connect ECONNREFUSED|Server has closed the connection|the database system is (starting up|shutting down)/i;

/**
 * The database cannot be reached (down, restarting, network gone): a 503 to try again later, not a 500. Follows
 * `cause` chains, since drivers wrap the socket error.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (
    let current = error, depth = 0;
    current && typeof current === "object" && depth < 5;
    current = (current as { cause?: unknown }).cause, depth++
  ) {
    const e = current as {
      code?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
    };
    if (typeof e.code === "string" && unreachableCodes.has(e.code)) return true;
    const kind = e.meta?.driverAdapterError?.cause?.kind;
    if (typeof kind === "string" && unreachableKinds.has(kind)) return true;
    if (typeof e.message === "string" && unreachableMessage.test(e.message)) return true;
  }
  return false;
}
