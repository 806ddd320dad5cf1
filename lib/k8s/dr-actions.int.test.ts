// The Kubernetes actions DR drills run: rollback, rollout wait, scale, pods Ready, Velero backup and restore.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { KubernetesApiDouble, ManualClock } from "@/test-support/k8s-api-double/kubernetes-api-double";
import { seedDemoState } from "@/test-support/k8s-api-double/seed-demo-state";
import { startDoubleWithClient } from "@/test-support/k8s-api-double/start-double-with-client";
import type { KubernetesClient } from "./create-client.server";
import { rollbackDeployment, scaleDeployment, waitForPodsReady, waitForRollout } from "./rollback-deployment.server";
import { newestCompletedBackup } from "./velero-backups";
import { createVeleroBackup, createVeleroRestore, getVeleroPhase, listVeleroBackups, waitForVeleroPhase } from "./velero.server";

let double: KubernetesApiDouble;
let client: KubernetesClient;
let clock: ManualClock;
// Polling sleeps advance the double's clock, so "wait" helpers run in simulated time.
const simulated = () => ({ sleep: async (ms: number) => clock.advance(ms), now: () => clock.now() });

beforeEach(async () => {
  ({ double, client, clock } = await startDoubleWithClient({ timing: { workloadReadyAfterMs: 3000, veleroPhaseStepMs: 2000 } }));
  seedDemoState(double, clock.now());
  clock.advance(3000);
});
afterEach(() => double.close());

const images = async () => (await client.apps.readNamespacedDeployment({ name: "llm-server", namespace: "ml-inference" })).spec?.template.spec?.containers.map((c) => c.image);

describe("rollbackDeployment", () => {
  it("goes back to the previous revision's template, like kubectl rollout undo, and the rollout completes", async () => {
    expect(await images()).toEqual(["vllm/vllm-openai:v0.6.3"]);
    const result = await rollbackDeployment(client, "ml-inference", "llm-server");
    expect(result).toMatchObject({ ok: true, changed: true, fromRevision: 2, toRevision: 1, images: ["vllm/vllm-openai:v0.6.2"] });
    expect(await images()).toEqual(["vllm/vllm-openai:v0.6.2"]);
    const patch = double.controls.requests().find((r) => r.method === "PATCH" && r.path.endsWith("/deployments/llm-server"));
    expect(patch?.contentType).toBe("application/json-patch+json");

    const rollout = await waitForRollout(client, "ml-inference", "llm-server", { timeoutMs: 60_000, pollMs: 1000, ...simulated() });
    // The rolled-back ReplicaSet becomes the newest revision, as the deployment controller does it.
    expect(rollout).toMatchObject({ ok: true, revision: "3", detail: "2/2 replicas available" });
    const pods = await waitForPodsReady(client, "ml-inference", "app=llm-server", { timeoutMs: 10_000, minReady: 2, ...simulated() });
    expect(pods).toMatchObject({ ok: true, ready: 2, total: 2 });
  });

  it("refuses when there is no previous revision, or no deployment", async () => {
    await client.apps.createNamespacedDeployment({
      namespace: "ml-inference",
      body: { metadata: { name: "fresh" }, spec: { selector: { matchLabels: { app: "fresh" } }, template: { metadata: { labels: { app: "fresh" } }, spec: { containers: [{ name: "c", image: "x:1" }] } } } },
    });
    expect(await rollbackDeployment(client, "ml-inference", "fresh")).toMatchObject({ ok: false, reason: "no_previous_revision" });
    expect(await rollbackDeployment(client, "ml-inference", "nothing-here")).toMatchObject({ ok: false, reason: "not_found" });
  });

  it("times out a rollout that never becomes ready", async () => {
    double.controls.setDeploymentStuck("ml-inference", "llm-server", true);
    await rollbackDeployment(client, "ml-inference", "llm-server");
    const rollout = await waitForRollout(client, "ml-inference", "llm-server", { timeoutMs: 10_000, pollMs: 1000, ...simulated() });
    expect(rollout).toMatchObject({ ok: false, reason: "timeout" });
    expect(!rollout.ok && rollout.message).toContain("did not finish rolling out within 10 s");
  });
});

describe("scaleDeployment", () => {
  it("scales through the scale subresource and reports the previous count", async () => {
    expect(await scaleDeployment(client, "ml-inference", "llm-server", 0)).toEqual({ ok: true, previousReplicas: 2, replicas: 0 });
    expect(await scaleDeployment(client, "ml-inference", "llm-server", -1)).toMatchObject({ ok: false, reason: "invalid" });
  });
});

