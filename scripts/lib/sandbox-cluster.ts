// The demo's "sandbox cluster": the Kubernetes API double (test-support/k8s-api-double) in a child process.
// It is labelled as a sandbox everywhere it is shown; the portal talks to it exactly as to a real cluster.
import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { stopChild } from "./stop-child";

export interface SandboxCluster {
  url: string;
  /** The standby cluster's API (context sandbox-standby in the same kubeconfig), where cluster_failure restores. */
  standbyUrl: string;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

/** `stateFile`: where the cluster keeps its objects across restarts (loaded at start, saved on change); null: fresh. */
export async function startSandboxCluster(options: {
  dataRoot: string;
  log: (line: string) => void;
  port?: number;
  stateFile?: string | null;
}): Promise<SandboxCluster> {
  const root = path.resolve(__dirname, "..", "..");
  const kubeconfigPath = path.join(options.dataRoot, "sandbox-kubeconfig.yaml");
  // tsx as a loader in this one process (not tsx's CLI, a wrapper around a second node process), so that stop()'s
  // SIGKILL ends the server itself rather than only the wrapper.
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(root, "test-support", "k8s-api-double", "serve.ts"),
      "--port",
      String(options.port ?? Number(process.env.PORTAL_SANDBOX_PORT ?? 0)),
      "--kubeconfig",
      kubeconfigPath,
      ...(options.stateFile ? ["--state", options.stateFile] : []),
    ],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  const ready = await new Promise<{ url: string; standbyUrl: string }>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error("the sandbox cluster did not start within 30 s")), 30_000);
    lines.on("line", (line) => {
      try {
        const message = JSON.parse(line) as { ready?: boolean; url?: string; standbyUrl?: string };
        if (message.ready && message.url && message.standbyUrl) {
          clearTimeout(timer);
          resolve({ url: message.url, standbyUrl: message.standbyUrl });
        }
      } catch {
        options.log(`sandbox: ${line}`);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox cluster exited with code ${code}`));
    });
  });
  return {
    url: ready.url,
    standbyUrl: ready.standbyUrl,
    kubeconfigPath,
    stop: () => stopChild(child, 5000),
  };
}
