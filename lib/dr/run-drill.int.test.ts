import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { abortDrill } from "./abort-drill.server";
import { confirmManualStep } from "./confirm-manual-step.server";
import {
  backupAgeMinutes,
  noEnqueue,
  setUpDrillFixture,
  sre,
  waitFor,
  type DrillFixture,
} from "./__fixtures__/drill-fixture";
import { startDrill } from "./start-drill.server";
import type { DrStepInput } from "./schema";
import type { StepOutput } from "./step-record";

let fx: DrillFixture;
beforeAll(async () => {
  fx = await setUpDrillFixture();
});
afterAll(() => fx.close());

const verify: DrStepInput = {
  name: "Verify backup",
  type: "verify_backup",
  selector: "app.kubernetes.io/part-of=ml-platform",
  maxAgeMinutes: 60,
  timeoutSeconds: 10,
};
// Each test restores into a scratch namespace of its own: restoring over an identical copy restores 0 items, which fails.
const restore = (timeoutSeconds = 10, scratch = "ml-inference-drill"): DrStepInput => ({
  name: "Restore into scratch",
  type: "create_restore",
  backupFrom: "latest-verified",
  namespaceMapping: { "ml-inference": scratch },
  timeoutSeconds,
});
const undo: DrStepInput = {
  name: "Roll back llm-server",
  type: "rollout_undo",
  deployment: "llm-server",
  namespace: "ml-inference",
  timeoutSeconds: 10,
  validation: {
    type: "wait_condition",
    apiVersion: "apps/v1",
    kind: "Deployment",
    name: "llm-server",
    namespace: "ml-inference",
    condition: "Available",
  },
};
const healthStep = (): DrStepInput => ({
  name: "Health",
  type: "http_health_check",
  url: fx.health.url,
  timeoutSeconds: 10,
});

const stepsOf = (runId: string) =>
  getPrisma().drillStepResult.findMany({ where: { drillRunId: runId }, orderBy: { index: "asc" } });
const runOf = (runId: string) => getPrisma().drillRun.findUniqueOrThrow({ where: { id: runId } });
/** The drill.passed / drill.failed notifications raised for a run (queued for the worker's fan-out). */
const notifiedEvents = async (runId: string) =>
  (
    await getPrisma().$queryRawUnsafe<{ event: string }[]>(
      `SELECT data->>'event' AS event FROM pgboss.job WHERE name = 'notification.fanout' AND data->'data'->>'drillRunId' = $1`,
      runId,
    )
  ).map((r) => r.event);
const live = (planKey: string) =>
  startDrill({ actor: sre, input: { planKey, mode: "live", confirmation: "sandbox" }, ...noEnqueue });

