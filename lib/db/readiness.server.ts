import "server-only";
import path from "node:path";
import pg from "pg";
import { databaseUrl } from "./prisma.server";
import { pendingMigrations } from "./migrate";

/**
 * `reason` is fixed text, safe for the anonymous callers of /api/readyz; `detail` (driver errors, addresses, migration
 * names) is for the log only.
 */
export type Readiness =
  { ready: true } | { ready: false; reason: "database unreachable" | "migrations pending"; detail: string };

/** Ready when the database answers and every migration in prisma/migrations is applied. */
export async function checkReadiness(
  migrationsDir = path.join(process.cwd(), "prisma", "migrations"),
): Promise<Readiness> {
  const client = new pg.Client({ connectionString: databaseUrl(), connectionTimeoutMillis: 2000, query_timeout: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    const pending = await pendingMigrations(client, migrationsDir);
    if (pending.length)
      return { ready: false, reason: "migrations pending", detail: `migrations not applied: ${pending.join(", ")}` };
    return { ready: true };
  } catch (error) {
    return { ready: false, reason: "database unreachable", detail: (error as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}
