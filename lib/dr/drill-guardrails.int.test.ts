import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { DomainError } from "@/lib/errors/domain-error";
import { httpView, type HttpView } from "@/test-support/http-view";
import { admin, finance, noEnqueue, setUpDrillFixture, sre, type DrillFixture } from "./__fixtures__/drill-fixture";
import { copyPlan } from "./copy-plan.server";
import { editPlan } from "./edit-plan.server";
import { handleScheduledDrill, listScheduledDrills } from "./drill-run-job.server";
import { listPlanHistory } from "./list-plan-history.server";
import { startDrill } from "./start-drill.server";
import { getBoss, stopBoss } from "@/lib/jobs/queue.server";
import { registerSchedules } from "@/worker/maintenance.server";

let fx: DrillFixture;
beforeAll(async () => {
  fx = await setUpDrillFixture();
  await fx.addPlan("guard_plan", [
    { name: "Verify", type: "verify_backup", selector: "app.kubernetes.io/part-of=ml-platform", timeoutSeconds: 10 },
  ]);
});
afterAll(() => fx.close());

const rejection = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(DomainError);
  return httpView(e) as HttpView;
};
/** The notifications raised for a run (queued for the worker's fan-out). */
const notified = async (runId: string) =>
  await getPrisma().$queryRawUnsafe<{ event: string; summary: string; skipped: boolean }[]>(
    `SELECT data->>'event' AS event, data->>'summary' AS summary, (data->'data'->>'skipped')::boolean AS skipped
       FROM pgboss.job WHERE name = 'notification.fanout' AND data->'data'->>'drillRunId' = $1`,
    runId,
  );
const deniedAudits = (action: string) => getPrisma().auditEvent.findMany({ where: { action, outcome: "denied" } });

