// The worker as a process: several share one queue without running a job twice, SIGTERM finishes the current
// job before exiting, and a missing setting stops start-up with a message naming it.
import net from "node:net";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { startWorkerProcess, type WorkerProcess } from "@/test-support/worker-process";
import { enqueueJob, stopBoss } from "@/lib/jobs/queue.server";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";

let db: { url: string; drop: () => Promise<void> };
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  db = await createMigratedDatabase("portal_worker");
}, 60_000);

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
  await stopBoss({ graceful: false, timeout: 1000 }).catch(() => undefined);
  await disconnectPrisma();
  await db.drop();
});

async function selfTestRuns(): Promise<{ marker: string; jobId: string }[]> {
  const rows = await getPrisma().auditEvent.findMany({ where: { action: "system.self-test" } });
  return rows.map((r) => ({ marker: (r.details as { marker: string }).marker, jobId: r.targetId ?? "" }));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("worker processes", () => {
  it("two workers against one Postgres take 100 queued jobs and each runs exactly once", async () => {
    for (let i = 0; i < 100; i++) await enqueueJob("system.self-test", { marker: `job-${i}`, sleepMs: 20 });
    const a = startWorkerProcess({ DATABASE_URL: db.url, WORKER_CONCURRENCY: "4" });
    const b = startWorkerProcess({ DATABASE_URL: db.url, WORKER_CONCURRENCY: "4" });
    workers.push(a, b);
    await waitFor(async () => (await selfTestRuns()).length >= 100, 90_000);
    await new Promise((r) => setTimeout(r, 2000)); // would expose late duplicates
    const runs = await selfTestRuns();
    expect(runs).toHaveLength(100);
    expect(new Set(runs.map((r) => r.marker)).size).toBe(100);
    // Both processes took work (the queue is shared, not owned by one of them).
    const started = (w: WorkerProcess) => (w.output().match(/"msg":"job started"/g) ?? []).length;
    expect(started(a) + started(b)).toBe(100);
    expect(started(a)).toBeGreaterThan(0);
    expect(started(b)).toBeGreaterThan(0);
    for (const w of [a, b]) w.child.kill("SIGTERM");
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  }, 120_000);

  it("SIGTERM during a job lets it finish, then exits 0; nothing is lost", async () => {
    const w = startWorkerProcess({ DATABASE_URL: db.url, WORKER_SHUTDOWN_TIMEOUT_MS: "20000" });
    workers.push(w);
    await w.waitForOutput(/worker ready/);
    await enqueueJob("system.self-test", { marker: "long-job", sleepMs: 3000 });
    await w.waitForOutput(/"msg":"job started"/, 30_000);
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);
    expect(w.output()).toMatch(/worker stopping/);
    expect((await selfTestRuns()).filter((r) => r.marker === "long-job")).toHaveLength(1);
  }, 60_000);

  it("serves /metrics on 127.0.0.1 only unless HOST says otherwise", async () => {
    const port = await freePort();
    const w = startWorkerProcess({ DATABASE_URL: db.url, WORKER_METRICS_PORT: String(port) });
    workers.push(w);
    await w.waitForOutput(/worker metrics listening/);
    expect(w.output()).toContain(`"address":"127.0.0.1","port":${port}`);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // Another address of this machine does not answer (when it has one besides loopback).
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === "IPv4" && !a.internal);
    if (external) await expect(fetch(`http://${external.address}:${port}/healthz`)).rejects.toThrow();
    w.child.kill("SIGTERM");
    expect(await w.exited).toBe(0);

    const everywhere = startWorkerProcess({ DATABASE_URL: db.url, WORKER_METRICS_PORT: String(port), HOST: "0.0.0.0" });
    workers.push(everywhere);
    await everywhere.waitForOutput(/worker metrics listening/);
    expect(everywhere.output()).toContain(`"address":"0.0.0.0","port":${port}`);
    everywhere.child.kill("SIGTERM");
    expect(await everywhere.exited).toBe(0);
  }, 60_000);

  it("a start-up with a missing required setting exits non-zero naming it", async () => {
    const w = startWorkerProcess({ DATABASE_URL: undefined });
    workers.push(w);
    const code = await w.exited;
    expect(code).not.toBe(0);
    expect(w.output()).toContain("configuration error: DATABASE_URL");
  }, 30_000);
});
