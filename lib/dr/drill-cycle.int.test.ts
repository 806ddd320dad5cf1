// Whole recovery cycles against the API double: inject a failure, restore for real, prove the data by content,
// and report RTO/RPO a reviewer can recompute from the stored evidence.
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { startKubernetesApiDouble, type KubernetesApiDouble } from "@/test-support/k8s-api-double/kubernetes-api-double";
import { abortDrill } from "./abort-drill.server";
import { noEnqueue, setUpDrillFixture, sre, waitFor, type DrillFixture } from "./__fixtures__/drill-fixture";
import { drKubernetesFromKubeConfig } from "./dr-kubernetes.server";
import { renderDrillReportMarkdown } from "./drill-report";
import { loadReportInput } from "./drill-queries.server";
import type { DrStepInput } from "./schema";
import { startDrill } from "./start-drill.server";
import type { StepOutput } from "./step-record";

let fx: DrillFixture;
beforeAll(async () => {
  fx = await setUpDrillFixture();
});
afterAll(() => fx.close());

const stepsOf = (runId: string) => getPrisma().drillStepResult.findMany({ where: { drillRunId: runId }, orderBy: { index: "asc" } });
const runOf = (runId: string) => getPrisma().drillRun.findUniqueOrThrow({ where: { id: runId } });
const live = (planKey: string) => startDrill(sre, { planKey, mode: "live", confirmation: "sandbox" }, noEnqueue);
const deploymentOf = (double: KubernetesApiDouble, namespace = "ml-inference") => double.state.get(double.state.findByKind("apps/v1", "Deployment")!, namespace, "llm-server");
const imageOf = (double: KubernetesApiDouble) => (deploymentOf(double)?.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0].image;
const verify: DrStepInput = { name: "Identify the recovery point", type: "verify_backup", selector: "app.kubernetes.io/part-of=ml-platform", timeoutSeconds: 10 };
const health = (): DrStepInput => ({ name: "Verify serving", type: "http_health_check", url: fx.health.url, timeoutSeconds: 10 });

describe("data loss: destroy the namespace, restore it, prove the data", () => {
  it("passes with the canary restored by content, pods re-created after the failure, RTO/RPO from the failure instant", async () => {
    await fx.addPlan("data_loss_cycle", [
      verify,
      { name: "Write canary", type: "write_canary", namespace: "ml-inference", volumeClaim: "model-cache", timeoutSeconds: 10 },
      { name: "Back up with the canary", type: "create_backup", includedNamespaces: ["ml-inference"], timeoutSeconds: 10 },
      { name: "Delete the namespace", type: "inject_failure", failure: { kind: "delete_namespace", namespace: "ml-inference" }, timeoutSeconds: 10 },
      { name: "Restore", type: "create_restore", backupFrom: "created-in-run", includedNamespaces: ["ml-inference"], timeoutSeconds: 10 },
      { name: "Verify canary", type: "verify_canary", namespace: "ml-inference", volumeClaim: "model-cache", timeoutSeconds: 10 },
      { name: "Wait for pods", type: "wait_pods_ready", namespace: "ml-inference", selector: "app=llm-server", timeoutSeconds: 10 },
      health(),
    ]);
    const started = await live("data_loss_cycle");
    const result = await fx.run(started.runId);
    expect(result).toMatchObject({ outcome: "finished", status: "passed" });
    const run = await runOf(started.runId);
    const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);

    const failure = out[3].failure!;
    expect(failure).toMatchObject({ kind: "delete_namespace", namespace: "ml-inference", observed: "namespace ml-inference no longer exists" });
    expect(out[4].restore).toMatchObject({ phase: "Completed", existingResourcePolicy: "update", backupCreatedInRun: true });
    expect(out[4].restore!.itemsRestored).toBeGreaterThan(0);
    expect(out[5].canaryCheck).toMatchObject({ match: true, expectedChecksum: out[1].canary!.checksum, restoredBy: out[4].restore!.name });
    // The canary file came back in the re-created volume (file-system backup), checked by a Job reading it.
    expect(out[5].canaryCheck!.volume).toMatchObject({ claim: "model-cache", match: true, expectedSha256: out[1].canary!.volume!.sha256, foundSha256: out[1].canary!.volume!.sha256 });
    // Two replicas in the backed-up Deployment; only pods created after the namespace was deleted count.
    expect(out[6].pods).toMatchObject({ ready: 2, expected: 2, createdAfter: failure.injectedAt });

    // RPO: the newest backup made before the drill (by startTimestamp), aged at the failure instant.
    expect(run.measuredRpoSeconds).toBe(Math.round((Date.parse(failure.injectedAt) - Date.parse(out[0].backup!.recoveryPointAt!)) / 1000));
    expect(run.measuredRtoSeconds).toBe(Math.max(0, Math.round((Date.parse(out[7].health!.passedAt!) - Date.parse(failure.injectedAt)) / 1000)));
    const md = renderDrillReportMarkdown(await loadReportInput(started.runId, new Date()));
    expect(md).toContain(`failure injected at ${failure.injectedAt}`);
    expect(md).toContain("(status.startTimestamp)");
    expect(md).toContain("made inside the drill to carry the canary, which does not count");
  });
});

