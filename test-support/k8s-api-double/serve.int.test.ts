// The demo's "sandbox cluster" entry: started as `npm start` starts it, reached through the portal's own client.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKubernetesClient, type KubernetesClient } from "@/lib/k8s/create-client.server";
import { checkClusterAccessible, checkGpuQuota } from "@/lib/k8s/preconditions.server";
import { newestCompletedBackup, readVeleroStatus } from "@/lib/dr/kube-readers";

const repoRoot = path.resolve(__dirname, "../..");
let child: ChildProcess;
let ready: { url: string; kubeconfig: string; credentialRef: string };
let client: KubernetesClient;

beforeAll(async () => {
  const kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), "sandbox-")), "kubeconfig.yaml");
  child = spawn(process.execPath, [path.join(repoRoot, "node_modules/tsx/dist/cli.mjs"), "test-support/k8s-api-double/serve.ts", "--port", "0", "--kubeconfig", kubeconfig], { cwd: repoRoot });
  ready = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line));
    });
    child.once("exit", (code) => reject(new Error(`serve.ts exited with ${code}`)));
  });
  const created = createKubernetesClient({ apiServer: ready.url, credentialRef: ready.credentialRef }, { kubeconfigPath: ready.kubeconfig });
  if (!created.ok) throw new Error(created.message);
  client = created.client;
});
afterAll(() => {
  child?.kill("SIGTERM");
});

describe("serve.ts (sandbox cluster)", () => {
  it("writes a private kubeconfig that the portal's client can use", async () => {
    expect(statSync(ready.kubeconfig).mode & 0o077).toBe(0);
    expect(readFileSync(ready.kubeconfig, "utf8")).toContain("insecure-skip-tls-verify: true");
    expect(await checkClusterAccessible(client)).toEqual({ ok: true, server: ready.url });
  });

  it("seeds GPU quotas in ml-inference and ml-training", async () => {
    expect(await checkGpuQuota(client, [{ namespace: "ml-inference", gpus: 6 }, { namespace: "ml-training", gpus: 12 }])).toMatchObject({ ok: true });
    expect(await checkGpuQuota(client, [{ namespace: "ml-inference", gpus: 7 }])).toMatchObject({ ok: false, reason: "quota_exceeded", hard: 8, used: 2 });
  });

  it("seeds a completed Velero backup and a Deployment with two revisions", async () => {
    const backups = await client.objects.list("velero.io/v1", "Backup", "velero");
    expect(newestCompletedBackup(backups.items.map(readVeleroStatus))?.name).toBe("daily-ml-inference-latest");
    const sets = await client.apps.listNamespacedReplicaSet({ namespace: "ml-inference", labelSelector: "app=llm-server" });
    expect(sets.items.map((rs) => rs.metadata?.annotations?.["deployment.kubernetes.io/revision"]).sort()).toEqual(["1", "2"]);
  });
});
