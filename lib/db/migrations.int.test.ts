// Proves that a database built from prisma/migrations is the database prisma/schema.prisma declares: one
// database is migrated with our runner, another gets the SQL Prisma derives from the schema itself, and their
// catalogs (tables, columns, types, defaults, nullability, indexes, constraints, enums) must be identical.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { readFileSync } from "node:fs";
import path from "node:path";
import { migrateDatabase, readMigrations } from "./migrate";
import { diffSchemasToSql } from "@/scripts/lib/prisma6-diff";
import { adminUrl, createEmptyDatabase, migrationsDir, repoRoot } from "@/test-support/test-database";

type Catalog = Record<string, unknown[]>;

async function catalog(url: string): Promise<Catalog> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns:
        await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision, numeric_scale
                        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1, 2`),
      indexes: await q(
        `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1, 2`,
      ),
      constraints:
        await q(`SELECT conrelid::regclass::text AS table_name, conname, contype, pg_get_constraintdef(oid) AS definition
                            FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"') ORDER BY 1, 2`),
      enums: await q(
        `SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY 1, 3`,
      ),
    };
  } finally {
    await client.end();
  }
}

describe("migrations", () => {
  const dbs: { drop: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  let fromMigrations: { url: string };
  beforeAll(async () => {
    const db = await createEmptyDatabase("portal_mig");
    dbs.push(db);
    await migrateDatabase(db.url, migrationsDir);
    fromMigrations = db;
  });

  it("build the database that prisma/schema.prisma declares", async () => {
    const fromSchema = await createEmptyDatabase("portal_schema");
    dbs.push(fromSchema);
    const schemaText = readFileSync(path.join(repoRoot, "prisma", "schema.prisma"), "utf8");
    const sql = diffSchemasToSql(null, schemaText, adminUrl());
    const client = new pg.Client({ connectionString: fromSchema.url });
    await client.connect();
    await client.query(sql);
    await client.end();
    const expected = await catalog(fromSchema.url);
    expect(expected.columns!.length).toBeGreaterThan(50);
    expect(await catalog(fromMigrations.url)).toEqual(expected);
  });

  it("are recorded in _prisma_migrations with Prisma's sha256 checksums, and a second run applies nothing", async () => {
    const client = new pg.Client({ connectionString: (fromMigrations as { url: string }).url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    await client.end();
    const files = readMigrations(migrationsDir);
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    const again = await migrateDatabase(fromMigrations.url, migrationsDir);
    expect(again).toEqual({ applied: [], alreadyApplied: files.length });
  });

  it("refuse to run when an applied migration was edited", async () => {
    const db = await createEmptyDatabase("portal_mig_edit");
    dbs.push(db);
    await migrateDatabase(db.url, migrationsDir);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`UPDATE "_prisma_migrations" SET checksum = 'edited'`);
    await client.end();
    await expect(migrateDatabase(db.url, migrationsDir)).rejects.toThrow(/was changed after it was applied/);
  });
});