describe("volume data that the backup did not carry", () => {
  it("fails the canary check by content when the backup took no file-system backup or snapshot", async () => {
    await fx.addPlan("no_volume_data", [
      verify,
      { name: "Write canary", type: "write_canary", namespace: "ml-inference", volumeClaim: "model-cache", timeoutSeconds: 10 },
      { name: "Back up objects only", type: "create_backup", includedNamespaces: ["ml-inference"], defaultVolumesToFsBackup: false, snapshotVolumes: false, timeoutSeconds: 10 },
      { name: "Delete the namespace", type: "inject_failure", failure: { kind: "delete_namespace", namespace: "ml-inference" }, timeoutSeconds: 10 },
      { name: "Restore", type: "create_restore", backupFrom: "created-in-run", includedNamespaces: ["ml-inference"], timeoutSeconds: 10 },
      { name: "Verify canary", type: "verify_canary", namespace: "ml-inference", volumeClaim: "model-cache", timeoutSeconds: 10 },
    ]);
    const started = await live("no_volume_data");
    expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
    const steps = await stepsOf(started.runId);
    expect(steps[5].error).toMatch(/^canary file dr-canary.txt in volume model-cache of ml-inference has sha256 absent, not the [0-9a-f]{64} written: the volume data was not restored/);
    expect((steps[5].output as StepOutput).canaryCheck).toMatchObject({ match: false, volume: { match: false, foundSha256: null } });
  });
});

