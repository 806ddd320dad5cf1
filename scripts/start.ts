// `npm start`: the whole portal on one machine with no setup.
//  - DATABASE_URL unset → an embedded real PostgreSQL in .data/ (demo sign-in on, the sandbox cluster registered)
//  - migrations applied, demo data seeded on the first run only, Next.js built when sources changed
//  - the web server on HOST:PORT (127.0.0.1:3000) and a background worker, restarted with a backoff when it exits;
//    Ctrl-C or SIGTERM stops all of it, PostgreSQL last (a second one stops at once: children killed, PostgreSQL's
//    immediate shutdown; a third exits without waiting). So does the death of the parent (npm) itself.
// Flags: --dev (next dev instead of a production build), --no-worker.
// With DATABASE_URL set: PORTAL_SEED_DEMO=true seeds the demo, PORTAL_SANDBOX_CLUSTER=true starts the sandbox.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { z } from "zod";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { envSchema } from "@/lib/config/env";
import { migrateDatabase } from "@/lib/db/migrate";
import { embeddedPostgres, type EmbeddedDatabase } from "./lib/embedded-postgres";
import { startSandboxCluster, type SandboxCluster } from "./lib/sandbox-cluster";
import { nextRestart } from "./lib/restart-policy";
import { watchParent } from "./lib/parent-watch";
import { createSignalGate } from "./lib/signal-gate";
import { stopChild } from "./lib/stop-child";
import { buildEstimate } from "./lib/build-estimate";
import { freePort } from "./lib/free-port";

const root = path.resolve(__dirname, "..");
const dataRoot = path.join(root, ".data");
const args = new Set(process.argv.slice(2));
const dev = args.has("--dev");
const t0 = Date.now();
const say = (line: string) => console.log(`[portal ${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`);
const children: ChildProcess[] = [];
// The production build while it runs: stopped with the rest, so a stop during the build leaves nothing behind.
let build: ChildProcess | null = null;
let workerRestart: NodeJS.Timeout | null = null;
let database: EmbeddedDatabase | null = null;
let sandbox: SandboxCluster | null = null;
// On Ctrl-C the worker finishes its current jobs for up to this long (its own default, 25 s, suits a rolling
// deploy, not a terminal); the web server and the worker get a little more before they are killed.
const workerStopMs = Number(process.env.WORKER_SHUTDOWN_TIMEOUT_MS ?? 8000);
const childStopMs = workerStopMs + 2000;

function newestMtime(entries: string[]): number {
  let newest = 0;
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const name of readdirSync(p))
        if (!name.startsWith(".") && name !== "node_modules" && name !== "generated") visit(path.join(p, name));
    } else newest = Math.max(newest, s.mtimeMs);
  };
  entries.forEach((e) => visit(path.join(root, e)));
  return newest;
}

function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv) {
  execFileSync(command, commandArgs, { cwd: root, stdio: "inherit", env });
}

function ensurePrismaClient(env: NodeJS.ProcessEnv) {
  const generated = path.join(root, "lib", "generated", "prisma", "client.ts");
  if (
    !existsSync(generated) ||
    statSync(generated).mtimeMs < statSync(path.join(root, "prisma", "schema.prisma")).mtimeMs
  ) {
    say("generating the Prisma client");
    run("npm", ["run", "-s", "prisma:generate"], env);
  }
}

const heartbeatMs = 30_000;

async function ensureBuild(env: NodeJS.ProcessEnv) {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const sources = [
    "app",
    "components",
    "lib",
    "public",
    "proxy.ts",
    "instrumentation.ts",
    "instrumentation-node.ts",
    "next.config.js",
    "package-lock.json",
    "tsconfig.json",
  ];
  const first = !existsSync(buildId);
  if (!first && statSync(buildId).mtimeMs > newestMtime(sources)) {
    say("the production build is up to date");
    return;
  }
  // `next build` is quiet for minutes at "Creating an optimized production build": say what is going on and how long.
  say(buildEstimate({ first, cores: os.availableParallelism(), load: os.loadavg()[0] ?? 0 }));
  const started = Date.now();
  const heartbeat = setInterval(
    () => say(`still building the app (${formatElapsed(Date.now() - started)} so far)…`),
    heartbeatMs,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      build = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
        cwd: root,
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...env, NODE_ENV: "production" },
      });
      build.once("error", reject);
      build.once("exit", (code, signal) =>
        code === 0
          ? resolve()
          : reject(new Error(`next build failed (${signal ?? `exit code ${code}`}): see its output above`)),
      );
    });
  } finally {
    clearInterval(heartbeat);
    build = null;
  }
  say(`built the app in ${formatElapsed(Date.now() - started)}`);
}

