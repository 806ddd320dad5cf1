// Upgrading to one URL allow-list keeps what an admin or the portal itself configured working (the Prometheus URL,
// the AWS endpoint, the health checks of the plans the portal seeded) and carries over nothing an SRE wrote.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, readMigrations } from "@/lib/db/migrate";
import { createEmptyDatabase, migrationsDir } from "@/test-support/test-database";

// Found by name, so that renumbering the migration when branches merge does not break the test.
const MIGRATION = readMigrations(migrationsDir).find((m) => m.name.endsWith("_url_policy"))!.name;
let db: Awaited<ReturnType<typeof createEmptyDatabase>>;
let client: pg.Client;
let before: string;

beforeAll(async () => {
  db = await createEmptyDatabase("url_policy_migration");
  // The database as it was before this migration: every earlier one applied.
  before = mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  for (const m of readMigrations(migrationsDir))
    if (m.name < MIGRATION) cpSync(path.join(migrationsDir, m.name), path.join(before, m.name), { recursive: true });
  cpSync(path.join(migrationsDir, "migration_lock.toml"), path.join(before, "migration_lock.toml"));
  await migrateDatabase(db.url, before);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await db?.drop();
  rmSync(before, { recursive: true, force: true });
});

describe(`migration ${MIGRATION}`, () => {
  it("lists the admin's URLs and the seeded plans' health checks as host:port, and drops the plan and cost lists", async () => {
    await client.query(`INSERT INTO "User" (id, email, name, role) VALUES ('u1', 'sre@example.com', 'SRE', 'sre')`);
    await client.query(`INSERT INTO "Setting" (key, value, "updatedAt") VALUES ('costs.source', $1, now())`, [
      {
        sources: ["prometheus"],
        prometheusUrl: "http://Prometheus.monitoring.svc:9090/prom",
        prometheusAllow: ["10.0.0.0/8"],
        awsEndpoint: "https://ce.example.com",
      },
    ]);
    const plan = (id: string, key: string, list: string[], createdById: string | null) =>
      client.query(
        `INSERT INTO "DrPlan" (id, key, version, name, namespaces, "rtoMinutes", "rpoMinutes", steps, "healthCheckAllowList", "createdById") VALUES ($1, $2, 1, 'p', '{ml-inference}', 15, 60, '[]', $3, $4)`,
        [id, key, list, createdById],
      );
    await plan("p1", "seeded", ["http://localhost:3000/api/healthz", "http://[::1]:8080/health"], null);
    await plan("p2", "by_sre", ["http://169.254.169.254/latest/meta-data", "http://10.1.2.3:8080/"], "u1");

    await migrateDatabase(db.url, migrationsDir);

    const settings = await client.query<{ key: string; value: Record<string, unknown> }>(
      `SELECT key, value FROM "Setting" ORDER BY key`,
    );
    expect(settings.rows).toEqual([
      {
        key: "costs.source",
        value: {
          sources: ["prometheus"],
          prometheusUrl: "http://Prometheus.monitoring.svc:9090/prom",
          awsEndpoint: "https://ce.example.com",
        },
      },
      {
        key: "net.url-allow-list",
        value: {
          entries: expect.arrayContaining([
            "prometheus.monitoring.svc:9090",
            "ce.example.com:443",
            "localhost:3000",
            "[::1]:8080",
          ]),
        },
      },
    ]);
    expect((settings.rows[1]!.value.entries as string[]).length).toBe(4);
    const columns = await client.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'DrPlan' AND column_name = 'healthCheckAllowList'`,
    );
    expect(columns.rows).toEqual([]);
  });
});
