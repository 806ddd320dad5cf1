// The sandbox cluster (serve.ts, as `npm start` runs it) keeps its objects in the data folder across restarts.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createKubernetesClient, type KubernetesClient } from "@/lib/k8s/create-client.server";
import { applyObjects } from "@/lib/k8s/apply-objects.server";

const repoRoot = path.resolve(__dirname, "../..");
const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill("SIGKILL");
});

async function startSandbox(
  dataDir: string,
  persist: boolean,
): Promise<{ child: ChildProcess; client: KubernetesClient }> {
  const kubeconfig = path.join(dataDir, "sandbox-kubeconfig.yaml");
  const args = [
    "test-support/k8s-api-double/serve.ts",
    "--port",
    "0",
    "--kubeconfig",
    kubeconfig,
    ...(persist ? ["--state", path.join(dataDir, "sandbox-state.json")] : []),
  ];
  const child = spawn(process.execPath, [path.join(repoRoot, "node_modules/tsx/dist/cli.mjs"), ...args], {
    cwd: repoRoot,
  });
  running.push(child);
  const ready = await new Promise<{ url: string; kubeconfig: string; credentialRef: string }>((resolve, reject) => {
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
  return { child, client: created.client };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

const configMap = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "kept-across-restarts", namespace: "ml-inference" },
  data: { replicas: "3" },
};

describe("sandbox state across restarts", () => {
  it("with --state, an applied object is still there after a restart, and the demo seed is not applied over it", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "sandbox-state-"));
    const first = await startSandbox(dataDir, true);
    expect((await applyObjects(first.client, [configMap], { fieldManager: "portal" })).ok).toBe(true);
    await first.client.core.deleteNamespacedResourceQuota({ name: "gpu-quota", namespace: "ml-training" });
    await stop(first.child); // SIGTERM saves a pending change at once
    expect(existsSync(path.join(dataDir, "sandbox-state.json"))).toBe(true);

    const second = await startSandbox(dataDir, true);
    const kept = await second.client.core.readNamespacedConfigMap({
      name: "kept-across-restarts",
      namespace: "ml-inference",
    });
    expect(kept.data).toEqual({ replicas: "3" });
    expect(kept.metadata?.managedFields?.map((f) => f.manager)).toContain("portal");
    const quotas = await second.client.core.listNamespacedResourceQuota({ namespace: "ml-training" });
    expect(quotas.items).toEqual([]); // deleted before the restart: the seed did not bring it back
  }, 60_000);

  it("without --state, every start is fresh", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "sandbox-fresh-"));
    const first = await startSandbox(dataDir, false);
    await applyObjects(first.client, [configMap], { fieldManager: "portal" });
    await stop(first.child);
    const second = await startSandbox(dataDir, false);
    await expect(
      second.client.core.readNamespacedConfigMap({ name: "kept-across-restarts", namespace: "ml-inference" }),
    ).rejects.toMatchObject({ code: 404 });
    expect(existsSync(path.join(dataDir, "sandbox-state.json"))).toBe(false);
  }, 60_000);
});
