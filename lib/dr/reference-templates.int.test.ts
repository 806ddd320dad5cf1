// The three reference plans, as the demo seeds them, run live against the sandbox cluster (the API double): each
// destroys something, recovers it, proves it by content from inside the cluster, and reports RTO/RPO.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { noEnqueue, setUpDrillFixture, sre, waitFor, type DrillFixture } from "./__fixtures__/drill-fixture";
import { writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import {
  buildKubeconfig,
  startKubernetesApiDouble,
  type KubernetesApiDouble,
} from "@/test-support/k8s-api-double/kubernetes-api-double";
import { seedStandbyState, standbyContextName } from "@/test-support/k8s-api-double/seed-demo-state";
import { abortDrill } from "./abort-drill.server";
import { confirmManualStep } from "./confirm-manual-step.server";
import type { DrPlanInput, DrStepInput } from "./schema";
import { startDrill } from "./start-drill.server";
import type { StepOutput } from "./step-record";
import { drTemplateInputs, sandboxTemplateOptions, type TemplateKey } from "./templates";

let fx: DrillFixture;
beforeAll(async () => {
  fx = await setUpDrillFixture();
});
afterAll(() => fx.close());

const stepsOf = (runId: string) =>
  getPrisma().drillStepResult.findMany({ where: { drillRunId: runId }, orderBy: { index: "asc" } });
const runOf = (runId: string) => getPrisma().drillRun.findUniqueOrThrow({ where: { id: runId } });

async function addTemplate(key: TemplateKey, steps?: DrStepInput[], planKey: string = key) {
  const t: DrPlanInput = drTemplateInputs(sandboxTemplateOptions())[key];
  // Seconds, not minutes: the double is fast.
  const fast = (steps ?? t.steps).map((s) => ({
    ...s,
    timeoutSeconds: Math.min(s.timeoutSeconds, 15),
  })) as DrStepInput[];
  await fx.addPlan(planKey, fast, {
    ...t,
    key: planKey,
    steps: fast,
    scope: { ...t.scope, clusterTargetId: fx.clusterId },
  });
}

describe("model_corruption", () => {
  it("corrupts the model, rolls back, and passes when the golden answers come back; RPO n/a", async () => {
    await addTemplate("model_corruption");
    const started = await startDrill({
      actor: sre,
      input: { planKey: "model_corruption", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    expect(await fx.run(started.runId)).toMatchObject({ status: "passed" });
    const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);
    const run = await runOf(started.runId);
    expect(out[0]!.probe).toMatchObject({
      golden: "record",
      cluster: "sandbox",
      results: [{ status: 200 }, { status: 200 }, { status: 200 }],
    });
    expect(out[4]!.probe!.matches).toEqual([true, true, true]);
    // The corrupt pods never became Ready; the earlier revision's pods, which an undo returns to, are what count.
    expect(out[3]!.pods).toMatchObject({
      ready: 2,
      withoutImage: "registry.invalid/ml-platform/corrupt-model:dr-drill",
    });
    expect(run.measuredRtoSeconds).toBe(
      Math.round((Date.parse(out[4]!.health!.passedAt!) - Date.parse(out[1]!.failure!.injectedAt)) / 1000),
    );
    expect(run.measuredRpoSeconds).toBeNull();
    expect(run.verdictReason).toContain("RPO n/a");
  });

  it("reports RPO n/a in a dry run too: a rollout undo restores no backup", async () => {
    await addTemplate("model_corruption", undefined, "model_corruption_dry");
    const started = await startDrill({ actor: sre, input: { planKey: "model_corruption_dry" }, ...noEnqueue });
    expect(await fx.run(started.runId)).toMatchObject({ status: "passed" });
    const run = await runOf(started.runId);
    expect(run.measuredRpoSeconds).toBeNull();
    expect(run.evidence).toMatchObject({
      rpoBasis: expect.stringMatching(/^n\/a: recovered by rollout undo of ml-inference\/llm-server/),
    });
  });

  it("fails when the model still answers differently: the golden set is compared by content", async () => {
    // A model that loads but answers wrongly (an image the registry has): it replaces the serving pods.
    const t = drTemplateInputs({
      ...sandboxTemplateOptions(),
      corruptModelImage: "ghcr.io/ml-platform/corrupt-model:dr-drill",
    }).model_corruption;
    await addTemplate(
      "model_corruption",
      [t.steps[0]!, t.steps[1]!, { ...t.steps[4]!, timeoutSeconds: 1 }, t.steps[5]!],
      "model_corruption_no_undo",
    );
    const started = await startDrill({
      actor: sre,
      input: { planKey: "model_corruption_no_undo", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
    const steps = await stepsOf(started.runId);
    expect(steps[2]!.error).toMatch(
      /^model probe of http:\/\/llm-server\.ml-inference\.svc\.cluster\.local:8000\/v1\/completions timed out: attempt \d+: 0 of 3 answers equal the golden set/,
    );
    // The always-step put the original model back.
    expect(steps.map((s) => s.state)).toEqual(["succeeded", "succeeded", "failed", "succeeded"]);
  });
});

/** Fires the sandbox's frequent schedule once the drill waits for the backup that carries its canary. */
async function fireScheduleWhenWaited(runId: string, index: number) {
  await waitFor(
    async () => (await stepsOf(runId))[index]?.state === "running",
    `step ${index + 1} to wait for the schedule`,
    20_000,
  );
  // Velero's startTimestamp has one-second resolution: a backup starting in the canary's second does not count.
  const canary = (await stepsOf(runId)).map((s) => (s.output as StepOutput).canary).find((c) => c !== undefined);
  if (canary) await sleep(Math.max(0, Math.ceil((Date.parse(canary.writtenAt) + 1) / 1000) * 1000 - Date.now()));
  fx.double.controls.runVeleroSchedule("velero", "ml-inference-frequent");
}

describe("data_loss", () => {
  it("dry-runs without changing anything, reports what it reads now, and measures no RPO", async () => {
    await addTemplate("data_loss", undefined, "data_loss_dry");
    const started = await startDrill({ actor: sre, input: { planKey: "data_loss_dry" }, ...noEnqueue });
    fx.double.controls.clearRequests();
    expect(await fx.run(started.runId)).toMatchObject({ status: "passed" });
    expect(fx.double.controls.requests().filter((r) => r.method !== "GET")).toEqual([]);
    const steps = await stepsOf(started.runId);
    expect((steps[6]!.output as StepOutput).dryRun?.preflight).toBe(
      "now 2 of 2 pods Ready in ml-inference (replicas of llm-server (2))",
    );
    expect((steps[3]!.output as StepOutput).dryRun?.preflight).toBe(
      "namespace ml-inference exists and would be deleted",
    );
    expect((steps[2]!.output as StepOutput).dryRun?.preflight).toBe(
      "would wait for the next Completed backup matching velero.io/schedule-name=ml-inference-frequent after the canary is written",
    );
    // The recovery point is the backup the live run waits for: a dry run has none to age.
    const run = await runOf(started.runId);
    expect(run.measuredRpoSeconds).toBeNull();
    expect(run.evidence).toMatchObject({
      rpoBasis: "not measured in a dry run: RPO is the age of the backup a live run restores, at its failure instant",
    });
  });

  it("deletes ml-inference, restores the schedule's backup that carries the canary, proves it, and cleans up", async () => {
    await addTemplate("data_loss");
    const started = await startDrill({
      actor: sre,
      input: { planKey: "data_loss", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    const running = fx.run(started.runId);
    await fireScheduleWhenWaited(started.runId, 2);
    expect(await running).toMatchObject({ status: "passed" });
    const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);
    const run = await runOf(started.runId);
    const failureAt = Date.parse(out[3]!.failure!.injectedAt);
    expect(out[2]!.backup).toMatchObject({
      name: expect.stringMatching(/^ml-inference-frequent-\d{14}$/),
      recoveryPointSource: "status.startTimestamp",
    });
    expect(out[4]!.restore).toMatchObject({ backupName: out[2]!.backup!.name });
    expect(run.measuredRpoSeconds).toBe(Math.round((failureAt - Date.parse(out[2]!.backup!.recoveryPointAt!)) / 1000));
    expect(out[5]!.canaryCheck).toMatchObject({ match: true, volume: { match: true } });
    expect(out[7]!.probe!.matches).toEqual([true, true, true]);
    expect(out[8]!.cleanup!.removed).toContain("ConfigMap ml-inference/dr-canary");
  });
});

describe("cluster_failure", () => {
  let standby: KubernetesApiDouble;
  let standbyId: string;
  beforeAll(async () => {
    standby = await startKubernetesApiDouble({
      veleroStorage: fx.double.veleroStorage,
      contextName: standbyContextName,
      timing: { workloadReadyAfterMs: 150, veleroPhaseStepMs: 150 },
      reconcileIntervalMs: 20,
    });
    seedStandbyState(standby);
    writeFileSync(
      process.env.PORTAL_KUBECONFIG!,
      buildKubeconfig([
        { url: fx.double.url, token: fx.double.token, contextName: "sandbox" },
        { url: standby.url, token: standby.token, contextName: standbyContextName },
      ]),
    );
    standbyId = (
      await getPrisma().clusterTarget.create({
        data: {
          name: "sandbox-standby",
          apiServer: standby.url,
          credentialRef: `kubeconfig-context:${standbyContextName}`,
          isSandbox: true,
        },
      })
    ).id;
  });
  afterAll(() => standby.close());
  const onStandby = () => drTemplateInputs(sandboxTemplateOptions(standbyId)).cluster_failure.steps;

  it("stops serving, waits for the operator's rebuild, restores on the standby, proves the data there, and brings the primary back", async () => {
    await addTemplate("cluster_failure", onStandby());
    const started = await startDrill({
      actor: sre,
      input: { planKey: "cluster_failure", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    const running = fx.run(started.runId);
    await fireScheduleWhenWaited(started.runId, 2);
    for (const index of [4, 5, 10]) {
      await waitFor(
        async () => (await stepsOf(started.runId))[index]!.state === "waiting_for_operator",
        `manual step ${index + 1}`,
        20_000,
      );
      await confirmManualStep({ actor: sre, runId: started.runId, stepIndex: index, note: "done" });
    }
    expect(await running).toMatchObject({ status: "passed" });
    const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);
    expect(out[6]!.restore).toMatchObject({ cluster: "sandbox-standby", backupName: out[2]!.backup!.name });
    expect(out[6]!.restore!.itemsRestored).toBeGreaterThan(0);
    expect(out[7]!.canaryCheck).toMatchObject({
      match: true,
      expectedChecksum: out[1]!.canary!.checksum,
      volume: { match: true },
    });
    expect(out[9]!.probe).toMatchObject({ cluster: "sandbox-standby", matches: [true, true, true] });
    const deployment = fx.double.state.get(
      fx.double.state.findByKind("apps/v1", "Deployment")!,
      "ml-inference",
      "llm-server",
    )!;
    expect((deployment.spec as { replicas: number }).replicas).toBe(2);
    expect(out[11]!.rollForward).toMatchObject({ before: { replicas: 0 }, after: { replicas: 2 } });
    expect(out[12]!.cleanup).toMatchObject({ cluster: "sandbox" });
    expect(out[13]!.cleanup).toMatchObject({
      cluster: "sandbox-standby",
      removed: expect.arrayContaining(["ConfigMap ml-inference/dr-canary"]),
    });
  });

  it("shows the manual rollback's instruction when aborted during a manual step, and ends once it is confirmed", async () => {
    await addTemplate("cluster_failure", onStandby(), "cluster_failure_abort");
    const started = await startDrill({
      actor: sre,
      input: { planKey: "cluster_failure_abort", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    const running = fx.run(started.runId);
    await fireScheduleWhenWaited(started.runId, 2);
    await waitFor(
      async () => (await stepsOf(started.runId))[4]!.state === "waiting_for_operator",
      "the rebuild step to wait",
      20_000,
    );
    await abortDrill({ actor: sre, runId: started.runId, reason: "game day over" });
    const waiting = await waitFor(
      async () => {
        const step = (await stepsOf(started.runId))[4];
        const rollback = (step!.output as StepOutput | null)?.rollback;
        return step!.state === "waiting_for_operator" && rollback?.state === "running" && rollback.manual
          ? rollback.manual
          : null;
      },
      "the manual rollback to wait with its instruction",
      20_000,
    );
    expect(waiting).toEqual({
      instruction: "Destroy the half-created cluster before retrying.",
      command: "terraform destroy -target=module.eks",
    });
    await confirmManualStep({ actor: sre, runId: started.runId, stepIndex: 4, note: "destroyed" });
    expect(await running).toMatchObject({ status: "aborted" });
    const steps = await stepsOf(started.runId);
    expect(steps[4]).toMatchObject({ state: "rolled_back" });
    expect((steps[4]!.output as StepOutput).rollback).toMatchObject({
      state: "succeeded",
      manual: { confirmedBy: sre.email, note: "destroyed" },
    });
    // The always-steps ran after the abort: the primary serves again and the canary is gone.
    expect(steps.slice(11).map((s) => s.state)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect((await runOf(started.runId)).measuredRpoSeconds).toBeNull();
  });
});