function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function authSecret(): string {
  const file = path.join(dataRoot, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping… (Ctrl-C again to stop at once)");
  if (workerRestart) clearTimeout(workerRestart);
  // Children first, PostgreSQL last: PostgreSQL runs in a session of its own, so Ctrl-C reaches only the children.
  await Promise.all([...children, ...(build ? [build] : [])].map((child) => stopChild(child, childStopMs)));
  await sandbox?.stop().catch(() => undefined);
  // The handle exists from before PostgreSQL is spawned, so a Ctrl-C while it is still starting stops it too.
  if (database) {
    await database.stop().catch((e) => console.error(`could not stop PostgreSQL cleanly: ${String(e)}`));
    say("embedded PostgreSQL stopped");
  }
  process.exit(code);
}

/** A second Ctrl-C while stopping: kill the children and ask PostgreSQL for an immediate shutdown; a third exits. */
let hurried = false;
function hurryShutdown() {
  if (hurried) {
    say("exiting without waiting; a PostgreSQL still running is reused or cleaned up by the next npm start");
    process.exit(130);
  }
  hurried = true;
  say("stopping at once");
  for (const child of [...children, ...(build ? [build] : [])])
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  void database?.stop({ immediate: true }).catch(() => undefined);
}

/** The settings npm start itself uses, validated as the web and the worker validate theirs (lib/config/env.ts). */
function startSettings() {
  const schema = z.object({
    HOST: envSchema.shape.HOST,
    PORT: envSchema.shape.PORT,
    PORTAL_EMBEDDED_PG_PORT: envSchema.shape.PORTAL_EMBEDDED_PG_PORT,
    PORTAL_SANDBOX_PORT: envSchema.shape.PORTAL_SANDBOX_PORT,
  });
  const given = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    console.error(`configuration error: ${issue.path.join(".")}: ${issue.message}`);
  process.exit(78); // EX_CONFIG, as the worker
}

/** Where npm start itself reaches the web server: the address it listens on, or loopback when that is every interface. */
function probeHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/** Starts the worker; when it exits on its own, restarts it after the policy's wait and says so. */
function startWorker(env: NodeJS.ProcessEnv, previousAttempts = 0) {
  // tsx as a loader in this one process, not tsx's CLI: the CLI is a wrapper that runs the worker in a second
  // node process, so a SIGKILL of the child would leave the real worker running while PostgreSQL stops.
  const worker = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(root, "worker", "main.ts")],
    {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...env,
        NODE_ENV: "production",
        PORTAL_PROCESS: "worker",
        WORKER_SHUTDOWN_TIMEOUT_MS: String(workerStopMs),
      },
    },
  );
  const startedAt = Date.now();
  children.push(worker);
  worker.once("exit", (code, signal) => {
    children.splice(children.indexOf(worker), 1);
    if (stopping) return;
    // The web server keeps serving meanwhile: only background jobs (applies, drills, ingestion) wait.
    const { delayMs, attempt } = nextRestart(previousAttempts, startedAt, Date.now());
    say(
      `the worker exited (${signal ?? `code ${code}`}); restarting it in ${formatElapsed(delayMs)}${attempt > 1 ? ` (quick exit ${attempt} in a row)` : ""}. The web server keeps running.`,
    );
    workerRestart = setTimeout(() => {
      workerRestart = null;
      if (!stopping) startWorker(env, attempt);
    }, delayMs);
  });
}

