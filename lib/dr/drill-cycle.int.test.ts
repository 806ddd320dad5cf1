// Whole recovery cycles against the API double: inject a failure, restore for real, prove the data by content,
// and report RTO/RPO a reviewer can recompute from the stored evidence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import {
  buildKubeconfig,
  startKubernetesApiDouble,
  type KubernetesApiDouble,
} from "@/test-support/k8s-api-double/kubernetes-api-double";
import { seedStandbyState, standbyContextName } from "@/test-support/k8s-api-double/seed-demo-state";
import { abortDrill } from "./abort-drill.server";
import { noEnqueue, setUpDrillFixture, sre, waitFor, type DrillFixture } from "./__fixtures__/drill-fixture";
import { renderDrillReportMarkdown } from "./drill-report";
import { loadDrillReport } from "./load-drill-report.server";
import type { DrStepInput } from "./schema";
import { startDrill } from "./start-drill.server";
import { addToUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import type { StepOutput } from "./step-record";

let fx: DrillFixture;
beforeAll(async () => {
  fx = await setUpDrillFixture();
});
afterAll(() => fx.close());

const stepsOf = (runId: string) =>
  getPrisma().drillStepResult.findMany({ where: { drillRunId: runId }, orderBy: { index: "asc" } });
const runOf = (runId: string) => getPrisma().drillRun.findUniqueOrThrow({ where: { id: runId } });
const live = (planKey: string) =>
  startDrill({ actor: sre, input: { planKey, mode: "live", confirmation: "sandbox" }, ...noEnqueue });
const deploymentOf = (double: KubernetesApiDouble, namespace = "ml-inference") =>
  double.state.get(double.state.findByKind("apps/v1", "Deployment")!, namespace, "llm-server");
const imageOf = (double: KubernetesApiDouble) =>
  (deploymentOf(double)?.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec
    .containers[0]!.image;
const verify: DrStepInput = {
  name: "Identify the recovery point",
  type: "verify_backup",
  selector: "app.kubernetes.io/part-of=ml-platform",
  timeoutSeconds: 10,
};
const health = (): DrStepInput => ({
  name: "Verify serving",
  type: "http_health_check",
  url: fx.health.url,
  timeoutSeconds: 10,
});

const schedule = "ml-inference-frequent";
/** Fires the sandbox's frequent Velero Schedule once the drill waits for its next backup (tests do not wait 2 min). */
async function fireScheduleWhenWaited(runId: string, index: number, double = fx.double) {
  await waitFor(
    async () => (await stepsOf(runId))[index]?.state === "running",
    `step ${index + 1} to wait for the schedule`,
  );
  // Velero's startTimestamp has one-second resolution: a backup starting in the canary's second does not count.
  const canary = (await stepsOf(runId)).map((s) => (s.output as StepOutput).canary).find((c) => c !== undefined);
  if (canary) await sleep(Math.max(0, Math.ceil((Date.parse(canary.writtenAt) + 1) / 1000) * 1000 - Date.now()));
  double.controls.runVeleroSchedule("velero", schedule);
}
const labelled = (double: KubernetesApiDouble, apiVersion: string, kind: string, runId: string, namespace?: string) =>
  double.state
    .list(double.state.findByKind(apiVersion, kind)!, namespace)
    .filter((o) => (o.metadata.labels as Record<string, string> | undefined)?.["portal.dr/drill-run"] === runId)
    .map((o) => String(o.metadata.name));

describe("data loss: destroy the namespace, restore the schedule's backup, prove the data", () => {
  it("refuses a canary this run neither destroyed nor restored: reading it back proves nothing", async () => {
    await fx.addPlan("canary_untouched", [
      { name: "Write canary", type: "write_canary", namespace: "ml-inference", timeoutSeconds: 10 },
      { name: "Verify canary", type: "verify_canary", namespace: "ml-inference", timeoutSeconds: 10 },
      { name: "Clean up", type: "cleanup", always: true, timeoutSeconds: 10 },
    ]);
    const started = await live("canary_untouched");
    expect(await fx.run(started.runId)).toMatchObject({ outcome: "finished", status: "failed" });
    const steps = await stepsOf(started.runId);
    expect(steps.map((s) => s.state)).toEqual(["succeeded", "failed", "succeeded"]);
    expect(steps[1]!.error).toBe(
      "canary ml-inference/dr-canary can prove nothing without an inject_failure step before this step: add one between write_canary and verify_canary",
    );
  });

  it("restores the schedule's next backup after the canary, proves it by content, ages it as RPO and cleans up", async () => {
    await fx.addPlan(
      "data_loss_cycle",
      [
        {
          name: "Write canary",
          type: "write_canary",
          namespace: "ml-inference",
          volumeClaim: "model-cache",
          timeoutSeconds: 10,
        },
        {
          name: "Wait for the schedule's next backup",
          type: "verify_backup",
          selector: `velero.io/schedule-name=${schedule}`,
          recoveryPoint: "after_canary",
          timeoutSeconds: 20,
        },
        {
          name: "Delete the namespace",
          type: "inject_failure",
          failure: { kind: "delete_namespace", namespace: "ml-inference" },
          timeoutSeconds: 10,
        },
        {
          name: "Restore",
          type: "create_restore",
          backupFrom: "latest-verified",
          includedNamespaces: ["ml-inference"],
          timeoutSeconds: 10,
        },
        {
          name: "Verify canary",
          type: "verify_canary",
          namespace: "ml-inference",
          volumeClaim: "model-cache",
          timeoutSeconds: 10,
        },
        {
          name: "Wait for pods",
          type: "wait_pods_ready",
          namespace: "ml-inference",
          selector: "app=llm-server",
          timeoutSeconds: 10,
        },
        health(),
        { name: "Clean up", type: "cleanup", always: true, timeoutSeconds: 10 },
      ],
      { rpoMinutes: 1440 },
    );
    const started = await live("data_loss_cycle");
    const running = fx.run(started.runId);
    await fireScheduleWhenWaited(started.runId, 1);
    expect(await running).toMatchObject({ outcome: "finished", status: "passed" });
    const run = await runOf(started.runId);
    const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);

    // The recovery point is the schedule's backup (never one the drill made), started after the canary was written.
    const backup = out[1]!.backup!;
    expect(backup.name).toMatch(new RegExp(`^${schedule}-\\d{14}$`));
    expect(backup.createdInRun).toBeUndefined();
    expect(Date.parse(backup.recoveryPointAt!)).toBeGreaterThanOrEqual(Date.parse(out[0]!.canary!.writtenAt));
    const failure = out[2]!.failure!;
    expect(failure).toMatchObject({
      kind: "delete_namespace",
      namespace: "ml-inference",
      observed: "namespace ml-inference no longer exists",
    });
    expect(out[3]!.restore).toMatchObject({
      phase: "Completed",
      existingResourcePolicy: "update",
      backupName: backup.name,
      backupRecoveryPointAt: backup.recoveryPointAt,
      backupRecoveryPointSource: "status.startTimestamp",
    });
    expect(out[3]!.restore!.backupCreatedInRun).toBeUndefined();
    expect(out[3]!.restore!.itemsRestored).toBeGreaterThan(0);
    // That backup carried the canary: the ConfigMap and the volume file come back with the checksums written.
    expect(out[4]!.canaryCheck).toMatchObject({
      match: true,
      expectedChecksum: out[0]!.canary!.checksum,
      restoredBy: out[3]!.restore!.name,
    });
    expect(out[4]!.canaryCheck!.volume).toMatchObject({
      claim: "model-cache",
      match: true,
      foundSha256: out[0]!.canary!.volume!.sha256,
    });
    expect(out[5]!.pods).toMatchObject({ ready: 2, expected: 2, createdAfter: failure.injectedAt });

    // RPO: the restored backup's age at the failure instant, by status.startTimestamp; recomputable from the report.
    const rpo = Math.round((Date.parse(failure.injectedAt) - Date.parse(backup.recoveryPointAt!)) / 1000);
    expect(run.measuredRpoSeconds).toBe(rpo);
    expect(run.measuredRtoSeconds).toBe(
      Math.max(0, Math.round((Date.parse(out[6]!.health!.passedAt!) - Date.parse(failure.injectedAt)) / 1000)),
    );
    const md = renderDrillReportMarkdown(await loadDrillReport({ actor: sre, runId: started.runId, now: new Date() }));
    expect(md).toContain(`failure injected at ${failure.injectedAt}`);
    expect(md).toContain(
      `start of backup ${backup.name} at ${backup.recoveryPointAt} (status.startTimestamp), used by restore ${out[3]!.restore!.name} on sandbox = ${rpo} s`,
    );
    expect(md).toContain(
      `- Restore \`${out[3]!.restore!.name}\` from \`${backup.name}\` (backup started ${backup.recoveryPointAt}, status.startTimestamp)`,
    );

    // Cleanup: the canary (restored copy) and the drill's Jobs and pods are gone, and the step says what it removed.
    expect(labelled(fx.double, "v1", "ConfigMap", started.runId, "ml-inference")).toEqual([]);
    expect(labelled(fx.double, "batch/v1", "Job", started.runId, "ml-inference")).toEqual([]);
    expect(labelled(fx.double, "v1", "Pod", started.runId, "ml-inference")).toEqual([]);
    expect(out[7]!.cleanup!.removed).toContain("ConfigMap ml-inference/dr-canary");
    expect(md).toContain("- Cleanup on sandbox: removed ConfigMap ml-inference/dr-canary");
  });

  it("removes the backup, canary and Jobs it made also when it fails, and lists them", async () => {
    await fx.addPlan("data_loss_fails", [
      {
        name: "Write canary",
        type: "write_canary",
        namespace: "ml-inference",
        volumeClaim: "model-cache",
        timeoutSeconds: 10,
      },
      {
        name: "Back up with the canary",
        type: "create_backup",
        includedNamespaces: ["ml-inference"],
        timeoutSeconds: 10,
      },
      { name: "Verify serving", type: "http_health_check", url: "http://127.0.0.1:1/unreachable", timeoutSeconds: 1 },
      { name: "Clean up", type: "cleanup", always: true, timeoutSeconds: 10 },
    ]);
    await addToUrlAllowList(getPrisma(), ["127.0.0.1:1"]);
    const started = await live("data_loss_fails");
    expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
    const steps = await stepsOf(started.runId);
    expect(steps.map((s) => s.state)).toEqual(["succeeded", "succeeded", "failed", "succeeded"]);
    const backupName = (steps[1]!.output as StepOutput).backup!.name;
    const removed = (steps[3]!.output as StepOutput).cleanup!.removed;
    expect(removed).toEqual(
      expect.arrayContaining(["ConfigMap ml-inference/dr-canary", `Backup velero/${backupName}`]),
    );
    expect(removed.some((r) => r.startsWith("Job ml-inference/"))).toBe(true);
    expect(labelled(fx.double, "velero.io/v1", "Backup", started.runId, "velero")).toEqual([]);
    // Deleted through a DeleteBackupRequest: its data left object storage too, so backup sync cannot bring it back.
    expect(fx.double.veleroStorage.bucket("sandbox-velero-backups").has(backupName)).toBe(false);
    expect(labelled(fx.double, "v1", "ConfigMap", started.runId, "ml-inference")).toEqual([]);
  });
});

describe("abort after the failure was injected", () => {
  it("still restores what the injection destroyed (an always restore), and skips it when nothing was destroyed", async () => {
    const steps: DrStepInput[] = [
      { name: "Write canary", type: "write_canary", namespace: "ml-inference", timeoutSeconds: 10 },
      {
        name: "Wait for the schedule's next backup",
        type: "verify_backup",
        selector: `velero.io/schedule-name=${schedule}`,
        recoveryPoint: "after_canary",
        timeoutSeconds: 20,
      },
      {
        name: "Delete the namespace",
        type: "inject_failure",
        failure: { kind: "delete_namespace", namespace: "ml-inference" },
        timeoutSeconds: 10,
      },
      { name: "Look at the outage", type: "manual", instruction: "Check the alerts fired", timeoutSeconds: 30 },
      {
        name: "Restore",
        type: "create_restore",
        backupFrom: "latest-verified",
        includedNamespaces: ["ml-inference"],
        always: true,
        timeoutSeconds: 10,
      },
      { name: "Clean up", type: "cleanup", always: true, timeoutSeconds: 10 },
    ];
    await fx.addPlan("abort_after_delete", steps);
    const started = await live("abort_after_delete");
    const running = fx.run(started.runId);
    await fireScheduleWhenWaited(started.runId, 1);
    await waitFor(
      async () => (await stepsOf(started.runId))[3]!.state === "waiting_for_operator",
      "the manual step to wait",
      15_000,
    );
    expect(
      fx.double.state.get(fx.double.state.findByKind("v1", "Namespace")!, undefined, "ml-inference"),
    ).toBeUndefined();
    await abortDrill({ actor: sre, runId: started.runId, reason: "stop the game day" });
    expect(await running).toMatchObject({ status: "aborted" });
    const after = await stepsOf(started.runId);
    expect(after.map((s) => s.state)).toEqual([
      "succeeded",
      "succeeded",
      "succeeded",
      "failed",
      "succeeded",
      "succeeded",
    ]);
    expect((after[4]!.output as StepOutput).restore!.itemsRestored).toBeGreaterThan(0);
    expect(deploymentOf(fx.double)).toBeDefined();
    expect((await runOf(started.runId)).measuredRpoSeconds).toBeNull();

    // Aborted before anything was destroyed: the always restore does not roll live data back to the backup.
    await fx.addPlan("abort_before_delete", [
      steps[0]!,
      { name: "Before the outage", type: "manual", instruction: "Ready?", timeoutSeconds: 30 },
      verify,
      steps[4]!,
      steps[5]!,
    ]);
    const second = await live("abort_before_delete");
    const secondRun = fx.run(second.runId);
    await waitFor(
      async () => (await stepsOf(second.runId))[1]!.state === "waiting_for_operator",
      "the manual step to wait",
      15_000,
    );
    fx.double.controls.clearRequests();
    await abortDrill({ actor: sre, runId: second.runId, reason: "not today" });
    expect(await secondRun).toMatchObject({ status: "aborted" });
    expect((await stepsOf(second.runId)).map((s) => s.state)).toEqual([
      "succeeded",
      "failed",
      "skipped",
      "skipped",
      "succeeded",
    ]);
    expect(fx.double.controls.requests().filter((r) => r.method === "POST" && r.path.includes("/restores"))).toEqual(
      [],
    );
  });
});

describe("volume data that the backup did not carry", () => {
  it("fails the canary check by content when the backup took no file-system backup or snapshot", async () => {
    await fx.addPlan("no_volume_data", [
      verify,
      {
        name: "Write canary",
        type: "write_canary",
        namespace: "ml-inference",
        volumeClaim: "model-cache",
        timeoutSeconds: 10,
      },
      {
        name: "Back up objects only",
        type: "create_backup",
        includedNamespaces: ["ml-inference"],
        defaultVolumesToFsBackup: false,
        snapshotVolumes: false,
        timeoutSeconds: 10,
      },
      {
        name: "Delete the namespace",
        type: "inject_failure",
        failure: { kind: "delete_namespace", namespace: "ml-inference" },
        timeoutSeconds: 10,
      },
      {
        name: "Restore",
        type: "create_restore",
        backupFrom: "created-in-run",
        includedNamespaces: ["ml-inference"],
        timeoutSeconds: 10,
      },
      {
        name: "Verify canary",
        type: "verify_canary",
        namespace: "ml-inference",
        volumeClaim: "model-cache",
        timeoutSeconds: 10,
      },
    ]);
    const started = await live("no_volume_data");
    expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
    const steps = await stepsOf(started.runId);
    expect(steps[5]!.error).toMatch(
      /^canary file dr-canary.txt in volume model-cache of ml-inference has sha256 absent, not the [0-9a-f]{64} written: the volume data was not restored/,
    );
    expect((steps[5]!.output as StepOutput).canaryCheck).toMatchObject({
      match: false,
      volume: { match: false, foundSha256: null },
    });
  });
});

describe("model corruption: roll out a corrupt model, undo it, always roll forward", () => {
  it("recovers by rollout undo with RPO n/a, leaves the original image running and records the roll-forward", async () => {
    const before = imageOf(fx.double);
    await fx.addPlan("model_cycle", [
      {
        name: "Corrupt the model",
        type: "inject_failure",
        failure: {
          kind: "corrupt_model",
          deployment: "llm-server",
          namespace: "ml-inference",
          image: "registry.invalid/corrupt-model:0",
        },
        timeoutSeconds: 10,
      },
      {
        name: "Roll back",
        type: "rollout_undo",
        deployment: "llm-server",
        namespace: "ml-inference",
        timeoutSeconds: 10,
      },
      health(),
      {
        name: "Roll forward",
        type: "roll_forward",
        deployment: "llm-server",
        namespace: "ml-inference",
        always: true,
        timeoutSeconds: 10,
      },
    ]);
    // Both pods of the serving revision must be available before the injection, so that what the drill reports as
    // still serving is the rolling update's doing (maxUnavailable rounds down to 0 of 2), not the fixture's start-up.
    await waitFor(async () => {
      const status = deploymentOf(fx.double)?.status as
        { availableReplicas?: number; updatedReplicas?: number } | undefined;
      return status?.availableReplicas === 2 && status.updatedReplicas === 2;
    }, "llm-server's two pods to be available");
    // A dry run first: it must describe the undo the live run then does (from the corrupt revision back to the
    // serving one), not an undo of the untouched cluster's revision.
    const dry = await startDrill({ actor: sre, input: { planKey: "model_cycle" }, ...noEnqueue });
    expect(await fx.run(dry.runId)).toMatchObject({ status: "passed" });
    const dryUndo = ((await stepsOf(dry.runId))[1]!.output as StepOutput).dryRun?.preflight;
    const started = await live("model_cycle");
    expect(await fx.run(started.runId)).toMatchObject({ status: "passed" });
    const run = await runOf(started.runId);
    const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);
    expect(dryUndo).toBe(
      `would roll back from revision ${out[1]!.rollout!.fromRevision} to ${out[1]!.rollout!.toRevision}`,
    );
    // The corrupt image never becomes Ready: the failure is confirmed by the pod that cannot pull it, not a rollout,
    // while the rolling update keeps both pods of the earlier revision serving.
    expect(out[0]!.failure).toMatchObject({
      previousImage: before,
      observed: expect.stringMatching(
        /^revision \d+ with registry\.invalid\/corrupt-model:0 cannot serve: pod llm-server-\S+ is waiting in ImagePullBackOff .*; 2 pods of earlier revisions still available\)$/,
      ),
    });
    expect(out[1]!.rollout!.toRevision).toBe(out[0]!.failure!.previousRevision);
    // Back to the revision that served until the injected corruption: no data point was lost, no backup involved.
    expect(run.measuredRpoSeconds).toBeNull();
    expect(run.evidence).toMatchObject({
      rpoBasis: expect.stringMatching(
        /^n\/a: recovered by rollout undo of ml-inference\/llm-server to revision \d+, which served until the corrupt model was injected/,
      ),
    });
    expect(imageOf(fx.double)).toBe(before);
    // Roll-forward evidence: what it undid, and the revision, replicas and image before and after.
    expect(out[3]!.rollForward).toMatchObject({
      deployment: "llm-server",
      namespace: "ml-inference",
      undoing: expect.stringMatching(/^corrupt_model injected at /),
      after: { images: [before], replicas: 2 },
    });
    expect(out[3]!.rollForward!.before.images).toEqual([before]);
  });

  it("puts the original image back when the drill fails after the injection", async () => {
    const before = imageOf(fx.double);
    fx.health.setStatus(503);
    try {
      await fx.addPlan("model_cycle_fails", [
        {
          name: "Corrupt the model",
          type: "inject_failure",
          failure: {
            kind: "corrupt_model",
            deployment: "llm-server",
            namespace: "ml-inference",
            image: "registry.invalid/corrupt-model:1",
          },
          timeoutSeconds: 10,
        },
        { ...health(), timeoutSeconds: 1 },
        {
          name: "Roll back",
          type: "rollout_undo",
          deployment: "llm-server",
          namespace: "ml-inference",
          timeoutSeconds: 10,
        },
        {
          name: "Roll forward",
          type: "roll_forward",
          deployment: "llm-server",
          namespace: "ml-inference",
          always: true,
          timeoutSeconds: 10,
        },
      ]);
      const started = await live("model_cycle_fails");
      expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
      const steps = await stepsOf(started.runId);
      expect(steps.map((s) => s.state)).toEqual(["succeeded", "failed", "skipped", "succeeded"]);
      expect(imageOf(fx.double)).toBe(before);
      const forward = (steps[3]!.output as StepOutput).rollForward!;
      expect(forward.before.images).toEqual(["registry.invalid/corrupt-model:1"]);
      expect(forward.after.images).toEqual([before]);
      expect(forward.after.revision).toBeGreaterThan(forward.before.revision);
      expect(
        renderDrillReportMarkdown(await loadDrillReport({ actor: sre, runId: started.runId, now: new Date() })),
      ).toContain(
        `- Roll-forward \`ml-inference/llm-server\` (undoing corrupt_model injected at ${(steps[0]!.output as StepOutput).failure!.injectedAt} (image ${before} before it)): before revision ${forward.before.revision}, 2 replicas, image registry.invalid/corrupt-model:1; after revision ${forward.after.revision}, 2 replicas, image ${before}`,
      );
    } finally {
      fx.health.setStatus(200);
    }
  });
});

