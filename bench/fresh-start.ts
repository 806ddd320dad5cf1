// Measures what a newcomer waits for: in a fresh clone, `npm ci`, then `npm start` until the sign-in page
// answers 200 (build included). Prints the figures. Usage: npx tsx bench/fresh-start.ts
// Uses its own ports (web 3900, embedded PostgreSQL 55499) and a temporary folder; removes it afterwards.
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const repo = path.resolve(__dirname, "..");
const dir = mkdtempSync(path.join(os.tmpdir(), "portal-fresh-"));
// mkdtemp makes a private (0700) folder; the embedded PostgreSQL's own user must be able to enter it.
chmodSync(dir, 0o755);
const clone = path.join(dir, "portal");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  execFileSync("git", ["clone", "-q", repo, clone]);
  const t0 = Date.now();
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: clone, stdio: "ignore" });
  const ciMs = Date.now() - t0;
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = { ...inherited, PORT: "3900", PORTAL_EMBEDDED_PG_PORT: "55499" };
  const t1 = Date.now();
  console.log(`npm ci: ${seconds(ciMs)}; starting npm start (output in ${path.join(dir, "start.log")})`);
  const log = openSync(path.join(dir, "start.log"), "w");
  const child = spawn("npm", ["start"], { cwd: clone, env, stdio: ["ignore", log, log], detached: true });
  let exited = false;
  child.once("exit", () => (exited = true));
  let firstOk = 0;
  while (Date.now() - t1 < 300_000 && !exited) {
    try {
      const response = await fetch("http://127.0.0.1:3900/signin");
      if (response.status === 200) {
        firstOk = Date.now() - t1;
        break;
      }
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (exited)
    console.log(
      `npm start exited before answering:\n${readFileSync(path.join(dir, "start.log"), "utf8").slice(-2000)}`,
    );
  // Ctrl-C reaches the whole process group, as in a terminal.
  // Wait for npm start to finish its shutdown (children, then PostgreSQL) before the folder is deleted; 30 s at most.
  if (!exited) {
    const done = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid!, "SIGINT");
    await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
  }
  console.log(`npm ci:                        ${seconds(ciMs)}`);
  console.log(`npm start → first 200 (/signin): ${firstOk ? seconds(firstOk) : "did not answer within 5 minutes"}`);
  console.log(`total (npm ci && npm start):   ${firstOk ? seconds(ciMs + firstOk) : "n/a"}`);
  console.log(
    `load average at the end:       ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}  (2 cores)`,
  );
}

main().finally(() => rmSync(dir, { recursive: true, force: true }));