async function main() {
  mkdirSync(dataRoot, { recursive: true });
  const settings = startSettings();
  const { HOST: host, PORT: port } = settings;
  const env: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: "1", ...process.env, PORT: String(port), HOST: host };
  const embedded = !process.env.DATABASE_URL;
  if (embedded) {
    database = embeddedPostgres({ dataRoot, port: settings.PORTAL_EMBEDDED_PG_PORT, database: "portal", log: say });
    await database.start();
    env.DATABASE_URL = database.url;
    env.PORTAL_DEMO_LOGIN ??= "true";
    env.NEXTAUTH_SECRET ??= authSecret();
    say(`embedded PostgreSQL ready (${database.url.replace(/:[^:@/]+@/, ":***@")})`);
  }
  env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  env.PORTAL_GIT_MIRROR_DIR ??= path.join(dataRoot, "git-mirrors");
  process.env.DATABASE_URL = env.DATABASE_URL;
  process.env.NEXTAUTH_URL = env.NEXTAUTH_URL;

  const migrated = await migrateDatabase(env.DATABASE_URL!, path.join(root, "prisma", "migrations"));
  say(migrated.applied.length ? `applied migrations: ${migrated.applied.join(", ")}` : "database schema is up to date");
  ensurePrismaClient(env);

  if (embedded || env.PORTAL_SANDBOX_CLUSTER === "true") {
    // The cluster's objects are kept with the embedded database they belong to; with an outside database (the e2e
    // server's fresh one each run) the cluster starts fresh too, so the two never disagree.
    sandbox = await startSandboxCluster({
      dataRoot,
      log: say,
      stateFile: embedded ? path.join(dataRoot, "sandbox-state.json") : null,
      port: settings.PORTAL_SANDBOX_PORT,
    });
    env.PORTAL_KUBECONFIG ??= sandbox.kubeconfigPath;
    say(
      `sandbox cluster (a local double of the Kubernetes API, not a real cluster) at ${sandbox.url}, its standby at ${sandbox.standbyUrl}`,
    );
  }
  if (embedded || env.PORTAL_SEED_DEMO === "true") {
    const { seedDemoOnce } = await import("./lib/seed-once");
    const seeded = await seedDemoOnce({
      sandboxApiServer: sandbox?.url ?? "https://127.0.0.1:6443",
      sandboxStandbyApiServer: sandbox?.standbyUrl ?? "https://127.0.0.1:6444",
      now: new Date(),
    });
    say(seeded ? "seeded the demo data (first run)" : "demo data already seeded");
  }

  if (!dev) await ensureBuild(env);
  if (stopping) return; // Ctrl-C during the steps above: start nothing more
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const web = spawn(process.execPath, [nextBin, dev ? "dev" : "start", "-p", String(port), "-H", host], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...env, NODE_ENV: dev ? "development" : "production", PORTAL_PROCESS: "web" },
  });
  children.push(web);
  // Without the web server there is no portal: its exit stops everything (the worker is restarted instead).
  web.once("exit", (code) => {
    if (!stopping) {
      say(`the web server exited (code ${code}); stopping the rest`);
      void shutdown(code ?? 1);
    }
  });
  if (!args.has("--no-worker")) {
    // Unset, the worker's metrics port moves off 9464 when another portal (or anything) holds it, and says so.
    if (!env.WORKER_METRICS_PORT) {
      const metricsPort = await freePort(9464, host === "0.0.0.0" || host === "::" ? undefined : host);
      if (metricsPort !== 9464) say(`port 9464 is taken: the worker's /metrics and /healthz listen on ${metricsPort}`);
      env.WORKER_METRICS_PORT = String(metricsPort);
    }
    startWorker(env);
  }
  const probe = `http://${probeHost(host)}:${port}`;
  const up = (await waitForHttp(`${probe}/api/healthz`, 180_000)) && (await waitForHttp(`${probe}/signin`, 60_000));
  if (stopping) return;

  if (up) {
    const accounts = embedded ? (await import("@/lib/auth/demo-accounts")).demoAccounts : [];
    if (stopping) return;
    const where =
      host === "127.0.0.1" || host === "::1" || host === "localhost"
        ? "this machine only; set HOST=0.0.0.0 to listen on every interface"
        : `listening on ${host}`;
    say(
      `the portal is up: http://localhost:${port}  (${where}; first 200 after ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    if (accounts.length) {
      console.log("\n  Demo sign-ins (password: demo-password)");
      for (const a of accounts) console.log(`    ${a.email.padEnd(30)} ${a.role}`);
      console.log("\n  Ctrl-C stops the portal and its PostgreSQL.\n");
    }
  } else {
    say("the web server did not answer within 3 minutes: see the output above");
  }
}

let stopping = false;
// One Ctrl-C arrives more than once (the terminal signals the whole group, npm forwards its copy): copies within
// 1 s are the same press and change nothing; a press after that while stopping hurries the stop.
const signalPress = createSignalGate(1000);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (signalPress(Date.now()) === "duplicate") return;
    if (stopping) hurryShutdown();
    else void shutdown(0);
  });
}
watchParent(() => {
  if (stopping) return;
  say("the process that started npm start is gone; stopping");
  void shutdown(0);
});
main().catch(async (error) => {
  if (stopping) return; // a step failed because Ctrl-C is stopping what it needed (e.g. PostgreSQL while starting)
  console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
  await shutdown(1);
});