describe("a namespace stuck Terminating", () => {
  it("fails the injection step with what blocks it", async () => {
    await fx.addPlan(
      "stuck_ns",
      [
        {
          name: "Delete scratch copy",
          type: "inject_failure",
          failure: { kind: "delete_namespace", namespace: "ml-training" },
          timeoutSeconds: 1,
        },
        health(),
      ],
      { scope: { clusterTargetId: fx.clusterId, namespaces: ["ml-inference", "ml-training"] } },
    );
    fx.double.controls.setNamespaceStuckTerminating("ml-training", true);
    const started = await live("stuck_ns");
    expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
    const [inject] = await stepsOf(started.runId);
    expect(inject!.error).toMatch(/^deletion of namespace ml-training timed out: namespace ml-training is Terminating/);
  });

  it("does not restore into it: the restore waits for the namespace to go and names the finalizers that hold it", async () => {
    await fx.addPlan("restore_into_terminating", [
      {
        name: "Restore into the terminating namespace",
        type: "create_restore",
        backupFrom: "ml-platform-fresh",
        namespaceMapping: { "ml-inference": "ml-training" },
        timeoutSeconds: 1,
      },
    ]);
    const started = await live("restore_into_terminating");
    expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
    const [restore] = await stepsOf(started.runId);
    expect(restore!.error).toMatch(
      /^restore \S+ into ml-training timed out: namespace ml-training is Terminating \(finalizers: kubernetes\): the restore waits for it to be gone before it starts$/,
    );
    expect(labelled(fx.double, "velero.io/v1", "Restore", started.runId, "velero")).toEqual([]);
    fx.double.controls.setNamespaceStuckTerminating("ml-training", false);
  });
});