describe("Velero", () => {
  it("lists the seeded backups and picks the newest completed one", async () => {
    const list = await listVeleroBackups(client, { labelSelector: "velero.io/schedule-name=daily-ml-inference" });
    if (!list.ok) throw new Error(list.message);
    expect(list.backups.map((b) => b.name).sort()).toEqual(["daily-ml-inference-latest", "daily-ml-inference-seed"]);
    const newest = newestCompletedBackup(list.backups);
    expect(newest).toMatchObject({ name: "daily-ml-inference-latest", phase: "Completed" });
    // Created 25 minutes before the seed (the clock has moved a little since).
    expect(clock.now() - Date.parse(newest!.createdAt!)).toBeGreaterThanOrEqual(25 * 60_000);
    expect(clock.now() - Date.parse(newest!.createdAt!)).toBeLessThan(3 * 3600_000);
  });

  it("creates a backup that goes New → InProgress → Completed", async () => {
    const created = await createVeleroBackup(client, { name: "drill-1", includedNamespaces: ["ml-inference"] });
    expect(created).toMatchObject({ ok: true, backup: { name: "drill-1" } });
    expect(await getVeleroPhase(client, "Backup", "drill-1")).toMatchObject({ ok: true, final: false, summary: { phase: "New" } });
    clock.advance(2000);
    expect(await getVeleroPhase(client, "Backup", "drill-1")).toMatchObject({ ok: true, final: false, summary: { phase: "InProgress" } });
    const done = await waitForVeleroPhase(client, "Backup", "drill-1", { timeoutMs: 60_000, pollMs: 1000, ...simulated() });
    expect(done).toMatchObject({ ok: true, summary: { phase: "Completed", errors: 0 } });
  });

  it("restores into a scratch namespace through namespaceMapping", async () => {
    const restore = await createVeleroRestore(client, { name: "drill-restore", backupName: "daily-ml-inference-seed", namespaceMapping: { "ml-inference": "ml-inference-drill" } });
    expect(restore.ok).toBe(true);
    const done = await waitForVeleroPhase(client, "Restore", "drill-restore", { timeoutMs: 60_000, pollMs: 1000, ...simulated() });
    expect(done).toMatchObject({ ok: true, summary: { phase: "Completed" } });
    const restored = await client.apps.readNamespacedDeployment({ name: "llm-server", namespace: "ml-inference-drill" });
    expect(restored.spec?.template.spec?.containers[0].image).toBe("vllm/vllm-openai:v0.6.3");
  });

  it("keeps warning and error counts of a PartiallyFailed restore", async () => {
    double.controls.setVeleroOutcome("Restore", "PartiallyFailed");
    await createVeleroRestore(client, { name: "partial", backupName: "daily-ml-inference-seed" });
    const done = await waitForVeleroPhase(client, "Restore", "partial", { timeoutMs: 60_000, pollMs: 1000, ...simulated() });
    expect(done).toMatchObject({ ok: true, summary: { phase: "PartiallyFailed", warnings: 2, errors: 1 } });
  });

  it("times out a restore stuck InProgress", async () => {
    double.controls.setVeleroOutcome("Restore", "StuckInProgress", "stuck");
    await createVeleroRestore(client, { name: "stuck", backupName: "daily-ml-inference-seed" });
    const done = await waitForVeleroPhase(client, "Restore", "stuck", { timeoutMs: 30_000, pollMs: 1000, ...simulated() });
    expect(done).toMatchObject({ ok: false, reason: "timeout", lastPhase: "InProgress" });
  });

  it("ends a restore of an unknown backup in FailedValidation with the reason", async () => {
    await createVeleroRestore(client, { name: "typo", backupName: "no-such-backup" });
    const done = await waitForVeleroPhase(client, "Restore", "typo", { timeoutMs: 60_000, pollMs: 1000, ...simulated() });
    expect(done).toMatchObject({ ok: true, summary: { phase: "FailedValidation", validationErrors: ["backup no-such-backup not found"] } });
  });

  it("says Velero is not installed when its kinds are not served", async () => {
    double.state.setKindInstalled("velero.io/v1", "Backup", false);
    expect(await listVeleroBackups(client)).toMatchObject({ ok: false, reason: "velero_not_installed" });
  });

  it("treats a retried create whose first reply was lost as success", async () => {
    double.faults.inject({ method: "POST", path: "/backups", action: { type: "dropAfterHandling" } });
    const created = await createVeleroBackup(client, { name: "twice", includedNamespaces: ["ml-inference"] }, { retry: { sleep: async () => undefined } });
    expect(created).toMatchObject({ ok: true, backup: { name: "twice" } });
    expect(double.controls.requests().filter((r) => r.method === "POST").map((r) => r.status)).toEqual(["dropped", 409]);
  });
});
