// Starts the real worker entry point (worker/main.ts) as a child process, as production does.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { repoRoot } from "./test-database";

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

export function startWorkerProcess(env: Record<string, string | undefined>): WorkerProcess {
  let output = "";
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(repoRoot, "worker", "main.ts")],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "test",
        WORKER_MAINTENANCE: "false",
        WORKER_METRICS_PORT: "0",
        LOG_LEVEL: "info",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async waitForOutput(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline)
          throw new Error(`worker did not print ${pattern} within ${timeoutMs} ms; output:\n${output}`);
        if (child.exitCode !== null)
          throw new Error(`worker exited (${child.exitCode}) before printing ${pattern}; output:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
