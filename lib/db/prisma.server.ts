import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

const TRANSACTION_MAX_WAIT_MS = 15_000;
const TRANSACTION_TIMEOUT_MS = 20_000;

// One client per process (Next dev reloads modules, so keep it on globalThis).
const globalForPrisma = globalThis as unknown as { portalPrisma?: PrismaClient; portalPrismaUrl?: string };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the portal with `npm start` (embedded PostgreSQL) or set DATABASE_URL");
  return url;
}

export function getPrisma(): PrismaClient {
  const url = databaseUrl();
  if (!globalForPrisma.portalPrisma || globalForPrisma.portalPrismaUrl !== url) {
    globalForPrisma.portalPrisma = new PrismaClient({
      adapter: new PrismaPg({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) }),
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