describe("model corruption: roll out a corrupt model, undo it, always roll forward", () => {
  it("recovers by rollout undo with the revision's age as RPO and leaves the original image running", async () => {
    const before = imageOf(fx.double);
    await fx.addPlan("model_cycle", [
      { name: "Corrupt the model", type: "inject_failure", failure: { kind: "corrupt_model", deployment: "llm-server", namespace: "ml-inference", image: "registry.invalid/corrupt-model:0" }, timeoutSeconds: 10 },
      { name: "Roll back", type: "rollout_undo", deployment: "llm-server", namespace: "ml-inference", timeoutSeconds: 10 },
      health(),
      { name: "Roll forward", type: "roll_forward", deployment: "llm-server", namespace: "ml-inference", always: true, timeoutSeconds: 10 },
    ]);
    const started = await live("model_cycle");
    expect(await fx.run(started.runId)).toMatchObject({ status: "passed" });
    const run = await runOf(started.runId);
    const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);
    expect(out[0].failure).toMatchObject({ previousImage: before });
    expect(out[1].rollout!.toRevision).toBe(out[0].failure!.previousRevision);
    // Back to the revision that served until the injected corruption: no data point was lost, no backup involved.
    expect(run.measuredRpoSeconds).toBeNull();
    expect(run.evidence).toMatchObject({ rpoBasis: expect.stringMatching(/^n\/a: the rollout undo went back to revision \d+, which served until the corrupt model was injected/) });
    expect(imageOf(fx.double)).toBe(before);
  });

  it("puts the original image back when the drill fails after the injection", async () => {
    const before = imageOf(fx.double);
    fx.health.setStatus(503);
    try {
      await fx.addPlan("model_cycle_fails", [
        { name: "Corrupt the model", type: "inject_failure", failure: { kind: "corrupt_model", deployment: "llm-server", namespace: "ml-inference", image: "registry.invalid/corrupt-model:1" }, timeoutSeconds: 10 },
        { ...health(), timeoutSeconds: 1 },
        { name: "Roll back", type: "rollout_undo", deployment: "llm-server", namespace: "ml-inference", timeoutSeconds: 10 },
        { name: "Roll forward", type: "roll_forward", deployment: "llm-server", namespace: "ml-inference", always: true, timeoutSeconds: 10 },
      ]);
      const started = await live("model_cycle_fails");
      expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
      expect((await stepsOf(started.runId)).map((s) => s.state)).toEqual(["succeeded", "failed", "skipped", "succeeded"]);
      expect(imageOf(fx.double)).toBe(before);
    } finally {
      fx.health.setStatus(200);
    }
  });
});

describe("a namespace stuck Terminating", () => {
  it("fails the injection step with what blocks it", async () => {
    await fx.addPlan("stuck_ns", [
      { name: "Delete scratch copy", type: "inject_failure", failure: { kind: "delete_namespace", namespace: "ml-training" }, timeoutSeconds: 1 },
      health(),
    ], { scope: { clusterTargetId: fx.clusterId, namespaces: ["ml-inference", "ml-training"] } });
    fx.double.controls.setNamespaceStuckTerminating("ml-training", true);
    const started = await live("stuck_ns");
    expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
    const [inject] = await stepsOf(started.runId);
    expect(inject.error).toMatch(/^deletion of namespace ml-training timed out: namespace ml-training is Terminating/);
  });
});

describe("a Deployment an autoscaler manages", () => {
  it("is not scaled to zero against its HorizontalPodAutoscaler: the step names the autoscaler", async () => {
    const hpaDef = fx.double.state.findByKind("autoscaling/v2", "HorizontalPodAutoscaler")!;
    fx.double.state.putSystemObject({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "llm-server", namespace: "ml-inference" }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "llm-server" }, minReplicas: 2, maxReplicas: 4 } });
    try {
      await fx.addPlan("hpa_fight", [{ name: "Stop serving", type: "inject_failure", failure: { kind: "scale_to_zero", deployment: "llm-server", namespace: "ml-inference" }, timeoutSeconds: 5 }]);
      const started = await live("hpa_fight");
      expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
      const [inject] = await stepsOf(started.runId);
      expect(inject.error).toBe("HorizontalPodAutoscaler ml-inference/llm-server keeps llm-server at 2 or more replicas and would undo scaling it to 0: drill with a plan that pauses or removes the autoscaler first");
      expect((deploymentOf(fx.double)!.spec as { replicas: number }).replicas).toBe(2);
    } finally {
      fx.double.state.delete(hpaDef, "ml-inference", "llm-server");
    }
  });
});

