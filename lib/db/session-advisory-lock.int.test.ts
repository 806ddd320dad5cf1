// The session advisory lock against a real PostgreSQL: one holder at a time, waiters see who holds it, a holder
// whose process dies lets go with its connection, and a wait ends on abort or when the caller's heartbeat throws.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createMigratedDatabase, repoRoot } from "@/test-support/test-database";
import { acquireSessionAdvisoryLock } from "./session-advisory-lock.server";

let db: { url: string; drop: () => Promise<void> };
let admin: pg.Client;

beforeAll(async () => {
  db = await createMigratedDatabase("portal_lock");
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
}, 60_000);
afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

const key = (name: string) => ({ space: 7, name });
const sessionsLabelled = async (label: string) =>
  (
    await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [
      label,
    ])
  ).rows[0]!.n;

describe("session advisory lock", () => {
  it("a second taker waits, is told who holds it, and gets it when the holder releases", async () => {
    const first = await acquireSessionAdvisoryLock(key("cluster-a"), { label: "holder one" });
    const holders: (string | null)[] = [];
    let got = false;
    const second = acquireSessionAdvisoryLock(key("cluster-a"), {
      label: "holder two",
      pollMs: 20,
      onWait: async (h) => void holders.push(h),
    }).then((l) => ((got = true), l));
    // Another name is not blocked by it.
    const other = await acquireSessionAdvisoryLock(key("cluster-b"), { label: "holder three" });
    await other.release();
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toBe(false);
    expect(holders).toEqual(["holder one"]);
    await first.release();
    const lock = await second;
    expect(got).toBe(true);
    await lock.release();
    expect(await sessionsLabelled("holder one")).toBe(0);
    expect(await sessionsLabelled("holder two")).toBe(0);
  });

  it("a holder whose process is killed releases the lock with its connection", async () => {
    const script = `
      const pg = require("pg");
      (async () => {
        const c = new pg.Client({ connectionString: process.env.LOCK_DB, application_name: "doomed worker" });
        await c.connect();
        await c.query("SELECT pg_advisory_lock(7, hashtext('cluster-dies'))");
        console.log("held");
        setInterval(() => {}, 1000);
      })();`;
    const child = spawn(process.execPath, ["-e", script], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, NODE_ENV: "test", LOCK_DB: db.url },
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d: Buffer) => d.toString().includes("held") && resolve());
      child.once("exit", (code) => reject(new Error(`the holder exited early (${code})`)));
    });
    const holders: (string | null)[] = [];
    const waiting = acquireSessionAdvisoryLock(key("cluster-dies"), {
      label: "survivor",
      pollMs: 20,
      onWait: async (h) => void holders.push(h),
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(holders).toEqual(["doomed worker"]);
    child.kill("SIGKILL");
    const lock = await Promise.race([
      waiting,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("the lock was not released by the dead holder")), 10_000),
      ),
    ]);
    await lock.release();
  }, 20_000);

  it("the holder learns when its connection is gone (lost), so it stops before acting unguarded", async () => {
    const lock = await acquireSessionAdvisoryLock(key("cluster-lost"), { label: "terminated holder" });
    expect(lock.lost.aborted).toBe(false);
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'terminated holder'",
    );
    const deadline = Date.now() + 5000;
    while (!lock.lost.aborted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(lock.lost.aborted).toBe(true);
    await lock.release(); // harmless on a dead connection
    const next = await acquireSessionAdvisoryLock(key("cluster-lost"), { label: "next holder" });
    await next.release();
  });

  it("a wait ends on abort and when the heartbeat throws, and leaves no connection behind", async () => {
    const holder = await acquireSessionAdvisoryLock(key("cluster-busy"), { label: "long holder" });
    const controller = new AbortController();
    const aborted = acquireSessionAdvisoryLock(key("cluster-busy"), {
      label: "aborted waiter",
      pollMs: 20,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("worker shutting down")), 100);
    await expect(aborted).rejects.toThrow("worker shutting down");

    let beats = 0;
    const superseded = acquireSessionAdvisoryLock(key("cluster-busy"), {
      label: "superseded waiter",
      pollMs: 10,
      heartbeatMs: 30,
      heartbeat: async () => {
        beats++;
        if (beats === 3) throw new Error("a newer attempt took the run");
      },
    });
    await expect(superseded).rejects.toThrow("a newer attempt took the run");
    expect(beats).toBe(3);
    expect(await sessionsLabelled("aborted waiter")).toBe(0);
    expect(await sessionsLabelled("superseded waiter")).toBe(0);
    await holder.release();
  });
});
