// The three reference plans, as the demo seeds them, run live against the sandbox cluster (the API double): each
// destroys something, recovers it, proves it by content from inside the cluster, and reports RTO/RPO.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { noEnqueue, setUpDrillFixture, sre, waitFor, type DrillFixture } from "./__fixtures__/drill-fixture";
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

const stepsOf = (runId: string) => getPrisma().drillStepResult.findMany({ where: { drillRunId: runId }, orderBy: { index: "asc" } });
const runOf = (runId: string) => getPrisma().drillRun.findUniqueOrThrow({ where: { id: runId } });
const latestScheduledBackupStart = () => String((fx.double.state.get(fx.double.state.findByKind("velero.io/v1", "Backup")!, "velero", "daily-ml-inference-latest")!.status as { startTimestamp: string }).startTimestamp);

async function addTemplate(key: TemplateKey, steps?: DrStepInput[], planKey: string = key) {
  const t: DrPlanInput = drTemplateInputs(sandboxTemplateOptions())[key];
  // Seconds, not minutes: the double is fast.
  const fast = (steps ?? t.steps).map((s) => ({ ...s, timeoutSeconds: Math.min(s.timeoutSeconds, 15) })) as DrStepInput[];
  await fx.addPlan(planKey, fast, { ...t, key: planKey, steps: fast, scope: { ...t.scope, clusterTargetId: fx.clusterId } });
}

describe("model_corruption", () => {
  it("corrupts the model, rolls back, and passes when the golden answers come back; RPO n/a", async () => {
    await addTemplate("model_corruption");
    const started = await startDrill(sre, { planKey: "model_corruption", mode: "live", confirmation: "sandbox" }, noEnqueue);
    expect(await fx.run(started.runId)).toMatchObject({ status: "passed" });
    const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);
    const run = await runOf(started.runId);
    expect(out[0].probe).toMatchObject({ golden: "record", cluster: "sandbox", results: [{ status: 200 }, { status: 200 }, { status: 200 }] });
    expect(out[4].probe!.matches).toEqual([true, true, true]);
    expect(run.measuredRtoSeconds).toBe(Math.round((Date.parse(out[4].health!.passedAt!) - Date.parse(out[1].failure!.injectedAt)) / 1000));
    expect(run.measuredRpoSeconds).toBeNull();
    expect(run.verdictReason).toContain("RPO n/a");
  });

  it("fails when the model still answers differently: the golden set is compared by content", async () => {
    const t = drTemplateInputs(sandboxTemplateOptions()).model_corruption;
    await addTemplate("model_corruption", [t.steps[0], t.steps[1], { ...t.steps[4], timeoutSeconds: 1 }, t.steps[5]], "model_corruption_no_undo");
    const started = await startDrill(sre, { planKey: "model_corruption_no_undo", mode: "live", confirmation: "sandbox" }, noEnqueue);
    expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
    const steps = await stepsOf(started.runId);
    expect(steps[2].error).toMatch(/^model probe of http:\/\/llm-server\.ml-inference\.svc\.cluster\.local:8000\/v1\/completions timed out: attempt \d+: 0 of 3 answers equal the golden set/);
    // The always-step put the original model back.
    expect(steps.map((s) => s.state)).toEqual(["succeeded", "succeeded", "failed", "succeeded"]);
  });
});

describe("data_loss", () => {
  it("dry-runs without changing anything and reports what it reads now", async () => {
    await addTemplate("data_loss", undefined, "data_loss_dry");
    const started = await startDrill(sre, { planKey: "data_loss_dry" }, noEnqueue);
    fx.double.controls.clearRequests();
    expect(await fx.run(started.runId)).toMatchObject({ status: "passed" });
    expect(fx.double.controls.requests().filter((r) => r.method !== "GET")).toEqual([]);
    const steps = await stepsOf(started.runId);
    expect((steps[7].output as StepOutput).dryRun?.preflight).toBe("now 2 of 2 pods Ready in ml-inference (replicas of llm-server (2))");
    expect((steps[4].output as StepOutput).dryRun?.preflight).toBe("namespace ml-inference exists and would be deleted");
  });

  it("deletes ml-inference, restores it, and proves canary, pods and answers; RPO from the scheduled backup's start", async () => {
    await addTemplate("data_loss");
    const started = await startDrill(sre, { planKey: "data_loss", mode: "live", confirmation: "sandbox" }, noEnqueue);
    expect(await fx.run(started.runId)).toMatchObject({ status: "passed" });
    const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);
    const run = await runOf(started.runId);
    const failureAt = Date.parse(out[4].failure!.injectedAt);
    expect(out[0].backup).toMatchObject({ name: "daily-ml-inference-latest", recoveryPointSource: "status.startTimestamp" });
    expect(run.measuredRpoSeconds).toBe(Math.round((failureAt - Date.parse(latestScheduledBackupStart())) / 1000));
    expect(out[6].canaryCheck?.match).toBe(true);
    expect(out[8].probe!.matches).toEqual([true, true, true]);
  });
});

describe("cluster_failure", () => {
  it("stops serving, waits for the operator's rebuild, restores, and brings the primary back", async () => {
    await addTemplate("cluster_failure");
    const started = await startDrill(sre, { planKey: "cluster_failure", mode: "live", confirmation: "sandbox" }, noEnqueue);
    const running = fx.run(started.runId);
    for (const index of [3, 4, 8]) {
      await waitFor(async () => (await stepsOf(started.runId))[index].state === "waiting_for_operator", `manual step ${index + 1}`, 20_000);
      await confirmManualStep(sre, started.runId, index, "done");
    }
    expect(await running).toMatchObject({ status: "passed" });
    const out = (await stepsOf(started.runId)).map((s) => s.output as StepOutput);
    expect(out[5].restore!.itemsRestored).toBeGreaterThan(0);
    expect(out[7].probe!.matches).toEqual([true, true, true]);
    const deployment = fx.double.state.get(fx.double.state.findByKind("apps/v1", "Deployment")!, "ml-inference", "llm-server")!;
    expect((deployment.spec as { replicas: number }).replicas).toBe(2);
  });
});