describe("live drill guardrails", () => {
  it("refuses a second live run of the same plan on the same cluster while one is active", async () => {
    const first = await startDrill({
      actor: sre,
      input: { planKey: "guard_plan", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    const second = await rejection(
      startDrill({ actor: sre, input: { planKey: "guard_plan", mode: "live", confirmation: "sandbox" }, ...noEnqueue }),
    );
    expect(second.status).toBe(409);
    expect(second.message).toContain(`already active (run ${first.runId})`);
    expect(
      (await deniedAudits("drill.start")).some(
        (a) => (a.details as { activeRunId?: string }).activeRunId === first.runId,
      ),
    ).toBe(true);
    // Dry runs are not locked, and the lock is released when the live run ends.
    await startDrill({ actor: sre, input: { planKey: "guard_plan" }, ...noEnqueue });
    await fx.run(first.runId);
    const third = await startDrill({
      actor: sre,
      input: { planKey: "guard_plan", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    await fx.run(third.runId);
  });

  it("needs a confirmation naming the cluster", async () => {
    const e = await rejection(
      startDrill({ actor: sre, input: { planKey: "guard_plan", mode: "live", confirmation: "yes" }, ...noEnqueue }),
    );
    expect(e).toMatchObject({ status: 422, code: "confirmation_required" });
    expect(e.message).toContain('type the cluster name "sandbox"');
  });

  it("lets only roles that may run drills start them", async () => {
    expect(
      (await rejection(startDrill({ actor: finance, input: { planKey: "guard_plan" }, ...noEnqueue }))).status,
    ).toBe(403);
    expect((await deniedAudits("drill.start")).some((a) => a.actorEmail === "finance@demo.local")).toBe(true);
  });

  it("refuses protected namespaces unless an admin overrides with a reason, and audits the override", async () => {
    await getPrisma().clusterTarget.update({
      where: { id: fx.clusterId },
      data: { protectedNamespaces: ["ml-inference"] },
    });
    try {
      const live = { planKey: "guard_plan", mode: "live" as const, confirmation: "sandbox" };
      expect(await rejection(startDrill({ actor: sre, input: live, ...noEnqueue }))).toMatchObject({
        status: 403,
        code: "protected_namespaces",
      });
      expect(
        await rejection(
          startDrill({
            actor: sre,
            input: { ...live, overrideProtectedReason: "quarterly audit drill" },
            ...noEnqueue,
          }),
        ),
      ).toMatchObject({ status: 403, code: "forbidden" });
      const ok = await startDrill({
        actor: admin,
        input: { ...live, overrideProtectedReason: "quarterly audit drill" },
        ...noEnqueue,
      });
      const run = await getPrisma().drillRun.findUniqueOrThrow({ where: { id: ok.runId } });
      expect(run.overrideReason).toBe("quarterly audit drill");
      const audit = await getPrisma().auditEvent.findFirstOrThrow({
        where: { action: "drill.override-protected", targetId: ok.runId },
      });
      expect(audit).toMatchObject({ actorEmail: "admin@demo.local", outcome: "success" });
      await fx.run(ok.runId);
      // A dry run touches nothing, so protection does not apply.
      await startDrill({ actor: sre, input: { planKey: "guard_plan" }, ...noEnqueue });
    } finally {
      await getPrisma().clusterTarget.update({
        where: { id: fx.clusterId },
        data: { protectedNamespaces: ["kube-system"] },
      });
    }
  });
});

describe("plans are versioned", () => {
  it("stores a new version per edit and each run records the version it used", async () => {
    const first = await startDrill({ actor: sre, input: { planKey: "guard_plan" }, ...noEnqueue });
    await fx.run(first.runId);
    expect(
      await editPlan({
        actor: sre,
        planKey: "guard_plan",
        patch: { rtoMinutes: 20, changeNote: "slower restore storage" },
      }),
    ).toEqual({
      key: "guard_plan",
      version: 2,
    });
    const second = await startDrill({ actor: sre, input: { planKey: "guard_plan" }, ...noEnqueue });
    await fx.run(second.runId);
    expect([first.planVersion, second.planVersion]).toEqual([1, 2]);
    const history = await listPlanHistory({ actor: sre, planKey: "guard_plan", mode: "dry_run" });
    expect(history.at(-1)).toMatchObject({ planVersion: 2, rtoTargetMinutes: 20 });
    expect((await rejection(editPlan({ actor: sre, planKey: "guard_plan", patch: { steps: [] } }))).status).toBe(422);
    expect(
      (await rejection(editPlan({ actor: finance, planKey: "guard_plan", patch: { rtoMinutes: 1 } }))).status,
    ).toBe(403);
  });

  it("copies a plan under a new key at version 1", async () => {
    expect(await copyPlan({ actor: sre, planKey: "guard_plan", input: { newKey: "guard_copy" } })).toEqual({
      key: "guard_copy",
      version: 1,
    });
    expect(
      (await rejection(copyPlan({ actor: sre, planKey: "guard_plan", input: { newKey: "guard_copy" } }))).status,
    ).toBe(409);
  });
});

describe("scheduled drills", () => {
  it("lists plans with a schedule and a cluster, and starts a live run for one", async () => {
    await editPlan({ actor: sre, planKey: "guard_copy", patch: { schedule: "0 3 * * 1" } });
    expect(await listScheduledDrills()).toEqual([
      { planKey: "guard_copy", clusterTargetId: fx.clusterId, cron: "0 3 * * 1" },
    ]);
    const enqueued: string[] = [];
    await handleScheduledDrill(
      { planKey: "guard_copy", clusterTargetId: fx.clusterId },
      { jobId: "j1", signal: new AbortController().signal },
      { enqueue: async (id) => void enqueued.push(id) },
    );
    const run = await getPrisma().drillRun.findUniqueOrThrow({ where: { id: enqueued[0] } });
    expect(run).toMatchObject({ mode: "live", trigger: "schedule", startedById: null });
    // The next tick while it is still active is skipped and audited, not retried.
    await handleScheduledDrill(
      { planKey: "guard_copy", clusterTargetId: fx.clusterId },
      { jobId: "j2", signal: new AbortController().signal },
      { enqueue: async (id) => void enqueued.push(id) },
    );
    expect(enqueued).toHaveLength(1);
    expect(
      await getPrisma().auditEvent.count({ where: { action: "drill.schedule-skip", targetId: "guard_copy" } }),
    ).toBe(1);
  });

  it("registers the plan's schedule with the queue, and drops it when the schedule is removed", async () => {
    const boss = await getBoss();
    try {
      await registerSchedules(boss);
      const drills = (await boss.getSchedules("drill.scheduled")).map((s) => ({ cron: s.cron, data: s.data }));
      expect(drills).toEqual([
        { cron: "0 3 * * 1", data: { planKey: "guard_copy", clusterTargetId: fx.clusterId, cron: "0 3 * * 1" } },
      ]);
      // The edit itself takes the schedule off the queue, without waiting for the next maintenance tick.
      await editPlan({ actor: sre, planKey: "guard_copy", patch: { schedule: null } });
      expect(await boss.getSchedules("drill.scheduled")).toEqual([]);
      await registerSchedules(boss);
      expect(await boss.getSchedules("drill.scheduled")).toEqual([]);
    } finally {
      await stopBoss();
    }
  });

  it("skips a firing left over from a schedule the newest plan version no longer has", async () => {
    const enqueued: string[] = [];
    const fire = (payload: { planKey: string; clusterTargetId: string; cron?: string }) =>
      handleScheduledDrill(
        payload,
        { jobId: "stale", signal: new AbortController().signal },
        { enqueue: async (id) => void enqueued.push(id) },
      );
    const stale = () =>
      getPrisma().auditEvent.findMany({
        where: { action: "drill.schedule-stale", targetId: "guard_copy" },
        orderBy: { at: "asc" },
      });
    const runs = () => getPrisma().drillRun.count({ where: { plan: { key: "guard_copy" } } });
    const runsBefore = await runs();
    // guard_copy's schedule was removed by the previous test.
    await fire({ planKey: "guard_copy", clusterTargetId: fx.clusterId, cron: "0 3 * * 1" });
    await editPlan({ actor: sre, planKey: "guard_copy", patch: { schedule: "0 4 * * 1" } });
    await fire({ planKey: "guard_copy", clusterTargetId: fx.clusterId, cron: "0 3 * * 1" });
    await fire({ planKey: "guard_copy", clusterTargetId: "another-cluster", cron: "0 4 * * 1" });
    expect(enqueued).toEqual([]);
    expect((await stale()).map((e) => (e.details as { reason: string }).reason)).toEqual([
      expect.stringMatching(/has no schedule/),
      expect.stringMatching(/scheduled "0 4 \* \* 1", not "0 3 \* \* 1"/),
      expect.stringMatching(/targets cluster .* not another-cluster/),
    ]);
    expect(await runs()).toBe(runsBefore);
    await editPlan({ actor: sre, planKey: "guard_copy", patch: { schedule: null } });
    // Removing the schedule talked to the queue; leave no client behind for the database teardown.
    await stopBoss();
  });
});

describe("scheduled drills run unattended only when they can", () => {
  const tick = (planKey: string, enqueued: string[]) =>
    handleScheduledDrill(
      { planKey, clusterTargetId: fx.clusterId },
      { jobId: `j-${planKey}`, signal: new AbortController().signal },
      { enqueue: async (id) => void enqueued.push(id) },
    );
  const alertsOf = (planKey: string) =>
    getPrisma().drillRun.findMany({ where: { plan: { key: planKey }, trigger: "schedule", status: "failed" } });

  it("does not start a plan with a manual step, and shows why as a failed scheduled run", async () => {
    // Saving such a plan is refused now (schema.test); one stored before that rule still never runs unattended.
    await fx.addPlan("manual_sched", [
      { name: "Shift traffic", type: "manual", instruction: "Shift traffic to the DR region", timeoutSeconds: 60 },
    ]);
    await getPrisma().drPlan.updateMany({ where: { key: "manual_sched" }, data: { schedule: "0 4 * * *" } });
    const enqueued: string[] = [];
    await tick("manual_sched", enqueued);
    expect(enqueued).toEqual([]);
    const [alert] = await alertsOf("manual_sched");
    expect(alert!.verdictReason).toBe(
      "scheduled drill not started: plan manual_sched has manual steps (Shift traffic) that nobody would confirm: scheduled drills run only plans without manual steps",
    );
    expect(
      await getPrisma().auditEvent.count({ where: { action: "drill.schedule-skip", targetId: "manual_sched" } }),
    ).toBe(1);
    expect(await notified(alert!.id)).toEqual([
      { event: "drill.failed", summary: alert!.verdictReason, skipped: true },
    ]);
  });

  it("refuses a live drill of another plan on namespaces an active one uses, and alerts when the schedule clashes", async () => {
    // The scheduled run the test above started is still queued: let it finish first.
    for (const queued of await getPrisma().drillRun.findMany({ where: { status: "queued", mode: "live" } }))
      await fx.run(queued.id);
    const verifyOnly = [
      {
        name: "Verify",
        type: "verify_backup" as const,
        selector: "app.kubernetes.io/part-of=ml-platform",
        timeoutSeconds: 10,
      },
    ];
    await fx.addPlan("clash_a", verifyOnly);
    await fx.addPlan("clash_b", verifyOnly, { schedule: "0 5 * * *" });
    const a = await startDrill({
      actor: sre,
      input: { planKey: "clash_a", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    const refused = await rejection(
      startDrill({ actor: sre, input: { planKey: "clash_b", mode: "live", confirmation: "sandbox" }, ...noEnqueue }),
    );
    expect(refused).toMatchObject({ status: 409, code: "namespace_clash" });
    expect(refused.message).toBe(
      `live drill ${a.runId} of plan clash_a is active on sandbox in ml-inference: wait for it to finish or abort it before drilling the same namespaces`,
    );
    const enqueued: string[] = [];
    await tick("clash_b", enqueued);
    expect(enqueued).toEqual([]);
    const [skipped] = await alertsOf("clash_b");
    expect(skipped!.verdictReason).toContain(
      `scheduled drill not started: live drill ${a.runId} of plan clash_a is active`,
    );
    expect(await notified(skipped!.id)).toEqual([
      { event: "drill.failed", summary: skipped!.verdictReason, skipped: true },
    ]);
    // Dry runs change nothing and may overlap; once the first live run ends the second may start.
    await startDrill({ actor: sre, input: { planKey: "clash_b" }, ...noEnqueue });
    await fx.run(a.runId);
    const b = await startDrill({
      actor: sre,
      input: { planKey: "clash_b", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    await fx.run(b.runId);
  });
});

describe("the namespace clash check covers every cluster a plan touches", () => {
  it("refuses a live drill on a cluster that an active drill of another plan uses as its recovery cluster", async () => {
    const standby = await getPrisma().clusterTarget.create({
      data: {
        name: "clash-standby",
        apiServer: "https://standby.invalid",
        credentialRef: "kubeconfig-context:clash-standby",
        protectedNamespaces: [],
      },
    });
    const verify = {
      type: "verify_backup" as const,
      selector: "app.kubernetes.io/part-of=ml-platform",
      timeoutSeconds: 10,
    };
    await fx.addPlan("recovers_on_standby", [
      { ...verify, name: "Verify on the primary" },
      { ...verify, name: "Verify on the standby", clusterTargetId: standby.id },
    ]);
    await fx.addPlan("drills_the_standby", [{ ...verify, name: "Verify" }], {
      scope: { clusterTargetId: standby.id, namespaces: ["ml-inference"] },
    });
    const a = await startDrill({
      actor: sre,
      input: { planKey: "recovers_on_standby", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    try {
      const refused = await rejection(
        startDrill({
          actor: sre,
          input: { planKey: "drills_the_standby", mode: "live", confirmation: "clash-standby" },
          ...noEnqueue,
        }),
      );
      expect(refused).toMatchObject({ status: 409, code: "namespace_clash" });
      expect(refused.message).toBe(
        `live drill ${a.runId} of plan recovers_on_standby is active on clash-standby in ml-inference: wait for it to finish or abort it before drilling the same namespaces`,
      );
    } finally {
      await getPrisma().drillRun.update({
        where: { id: a.runId },
        data: { status: "failed", finishedAt: new Date(), liveLockKey: null },
      });
    }
  });

  it("refuses a second run of the same plan from another primary onto the same recovery cluster", async () => {
    const standby = await getPrisma().clusterTarget.findFirstOrThrow({ where: { name: "clash-standby" } });
    const primary2 = await getPrisma().clusterTarget.create({
      data: {
        name: "clash-primary-2",
        apiServer: "https://primary-2.invalid",
        credentialRef: "kubeconfig-context:clash-primary-2",
        protectedNamespaces: [],
      },
    });
    const a = await startDrill({
      actor: sre,
      input: { planKey: "recovers_on_standby", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    try {
      const refused = await rejection(
        startDrill({
          actor: sre,
          input: {
            planKey: "recovers_on_standby",
            clusterTargetId: primary2.id,
            mode: "live",
            confirmation: "clash-primary-2",
          },
          ...noEnqueue,
        }),
      );
      expect(refused).toMatchObject({ status: 409, code: "namespace_clash" });
      expect(refused.message).toMatch(
        new RegExp(`^live drill ${a.runId} of plan recovers_on_standby is active on ${standby.name} in ml-inference`),
      );
    } finally {
      await getPrisma().drillRun.update({
        where: { id: a.runId },
        data: { status: "failed", finishedAt: new Date(), liveLockKey: null },
      });
    }
  });
});
