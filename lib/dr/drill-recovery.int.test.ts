import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { adminUrl } from "@/test-support/test-database";
import { noEnqueue, setUpDrillFixture, sre, waitFor, type DrillFixture } from "./__fixtures__/drill-fixture";
import { claimRun, fencedWrite } from "./drill-store.server";
import { StaleAttemptError } from "@/lib/jobs/leased-run.server";
import { getBoss, stopBoss } from "@/lib/jobs/queue.server";
import { startDrill } from "./start-drill.server";
import { failExpiredDrillRuns } from "./sweep-drill-runs.server";

let fx: DrillFixture;
beforeAll(async () => {
  fx = await setUpDrillFixture();
  // The notifications below are read from the queue's tables: create them before the first run raises one.
  await getBoss();
  await fx.addPlan("recovery_plan", [
    { name: "Verify", type: "verify_backup", selector: "app.kubernetes.io/part-of=ml-platform", timeoutSeconds: 10 },
    { name: "Health", type: "http_health_check", url: fx.health.url, timeoutSeconds: 30 },
  ]);
  await fx.addPlan("recovery_always_plan", [
    { name: "Verify", type: "verify_backup", selector: "app.kubernetes.io/part-of=ml-platform", timeoutSeconds: 10 },
    { name: "Health", type: "http_health_check", url: fx.health.url, timeoutSeconds: 30 },
    { name: "Never reached", type: "http_health_check", url: fx.health.url, timeoutSeconds: 30 },
    { name: "Clean up", type: "cleanup", always: true, timeoutSeconds: 10 },
  ]);
});
afterAll(async () => {
  await stopBoss({ graceful: false, timeout: 1000 }).catch(() => undefined);
  await fx.close();
});

const startLive = () =>
  startDrill({ actor: sre, input: { planKey: "recovery_plan", mode: "live", confirmation: "sandbox" }, ...noEnqueue });
const notifiedEvents = async (runId: string) =>
  (
    await getPrisma().$queryRawUnsafe<{ event: string }[]>(
      `SELECT data->>'event' AS event FROM pgboss.job WHERE name = 'notification.fanout' AND data->'data'->>'drillRunId' = $1`,
      runId,
    )
  ).map((r) => r.event);
const runOf = (id: string) =>
  getPrisma().drillRun.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { index: "asc" } } } });
const healthRunning = (id: string) =>
  waitFor(async () => (await runOf(id)).steps[1]!.state === "running", "the health step to run");

