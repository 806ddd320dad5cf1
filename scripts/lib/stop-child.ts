// Stops a child process of npm start: SIGTERM, then SIGKILL when it has not exited within `graceMs`.
import type { ChildProcess } from "node:child_process";

/** Resolves once the child has exited, or right after the SIGKILL (the caller does not wait for the kill to land). */
export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
