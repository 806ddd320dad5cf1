// Integration tests run against a real PostgreSQL: TEST_DATABASE_URL if set, else the machine's server on
// 127.0.0.1:5432 (see .ci/run). Each test file gets its own freshly migrated database.
import path from "node:path";
import pg from "pg";
import { migrateDatabase } from "@/lib/db/migrate";

export const repoRoot = path.resolve(__dirname, "..");
export const migrationsDir = path.join(repoRoot, "prisma", "migrations");

export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates an empty database with a unique name and returns its URL and a drop function. */
export async function createEmptyDatabase(
  prefix = "portal_test",
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    url: withDatabase(adminUrl(), name),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh database with every migration applied; sets process.env.DATABASE_URL so server code uses it. */
export async function createMigratedDatabase(prefix?: string) {
  const db = await createEmptyDatabase(prefix);
  await migrateDatabase(db.url, migrationsDir);
  process.env.DATABASE_URL = db.url;
  return db;
}