async function terminateBackends(database: string): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    const r = await admin.query(
      "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [database],
    );
    return r.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe("a drill survives losing its database connections", () => {
  it("keeps going after every backend of its database is terminated mid-drill", async () => {
    fx.health.setStatus(503);
    const started = await startLive();
    const running = fx.run(started.runId);
    await healthRunning(started.runId);
    expect(await terminateBackends(fx.dbName)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    fx.health.setStatus(200);
    expect(await running).toMatchObject({ outcome: "finished", status: "passed" });
    const run = await runOf(started.runId);
    expect(run).toMatchObject({ status: "passed", attempt: 1, liveLockKey: null });
  });
});

describe("claiming a drill run", () => {
  it("respects a live lease on the worker's clock and takes the run once it lapsed", async () => {
    const started = await startLive();
    const t0 = Date.now();
    expect(await claimRun(started.runId, 60_000, t0)).toEqual({ claimed: true, attempt: 1 });
    expect(await claimRun(started.runId, 60_000, t0 + 1000)).toEqual({
      claimed: false,
      reason: "another worker holds the run",
      leaseUntil: new Date(t0 + 60_000),
    });
    expect(await claimRun(started.runId, 60_000, t0 + 60_001)).toEqual({ claimed: true, attempt: 2 });
    expect(await runOf(started.runId)).toMatchObject({ status: "running", startedAt: new Date(t0) });
    await getPrisma().drillRun.update({ where: { id: started.runId }, data: { status: "aborted", liveLockKey: null } });
    expect(await claimRun(started.runId, 60_000, t0 + 200_000)).toEqual({
      claimed: false,
      reason: "the drill run already ended (aborted)",
    });
    expect(await claimRun("no-such-run", 60_000, t0)).toEqual({
      claimed: false,
      reason: "the drill run does not exist",
    });
  });
});

describe("a drill whose worker died", () => {
  it("is resumed by the next attempt once the lease lapses, and the stale attempt is fenced out", async () => {
    fx.health.setStatus(503);
    const started = await startLive();
    const worker = new AbortController();
    const first = fx.run(started.runId, { signal: worker.signal });
    await healthRunning(started.runId);
    const healthStartedAt = (await runOf(started.runId)).steps[1]!.startedAt;
    worker.abort();
    expect(await first).toMatchObject({ outcome: "interrupted" });
    expect((await runOf(started.runId)).status).toBe("running");

    setTimeout(() => fx.health.setStatus(200), 500);
    expect(await fx.run(started.runId)).toMatchObject({ outcome: "finished", status: "passed" });
    const run = await runOf(started.runId);
    expect(run.attempt).toBe(2);
    // The resumed step kept its original start (its timeout and the RTO count from there).
    expect(run.steps[1]!.startedAt).toEqual(healthStartedAt);
    expect(await getPrisma().auditEvent.count({ where: { action: "drill.resume", targetId: started.runId } })).toBe(1);
    const stale = fencedWrite({ runId: started.runId, attempt: 1, leaseMs: 1000, now: Date.now }, async (tx) =>
      tx.drillRun.update({ where: { id: started.runId }, data: { verdictReason: "stale" } }),
    );
    await expect(stale).rejects.toBeInstanceOf(StaleAttemptError);
    expect((await runOf(started.runId)).verdictReason).not.toBe("stale");
  });

  it("is ended as failed with the reason by the sweeper when nobody resumes it, releasing the live lock", async () => {
    fx.health.setStatus(503);
    const started = await startLive();
    const worker = new AbortController();
    const first = fx.run(started.runId, { signal: worker.signal });
    await healthRunning(started.runId);
    worker.abort();
    await first;
    expect(await failExpiredDrillRuns({ graceMs: 60_000 })).toEqual([]);
    const swept = await failExpiredDrillRuns({ now: Date.now() + 120_000, graceMs: 60_000 });
    expect(swept.map((s) => s.id)).toEqual([started.runId]);
    const run = await runOf(started.runId);
    expect(run.status).toBe("failed");
    expect(run.verdictReason).toMatch(
      /^the worker stopped renewing its lease at .* \(worker or database outage\) during step 2 \(Health\); ended so the run does not stay running$/,
    );
    expect(run.steps.map((s) => s.state)).toEqual(["succeeded", "failed"]);
    expect(run.liveLockKey).toBeNull();
    expect(await notifiedEvents(started.runId)).toEqual(["drill.failed"]);
    expect(await fx.run(started.runId)).toEqual({
      outcome: "not_claimed",
      reason: "the drill run already ended (failed)",
    });
    fx.health.setStatus(200);
    const next = await startLive();
    expect(await fx.run(next.runId)).toMatchObject({ status: "passed" });
  });

  it("runs the always-steps of an abandoned run in a new job, which ends it as failed and notifies", async () => {
    fx.health.setStatus(503);
    const started = await startDrill({
      actor: sre,
      input: { planKey: "recovery_always_plan", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    const worker = new AbortController();
    const first = fx.run(started.runId, { signal: worker.signal });
    await healthRunning(started.runId);
    worker.abort();
    await first;
    const queued: Array<[string, number, string]> = [];
    const enqueue = async (id: string, budget: number, key: string) => void queued.push([id, budget, key]);
    const swept = await failExpiredDrillRuns({ now: Date.now() + 120_000, graceMs: 60_000, enqueue });
    expect(swept).toEqual([expect.objectContaining({ id: started.runId, action: "running_always_steps" })]);
    expect(queued).toEqual([[started.runId, 900, `${started.runId}:always-steps`]]);
    let run = await runOf(started.runId);
    // Still held (not failed, lock kept) until the always-steps ran; the stuck step failed, the rest skipped.
    expect(run.status).toBe("running");
    expect(run.liveLockKey).not.toBeNull();
    expect(run.steps.map((s) => s.state)).toEqual(["succeeded", "failed", "skipped", "pending"]);
    expect(await notifiedEvents(started.runId)).toEqual([]);
    // A sweep before the queued job's grace period is over leaves the run to it.
    expect(await failExpiredDrillRuns({ graceMs: 60_000, enqueue })).toEqual([]);

    fx.health.setStatus(200);
    // The queued job runs at the sweep's time (two minutes on), when the lapsed lease is claimable.
    const later = () => Date.now() + 120_000;
    expect(await fx.run(started.runId, { now: later })).toMatchObject({ outcome: "finished", status: "failed" });
    run = await runOf(started.runId);
    expect(run.steps.map((s) => s.state)).toEqual(["succeeded", "failed", "skipped", "succeeded"]);
    expect(run.liveLockKey).toBeNull();
    expect(await notifiedEvents(started.runId)).toEqual(["drill.failed"]);
  });

  it("ends the run as failed when the always-steps job was itself abandoned", async () => {
    fx.health.setStatus(503);
    const started = await startDrill({
      actor: sre,
      input: { planKey: "recovery_always_plan", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    const worker = new AbortController();
    const first = fx.run(started.runId, { signal: worker.signal });
    await healthRunning(started.runId);
    worker.abort();
    await first;
    const enqueue = async () => undefined;
    await failExpiredDrillRuns({ now: Date.now() + 120_000, graceMs: 60_000, enqueue });
    // Nobody ran the queued job: the next sweep after the grace period gives the run up, with the first reason.
    const swept = await failExpiredDrillRuns({ now: Date.now() + 240_000, graceMs: 60_000, enqueue });
    expect(swept).toEqual([expect.objectContaining({ id: started.runId, action: "failed" })]);
    const run = await runOf(started.runId);
    expect(run.status).toBe("failed");
    expect(run.verdictReason).toMatch(/during step 2 \(Health\)/);
    expect(run.steps.map((s) => s.state)).toEqual(["succeeded", "failed", "skipped", "skipped"]);
    expect(run.liveLockKey).toBeNull();
    expect(await notifiedEvents(started.runId)).toEqual(["drill.failed"]);
    fx.health.setStatus(200);
  });
});