describe("a Deployment an autoscaler manages", () => {
  it("is not scaled to zero against its HorizontalPodAutoscaler: the step names the autoscaler", async () => {
    const hpaDef = fx.double.state.findByKind("autoscaling/v2", "HorizontalPodAutoscaler")!;
    fx.double.state.putSystemObject({
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "llm-server", namespace: "ml-inference" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "llm-server" },
        minReplicas: 2,
        maxReplicas: 4,
      },
    });
    try {
      await fx.addPlan("hpa_fight", [
        {
          name: "Stop serving",
          type: "inject_failure",
          failure: { kind: "scale_to_zero", deployment: "llm-server", namespace: "ml-inference" },
          timeoutSeconds: 5,
        },
      ]);
      const started = await live("hpa_fight");
      expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
      const [inject] = await stepsOf(started.runId);
      expect(inject!.error).toBe(
        "HorizontalPodAutoscaler ml-inference/llm-server keeps llm-server at 2 or more replicas and would undo scaling it to 0: drill with a plan that pauses or removes the autoscaler first",
      );
      expect((deploymentOf(fx.double)!.spec as { replicas: number }).replicas).toBe(2);
    } finally {
      fx.double.state.delete(hpaDef, "ml-inference", "llm-server");
    }
  });
});

describe("abort while Velero restores", () => {
  it("waits for the Restore to end, keeping the live lock, and says Velero cannot cancel it", async () => {
    fx.double.controls.setVeleroOutcome("Restore", "StuckInProgress");
    await fx.addPlan("abort_restore", [
      verify,
      {
        name: "Restore",
        type: "create_restore",
        backupFrom: "latest-verified",
        namespaceMapping: { "ml-inference": "ml-inference-abort" },
        timeoutSeconds: 30,
      },
      health(),
    ]);
    const started = await live("abort_restore");
    const running = fx.run(started.runId);
    try {
      await waitFor(
        async () =>
          (await stepsOf(started.runId))[1]!.output &&
          ((await stepsOf(started.runId))[1]!.output as StepOutput).restore?.phase === "InProgress",
        "the restore to run",
      );
      await abortDrill({ actor: sre, runId: started.runId, reason: "stop" });
      await waitFor(
        async () =>
          ((await stepsOf(started.runId))[1]!.output as StepOutput).progress?.startsWith(
            "abort requested: waiting for restore",
          ),
        "the runner to wait for the restore",
      );
      const meanwhile = await runOf(started.runId);
      expect(meanwhile).toMatchObject({ status: "running" });
      expect(meanwhile.liveLockKey).not.toBeNull();
    } finally {
      fx.double.controls.setVeleroOutcome("Restore", "Completed");
    }
    expect(await running).toMatchObject({ status: "aborted" });
    const restoreStep = (await stepsOf(started.runId))[1];
    expect(restoreStep!.error).toMatch(
      /^aborted by operator; waited for restore .* to end \(Completed\) before stopping: Velero cannot cancel a restore$/,
    );
    expect((await runOf(started.runId)).liveLockKey).toBeNull();
  });
});