describe("a live drill", () => {
  it("passes within RTO and measures RPO from the backup it restored", async () => {
    await fx.addPlan("pass_plan", [verify, restore(), undo, healthStep()]);
    const imageBefore = (await fx.double.state.get(
      fx.double.state.findByKind("apps/v1", "Deployment")!,
      "ml-inference",
      "llm-server",
    ))!;
    expect(JSON.stringify(imageBefore.spec)).toContain("v0.6.3");
    const started = await live("pass_plan");
    const result = await fx.run(started.runId);
    expect(result).toMatchObject({ outcome: "finished", status: "passed" });

    const run = await runOf(started.runId);
    const rpoExpected = Math.round((run.startedAt!.getTime() - fx.backupCreatedAt.getTime()) / 1000);
    expect(run.measuredRpoSeconds).toBe(rpoExpected);
    expect(run.measuredRpoSeconds).toBeGreaterThanOrEqual(backupAgeMinutes * 60);
    expect(run.measuredRtoSeconds).toBeLessThan(15 * 60);
    expect(run.liveLockKey).toBeNull();
    const steps = await stepsOf(started.runId);
    expect(steps.map((s) => s.state)).toEqual(["succeeded", "succeeded", "succeeded", "succeeded"]);
    expect(steps.every((s) => s.startedAt && s.finishedAt && s.finishedAt >= s.startedAt)).toBe(true);
    const restoreOut = steps[1]!.output as StepOutput;
    expect(restoreOut.restore).toMatchObject({
      backupName: "ml-platform-fresh",
      phase: "Completed",
      errors: 0,
      warnings: 0,
    });
    const healthOut = steps[3]!.output as StepOutput;
    expect(run.measuredRtoSeconds).toBe(
      Math.round((Date.parse(healthOut.health!.passedAt!) - run.startedAt!.getTime()) / 1000),
    );

    // The rollback really happened through the API: the previous image is live again, the scratch namespace exists.
    const after = fx.double.state.get(
      fx.double.state.findByKind("apps/v1", "Deployment")!,
      "ml-inference",
      "llm-server",
    )!;
    expect(JSON.stringify(after.spec)).toContain("v0.6.2");
    expect(
      fx.double.state.get(fx.double.state.findByKind("v1", "Namespace")!, undefined, "ml-inference-drill"),
    ).toBeDefined();
    const audits = await getPrisma().auditEvent.findMany({
      where: { targetId: started.runId },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => a.action)).toEqual(["drill.start", "drill.finish"]);
    expect(await notifiedEvents(started.runId)).toEqual(["drill.passed"]);
  });

  it("fails when the restore ends PartiallyFailed, naming the restore and its counts", async () => {
    fx.double.controls.setVeleroOutcome("Restore", "PartiallyFailed");
    try {
      await fx.addPlan("partial_plan", [verify, restore(10, "ml-inference-partial"), healthStep()]);
      const started = await live("partial_plan");
      expect(await fx.run(started.runId)).toMatchObject({ outcome: "finished", status: "failed" });
      const run = await runOf(started.runId);
      expect(run.verdictReason).toMatch(
        /^step 2 \(Restore into scratch\) failed: restore drill-.* ended PartiallyFailed with 1 error, 2 warnings; the plan does not allow restore warnings or errors$/,
      );
      expect((await stepsOf(started.runId)).map((s) => s.state)).toEqual(["succeeded", "failed", "skipped"]);
      expect((run.evidence as { restores: Array<{ phase: string }> }).restores[0]!.phase).toBe("PartiallyFailed");
      expect(await notifiedEvents(started.runId)).toEqual(["drill.failed"]);
    } finally {
      fx.double.controls.setVeleroOutcome("Restore", "Completed");
    }
  });

  it("times out a restore stuck InProgress", async () => {
    fx.double.controls.setVeleroOutcome("Restore", "StuckInProgress");
    try {
      await fx.addPlan("stuck_plan", [verify, restore(2), healthStep()]);
      const started = await live("stuck_plan");
      const t0 = Date.now();
      expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
      const steps = await stepsOf(started.runId);
      expect(steps[1]).toMatchObject({ state: "failed" });
      expect(steps[1]!.error).toMatch(/^restore drill-.* timed out: restore .* is InProgress/);
      expect((steps[1]!.output as StepOutput).timedOut).toBe(true);
      expect(steps[2]!.state).toBe("skipped");
    } finally {
      fx.double.controls.setVeleroOutcome("Restore", "Completed");
    }
  });

  it("waits for an operator on a manual step and continues once confirmed", async () => {
    await fx.addPlan("manual_plan", [
      verify,
      {
        name: "Shift traffic",
        type: "manual",
        instruction: "Confirm traffic shifted",
        command: "terraform apply -target=module.dns",
        timeoutSeconds: 30,
      },
      healthStep(),
    ]);
    const started = await live("manual_plan");
    const running = fx.run(started.runId);
    await waitFor(
      async () => (await stepsOf(started.runId))[1]!.state === "waiting_for_operator",
      "the manual step to wait",
    );
    await new Promise((r) => setTimeout(r, 200));
    expect((await stepsOf(started.runId))[2]!.state).toBe("pending");
    await confirmManualStep({ actor: sre, runId: started.runId, stepIndex: 1, note: "DNS switched" });
    expect(await running).toMatchObject({ status: "passed" });
    const manual = (await stepsOf(started.runId))[1];
    expect((manual!.output as StepOutput).manual).toMatchObject({
      confirmedBy: "sre@demo.local",
      command: "terraform apply -target=module.dns",
      note: "DNS switched",
    });
  });

  it("aborts mid-run: the current step's rollback runs and the rest is skipped", async () => {
    await fx.addPlan("abort_plan", [
      verify,
      {
        name: "Drain",
        type: "manual",
        instruction: "Drain traffic",
        timeoutSeconds: 30,
        rollback: { type: "scale", deployment: "llm-server", namespace: "ml-inference", replicas: 1 },
      },
      healthStep(),
    ]);
    const started = await live("abort_plan");
    const running = fx.run(started.runId);
    await waitFor(
      async () => (await stepsOf(started.runId))[1]!.state === "waiting_for_operator",
      "the manual step to wait",
    );
    await abortDrill({ actor: sre, runId: started.runId, reason: "game day over" });
    expect(await running).toMatchObject({ status: "aborted" });
    const run = await runOf(started.runId);
    expect(run.verdictReason).toBe("aborted by sre@demo.local during step 2 (Drain): game day over");
    const steps = await stepsOf(started.runId);
    expect(steps.map((s) => s.state)).toEqual(["succeeded", "rolled_back", "skipped"]);
    expect((steps[1]!.output as StepOutput).rollback).toMatchObject({ state: "succeeded", scale: { replicas: 1 } });
    const deployment = fx.double.state.get(
      fx.double.state.findByKind("apps/v1", "Deployment")!,
      "ml-inference",
      "llm-server",
    )!;
    expect((deployment.spec as { replicas: number }).replicas).toBe(1);
    const actions = (await getPrisma().auditEvent.findMany({ where: { targetId: started.runId } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["drill.start", "drill.abort", "drill.finish"]));
  });
});

describe("a dry run", () => {
  it("reads the cluster, says what would happen and changes nothing", async () => {
    await fx.addPlan("dry_plan", [
      verify,
      restore(),
      undo,
      {
        name: "Scale",
        type: "scale",
        deployment: "llm-server",
        namespace: "ml-inference",
        replicas: 5,
        timeoutSeconds: 10,
      },
      healthStep(),
    ]);
    const started = await startDrill({ actor: sre, input: { planKey: "dry_plan" }, ...noEnqueue });
    expect(started.mode).toBe("dry_run");
    fx.double.controls.clearRequests();
    expect(await fx.run(started.runId)).toMatchObject({ status: "passed" });
    const writes = fx.double.controls.requests().filter((r) => r.method !== "GET");
    expect(writes).toEqual([]);
    const steps = await stepsOf(started.runId);
    expect((steps[1]!.output as StepOutput).dryRun?.preflight).toMatch(/^would restore backup ml-platform-fresh/);
    expect((steps[2]!.output as StepOutput).dryRun?.preflight).toMatch(/^would roll back from revision \d+ to \d+$/);
    const run = await runOf(started.runId);
    expect(run.verdictReason).toBe("all 5 steps pass their read-only checks; nothing was changed");
    expect(run.measuredRtoSeconds).toBeNull();
  });
});

describe("reading drills back", () => {
  it("renders the auditors' report from the stored run, lists plans with their last result, and the last backup per cluster", async () => {
    const { loadDrillReport } = await import("./load-drill-report.server");
    const { listDrillPlans } = await import("./list-drill-plans.server");
    const { renderDrillReportMarkdown } = await import("./drill-report");
    const { listLastBackups } = await import("./list-last-backups.server");
    const passed = await getPrisma().drillRun.findFirstOrThrow({
      where: { plan: { key: "pass_plan" }, status: "passed" },
    });
    const md = renderDrillReportMarkdown(await loadDrillReport({ actor: sre, runId: passed.id, now: new Date() }));
    expect(md).toContain("- Verdict: **PASSED** — every step succeeded;");
    expect(md).toContain("- Recovery point: backup `ml-platform-fresh` (velero)");
    expect(md).toContain("started by sre@demo.local");

    const plans = await listDrillPlans({ actor: sre });
    expect(plans.find((p) => p.key === "pass_plan")?.lastLive).toMatchObject({
      status: "passed",
      rpoSeconds: passed.measuredRpoSeconds,
    });
    expect(plans.find((p) => p.key === "partial_plan")?.lastLive?.status).toBe("failed");

    const before = Date.now();
    const [sandbox] = await listLastBackups({ actor: sre });
    const after = Date.now();
    expect(sandbox).toMatchObject({ clusterName: "sandbox", backup: { name: "ml-platform-fresh" } });
    // The field is named for what it holds, Velero's status.startTimestamp, not the object's creation time.
    expect(sandbox!.backup).toHaveProperty("startedAt");
    expect(sandbox!.backup).not.toHaveProperty("createdAt");
    // The age is the backup's age when the reader looked: between its ages before and after the call (rounded to 1 s).
    const ageAt = (t: number) => (t - fx.backupCreatedAt.getTime()) / 1000;
    expect(sandbox!.backup!.ageSeconds).toBeGreaterThanOrEqual(Math.floor(ageAt(before)) - 1);
    expect(sandbox!.backup!.ageSeconds).toBeLessThanOrEqual(Math.ceil(ageAt(after)) + 1);
  });

  it("reads backups for the drills page and the home page through one reader: same reasons", async () => {
    const { listLastBackups } = await import("./list-last-backups.server");
    const { readNewestBackups } = await import("@/lib/clusters/cluster-live-view.server");
    const nowhere = await getPrisma().clusterTarget.create({
      data: { name: "zz-nowhere", apiServer: "https://nowhere.invalid", credentialRef: "kubeconfig-context:nowhere" },
    });
    try {
      const drills = await listLastBackups({ actor: sre });
      const home = await readNewestBackups({ actor: sre, targets: [{ id: nowhere.id, name: nowhere.name }] });
      const homeError = home.errors.find((e) => e.cluster.id === nowhere.id)?.message;
      expect(homeError).toBeTruthy();
      expect(drills.find((c) => c.clusterTargetId === nowhere.id)?.error).toBe(homeError);
    } finally {
      await getPrisma().clusterTarget.delete({ where: { id: nowhere.id } });
    }
  });
});
