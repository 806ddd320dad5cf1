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
let ready: { url: string; standbyUrl: string; kubeconfig: string; credentialRef: string };
let client: KubernetesClient;

beforeAll(async () => {
  const kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), "sandbox-")), "kubeconfig.yaml");
  child = spawn(
    process.execPath,
    [
      path.join(repoRoot, "node_modules/tsx/dist/cli.mjs"),
      "test-support/k8s-api-double/serve.ts",
      "--port",
      "0",
      "--kubeconfig",
      kubeconfig,
    ],
    { cwd: repoRoot },
  );
  ready = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line));
    });
    child.once("exit", (code) => reject(new Error(`serve.ts exited with ${code}`)));
  });
  const created = createKubernetesClient(
    { apiServer: ready.url, credentialRef: ready.credentialRef },
    { kubeconfigPath: ready.kubeconfig },
  );
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
    expect(
      await checkGpuQuota(client, [
        { namespace: "ml-inference", gpus: 6 },
        { namespace: "ml-training", gpus: 12 },
      ]),
    ).toMatchObject({ ok: true });
    expect(await checkGpuQuota(client, [{ namespace: "ml-inference", gpus: 7 }])).toMatchObject({
      ok: false,
      reason: "quota_exceeded",
      hard: 8,
      used: 2,
    });
  });

  it("seeds a completed Velero backup and a Deployment with two revisions", async () => {
    const backups = await client.objects.list("velero.io/v1", "Backup", "velero");
    // The frequent schedule may have made a newer one meanwhile: the daily schedule's newest is the seeded one.
    const daily = backups.items
      .map(readVeleroStatus)
      .filter((b) => b.labels["velero.io/schedule-name"] === "daily-ml-inference");
    expect(newestCompletedBackup(daily)?.name).toBe("daily-ml-inference-latest");
    const sets = await client.apps.listNamespacedReplicaSet({
      namespace: "ml-inference",
      labelSelector: "app=llm-server",
    });
    expect(sets.items.map((rs) => rs.metadata?.annotations?.["deployment.kubernetes.io/revision"]).sort()).toEqual([
      "1",
      "2",
    ]);
  });

  it("seeds the Velero schedules the drills wait on, and a standby cluster on the same bucket in the same kubeconfig", async () => {
    const schedules = (await client.objects.list("velero.io/v1", "Schedule", "velero")).items as Array<{
      metadata?: { name?: string };
      spec?: { schedule?: string };
    }>;
    expect(schedules.map((s) => [s.metadata?.name, s.spec?.schedule]).sort()).toEqual([
      ["daily-ml-inference", "0 3 * * *"],
      ["ml-inference-frequent", "*/2 * * * *"],
    ]);
    const standby = createKubernetesClient(
      { apiServer: ready.standbyUrl, credentialRef: "kubeconfig-context:sandbox-standby" },
      { kubeconfigPath: ready.kubeconfig },
    );
    if (!standby.ok) throw new Error(standby.message);
    expect(await checkClusterAccessible(standby.client)).toEqual({ ok: true, server: ready.standbyUrl });
    // Backup sync: the standby lists the sandbox's backups from the shared bucket once its location is Available.
    for (let i = 0; i < 40; i++) {
      const listed = await standby.client.objects.list("velero.io/v1", "Backup", "velero");
      if (listed.items.map(readVeleroStatus).some((b) => b.name === "daily-ml-inference-latest")) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error("the standby never synced the sandbox's backups");
  });
});