describe("cluster failure: restore on the standby cluster", () => {
  it("restores the schedule's backup on the standby after its storage location and backup sync, and proves the data there", async () => {
    const standby = await startKubernetesApiDouble({
      veleroStorage: fx.double.veleroStorage,
      contextName: standbyContextName,
      timing: { workloadReadyAfterMs: 150, veleroPhaseStepMs: 150 },
      reconcileIntervalMs: 20,
    });
    try {
      seedStandbyState(standby);
      // The standby's storage location starts Unavailable: the restore must wait for it, not fail validation.
      standby.controls.setBackupLocationAvailable("default", false);
      const target = await getPrisma().clusterTarget.create({
        data: {
          name: "sandbox-standby",
          apiServer: standby.url,
          credentialRef: `kubeconfig-context:${standbyContextName}`,
          isSandbox: true,
        },
      });
      const onStandby = { clusterTargetId: target.id };
      await fx.addPlan(
        "cluster_cycle",
        [
          {
            name: "Write canary",
            type: "write_canary",
            namespace: "ml-inference",
            volumeClaim: "model-cache",
            timeoutSeconds: 10,
          },
          {
            name: "Wait for the schedule's next backup",
            type: "verify_backup",
            selector: `velero.io/schedule-name=${schedule}`,
            recoveryPoint: "after_canary",
            timeoutSeconds: 20,
          },
          {
            name: "Stop serving on the primary",
            type: "inject_failure",
            failure: { kind: "scale_to_zero", deployment: "llm-server", namespace: "ml-inference" },
            timeoutSeconds: 10,
          },
          {
            name: "Restore on the standby",
            type: "create_restore",
            backupFrom: "latest-verified",
            includedNamespaces: ["ml-inference"],
            timeoutSeconds: 20,
            ...onStandby,
          },
          {
            name: "Verify canary on the standby",
            type: "verify_canary",
            namespace: "ml-inference",
            volumeClaim: "model-cache",
            timeoutSeconds: 10,
            ...onStandby,
          },
          {
            name: "Pods on the standby",
            type: "wait_pods_ready",
            namespace: "ml-inference",
            selector: "app=llm-server",
            timeoutSeconds: 10,
            ...onStandby,
          },
          health(),
          {
            name: "Bring the primary back",
            type: "roll_forward",
            deployment: "llm-server",
            namespace: "ml-inference",
            always: true,
            timeoutSeconds: 10,
          },
          { name: "Clean up the primary", type: "cleanup", always: true, timeoutSeconds: 10 },
          {
            name: "Clean up the standby",
            type: "cleanup",
            restoredNamespaces: ["ml-inference"],
            always: true,
            timeoutSeconds: 10,
            ...onStandby,
          },
        ],
        { rpoMinutes: 360 },
      );
      // The runner reads both contexts from one kubeconfig, as the sandbox's serve.ts writes it.
      writeFileSync(
        process.env.PORTAL_KUBECONFIG!,
        buildKubeconfig([
          { url: fx.double.url, token: fx.double.token, contextName: "sandbox" },
          { url: standby.url, token: standby.token, contextName: standbyContextName },
        ]),
      );
      const started = await live("cluster_cycle");
      const running = fx.run(started.runId);
      await fireScheduleWhenWaited(started.runId, 1);
      await waitFor(
        async () =>
          ((await stepsOf(started.runId))[3]!.output as StepOutput | null)?.progress?.startsWith(
            "BackupStorageLocation default is Unavailable",
          ),
        "the restore to wait for the storage location",
      );
      // Timestamps have one-second resolution: sync only once the wall clock is in a later second than the
      // backup's start, so the sync time below is distinguishable from status.startTimestamp on every run.
      const startedAt = Date.parse(((await stepsOf(started.runId))[1]!.output as StepOutput).backup!.recoveryPointAt!);
      await sleep(Math.max(0, startedAt + 1000 - Date.now()));
      standby.controls.setBackupLocationAvailable("default", true);
      expect(await running).toMatchObject({ status: "passed" });
      const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);
      const backup = out[1]!.backup!;
      expect(out[3]!.restore).toMatchObject({
        cluster: "sandbox-standby",
        backupName: backup.name,
        backupRecoveryPointAt: backup.recoveryPointAt,
        backupRecoveryPointSource: "status.startTimestamp",
      });
      expect(out[3]!.restore!.itemsRestored).toBeGreaterThan(0);
      // The standby's copy of the backup was made by backup sync (its creationTimestamp is the sync time).
      const synced = standby.state.get(standby.state.findByKind("velero.io/v1", "Backup")!, "velero", backup.name)!;
      expect(Date.parse(String(synced.metadata.creationTimestamp))).toBeGreaterThan(
        Date.parse(backup.recoveryPointAt!),
      );
      // The data, read on the standby: the canary ConfigMap and the volume file with the checksums written on the primary.
      expect(out[4]!.canaryCheck).toMatchObject({
        match: true,
        restoredBy: out[3]!.restore!.name,
        expectedChecksum: out[0]!.canary!.checksum,
        volume: { match: true, foundSha256: out[0]!.canary!.volume!.sha256 },
      });
      expect(out[5]!.pods).toMatchObject({ ready: 2, expected: 2 });
      const run = await runOf(started.runId);
      expect(run.measuredRpoSeconds).toBe(
        Math.round((Date.parse(out[2]!.failure!.injectedAt) - Date.parse(backup.recoveryPointAt!)) / 1000),
      );
      // The primary serves again and neither cluster keeps the drill's canary or Jobs.
      expect((deploymentOf(fx.double)!.spec as { replicas: number }).replicas).toBe(2);
      expect(out[8]!.cleanup).toMatchObject({ cluster: "sandbox" });
      expect(out[9]!.cleanup).toMatchObject({
        cluster: "sandbox-standby",
        removed: expect.arrayContaining(["ConfigMap ml-inference/dr-canary"]),
      });
      for (const double of [fx.double, standby])
        expect(labelled(double, "v1", "ConfigMap", started.runId, "ml-inference")).toEqual([]);
      // The standby no longer runs the drill's restored copy: what the restore created there is gone.
      expect(out[9]!.cleanup!.restored).toMatchObject({
        restore: out[3]!.restore!.name,
        removed: expect.arrayContaining(["Deployment ml-inference/llm-server"]),
      });
      expect(
        standby.state.get(standby.state.findByKind("apps/v1", "Deployment")!, "ml-inference", "llm-server"),
      ).toBeFalsy();
      expect(deploymentOf(fx.double)).toBeTruthy();
      expect(standby.controls.readVolume("ml-inference", "model-cache")).toBeFalsy();
    } finally {
      writeFileSync(process.env.PORTAL_KUBECONFIG!, fx.double.kubeconfigYaml);
      await standby.close();
    }
  });
});
