// `npm start` stops everything when a supervisor stops npm: SIGTERM to npm's own process (as `kill`, systemd or a
// process manager send it) must reach the start script, and a killed npm must not leave it running. Run through
// the real npm with package.json's own start command, the start script replaced by a probe that, like start.ts,
// owns a child process and stops it on SIGTERM (or when parent-watch says npm is gone).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot } from "@/test-support/test-database";

const startCommand = (
  JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts.start;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    const pids = existsSync(path.join(dir, "pids"))
      ? readFileSync(path.join(dir, "pids"), "utf8").trim().split(/\s+/).map(Number)
      : [];
    for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** npm start in a folder whose start script is a probe; resolves once the probe and its child run. */
async function startProbe() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "portal-start-signals-"));
  dirs.push(dir);
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
  expect(startCommand).toContain("scripts/start.ts");
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name: "probe",
      private: true,
      scripts: { start: startCommand!.replace("scripts/start.ts", "probe.ts") },
    }),
  );
  writeFileSync(
    path.join(dir, "probe.ts"),
    `import { spawn } from "node:child_process";
import { appendFileSync, writeFileSync } from "node:fs";
import { watchParent } from ${JSON.stringify(path.join(repoRoot, "scripts", "lib", "parent-watch.ts"))};
const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
const stop = (why: string) => { appendFileSync("events", why + "\\n"); child.kill("SIGTERM"); child.once("exit", () => process.exit(0)); };
process.on("SIGTERM", () => stop("SIGTERM"));
watchParent(() => stop("parent gone"), 200);
writeFileSync("pids", process.pid + " " + child.pid);
setInterval(() => {}, 1000);
`,
  );
  const npm = spawn("npm", ["start"], {
    cwd: dir,
    stdio: "ignore",
    detached: true,
    env: { NODE_ENV: "test", PATH: process.env.PATH, HOME: process.env.HOME },
  });
  await until(() => existsSync(path.join(dir, "pids")), "the probe to start");
  const [probe, child] = readFileSync(path.join(dir, "pids"), "utf8").trim().split(" ").map(Number);
  return {
    dir,
    npm,
    probe,
    child,
    events: () => (existsSync(path.join(dir, "events")) ? readFileSync(path.join(dir, "events"), "utf8") : ""),
  };
}

describe("stopping npm start from outside", () => {
  it("SIGTERM to npm reaches the start script, which stops its children", async () => {
    const run = await startProbe();
    process.kill(run.npm.pid!, "SIGTERM");
    await until(() => !alive(run.probe!) && !alive(run.child!), "the start script and its child to exit");
    expect(run.events()).toContain("SIGTERM");
  }, 60_000);

  it("SIGKILL of npm: the start script notices its parent is gone and stops its children", async () => {
    const run = await startProbe();
    process.kill(run.npm.pid!, "SIGKILL");
    await until(() => !alive(run.probe!) && !alive(run.child!), "the start script and its child to exit");
    expect(run.events()).toContain("parent gone");
  }, 60_000);
});
