import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { adminUrl } from "@/test-support/test-database";
import { noEnqueue, setUpDrillFixture, sre, waitFor, type DrillFixture } from "./__fixtures__/drill-fixture";
import { fencedWrite } from "./drill-store.server";
import { StaleAttemptError } from "@/lib/jobs/leased-run.server";
import { startDrill } from "./start-drill.server";
import { failExpiredDrillRuns } from "./sweep-drill-runs.server";

let fx: DrillFixture;
beforeAll(async () => {
  fx = await setUpDrillFixture();
  await fx.addPlan("recovery_plan", [
    { name: "Verify", type: "verify_backup", selector: "app.kubernetes.io/part-of=ml-platform", timeoutSeconds: 10 },
    { name: "Health", type: "http_health_check", url: fx.health.url, timeoutSeconds: 30 },
  ]);
});
afterAll(() => fx.close());

const startLive = () => startDrill(sre, { planKey: "recovery_plan", mode: "live", confirmation: "sandbox" }, noEnqueue);
const runOf = (id: string) =>
  getPrisma().drillRun.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { index: "asc" } } } });
const healthRunning = (id: string) =>
  waitFor(async () => (await runOf(id)).steps[1].state === "running", "the health step to run");

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

describe("a drill whose worker died", () => {
  it("is resumed by the next attempt once the lease lapses, and the stale attempt is fenced out", async () => {
    fx.health.setStatus(503);
    const started = await startLive();
    const worker = new AbortController();
    const first = fx.run(started.runId, { signal: worker.signal });
    await healthRunning(started.runId);
    const healthStartedAt = (await runOf(started.runId)).steps[1].startedAt;
    worker.abort();
    expect(await first).toMatchObject({ outcome: "interrupted" });
    expect((await runOf(started.runId)).status).toBe("running");

    setTimeout(() => fx.health.setStatus(200), 500);
    expect(await fx.run(started.runId)).toMatchObject({ outcome: "finished", status: "passed" });
    const run = await runOf(started.runId);
    expect(run.attempt).toBe(2);
    // The resumed step kept its original start (its timeout and the RTO count from there).
    expect(run.steps[1].startedAt).toEqual(healthStartedAt);
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
    expect(await fx.run(started.runId)).toEqual({
      outcome: "not_claimed",
      reason: "the drill run already ended (failed)",
    });
    fx.health.setStatus(200);
    const next = await startLive();
    expect(await fx.run(next.runId)).toMatchObject({ status: "passed" });
  });
});