describe("abort while Velero restores", () => {
  it("waits for the Restore to end, keeping the live lock, and says Velero cannot cancel it", async () => {
    fx.double.controls.setVeleroOutcome("Restore", "StuckInProgress");
    await fx.addPlan("abort_restore", [verify, { name: "Restore", type: "create_restore", backupFrom: "latest-verified", namespaceMapping: { "ml-inference": "ml-inference-abort" }, timeoutSeconds: 30 }, health()]);
    const started = await live("abort_restore");
    const running = fx.run(started.runId);
    try {
      await waitFor(async () => (await stepsOf(started.runId))[1].output && ((await stepsOf(started.runId))[1].output as StepOutput).restore?.phase === "InProgress", "the restore to run");
      await abortDrill(sre, started.runId, "stop");
      await waitFor(async () => ((await stepsOf(started.runId))[1].output as StepOutput).progress?.startsWith("abort requested: waiting for restore"), "the runner to wait for the restore");
      const meanwhile = await runOf(started.runId);
      expect(meanwhile).toMatchObject({ status: "running" });
      expect(meanwhile.liveLockKey).not.toBeNull();
    } finally {
      fx.double.controls.setVeleroOutcome("Restore", "Completed");
    }
    expect(await running).toMatchObject({ status: "aborted" });
    const restoreStep = (await stepsOf(started.runId))[1];
    expect(restoreStep.error).toMatch(/^aborted by operator; waited for restore .* to end \(Completed\) before stopping: Velero cannot cancel a restore$/);
    expect((await runOf(started.runId)).liveLockKey).toBeNull();
  });
});

describe("cluster failure: restore on a second cluster", () => {
  it("binds the restore to the recovery cluster, waits for backup sync there, and restores", async () => {
    const recovery = await startKubernetesApiDouble({ veleroStorage: fx.double.veleroStorage, contextName: "recovery", timing: { workloadReadyAfterMs: 150, veleroPhaseStepMs: 150 }, reconcileIntervalMs: 20 });
    try {
      const apply = (obj: Record<string, unknown>) => recovery.state.putSystemObject(obj as never);
      apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: "velero" }, status: { phase: "Active" } });
      apply({ apiVersion: "velero.io/v1", kind: "BackupStorageLocation", metadata: { name: "default", namespace: "velero" }, spec: { provider: "aws", default: true, objectStorage: { bucket: "sandbox-velero-backups" } } });
      const target = await getPrisma().clusterTarget.create({ data: { name: "recovery", apiServer: recovery.url, credentialRef: "kubeconfig-context:recovery" } });
      await fx.addPlan("cluster_cycle", [
        { ...verify, selector: "velero.io/schedule-name=daily-ml-inference" },
        { name: "Restore on the recovery cluster", type: "create_restore", backupFrom: "latest-verified", includedNamespaces: ["ml-inference"], clusterTargetId: target.id, timeoutSeconds: 10 },
        { name: "Pods on the recovery cluster", type: "wait_pods_ready", namespace: "ml-inference", selector: "app=llm-server", clusterTargetId: target.id, timeoutSeconds: 10 },
        health(),
      ], { rpoMinutes: 120 });
      const kc = new KubeConfig();
      kc.loadFromString(recovery.kubeconfigYaml);
      const started = await live("cluster_cycle");
      const result = await fx.run(started.runId, { connect: async (t) => (t.name === "recovery" ? drKubernetesFromKubeConfig(kc) : (await import("./dr-kubernetes.server")).connectDrKubernetes(t)) });
      expect(result).toMatchObject({ status: "passed" });
      const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);
      expect(out[1].restore).toMatchObject({ cluster: "recovery", backupName: "daily-ml-inference-latest", backupRecoveryPointSource: "status.startTimestamp" });
      // The synced copy is newer (sync time) than its data; RPO is from the data.
      const synced = recovery.state.get(recovery.state.findByKind("velero.io/v1", "Backup")!, "velero", "daily-ml-inference-latest")!;
      expect(Date.parse(String(synced.metadata.creationTimestamp))).toBeGreaterThan(Date.parse(out[1].restore!.backupRecoveryPointAt!));
      expect(deploymentOf(recovery)).toBeDefined();
      expect(out[2].pods).toMatchObject({ ready: 2, expected: 2 });
      const run = await runOf(started.runId);
      expect(run.measuredRpoSeconds).toBe(Math.round((run.startedAt!.getTime() - Date.parse(out[1].restore!.backupRecoveryPointAt!)) / 1000));
    } finally {
      await recovery.close();
    }
  });
});
