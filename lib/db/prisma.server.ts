import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

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
