// Applies and reverts of different requests racing on one cluster, against a real PostgreSQL and the HTTP double of
// the Kubernetes API. Each race is forced, not left to timing: the double holds one job's request (a "hold" fault)
// until the other job has either run to its end (what happened before the per-cluster lock) or is seen waiting for
// the cluster.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import type { FaultRule } from "@/test-support/k8s-api-double/fault-injector";
import { deletesShown } from "@/test-support/revert-confirmation";
import { insertApprovedRequest, startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { configMapIn, namespaceNamed, numberOf, statusOf } from "@/test-support/revert-kit";
import { handleRequestApply } from "./apply-request-job.server";
import { claimApplyRun } from "./apply-run-store.server";
import { forceApplyRequest } from "./force-apply-request.server";
import { revertRequest } from "./revert-request.server";
import { getRequestDetail } from "./get-request.server";
import { httpRejection } from "@/test-support/http-view";

const ctx = { jobId: "test-job", signal: new AbortController().signal };
const fast = { pollMs: 20, heartbeatMs: 50 };
let world: RequestWorld;

beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

const deploymentIn = (namespace: string, name: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: "server", image: "busybox:1.36" }] },
    },
  },
});
const live = (apiVersion: string, kind: string, namespace: string | undefined, name: string) =>
  world.double.state.get(world.double.state.findByKind(apiVersion, kind)!, namespace, name);
const namespaceExists = (name: string) => live("v1", "Namespace", undefined, name) !== undefined;
const rowsOf = (runId: string, phase: "apply" | "delete") =>
  getPrisma().applyObjectResult.findMany({
    where: { applyRunId: runId, phase },
    orderBy: [{ attempt: "asc" }, { index: "asc" }],
  });
const rowsText = async (runId: string, phase: "apply" | "delete") =>
  (await rowsOf(runId, phase)).map((r) => `${r.kind}/${r.name}:${r.outcome}`);
const waitingEvents = (requestId: string) =>
  getPrisma().requestEvent.findMany({ where: { requestId, type: "cluster.waiting" } });

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Holds the next request matching `rule` in the double until release(); arrived() once it is there. */
function holdNext(rule: Omit<FaultRule, "action"> & { method: string; path: RegExp }) {
  let open!: () => void;
  const until = new Promise<void>((resolve) => (open = resolve));
  const matching = () =>
    world.double.controls.requests().filter((r) => r.method === rule.method && rule.path.test(r.path)).length;
  const before = matching(); // an earlier apply's post-conditions may have read the same object
  const remove = world.double.faults.inject({ ...rule, action: { type: "hold", until } });
  return { arrived: () => matching() > before, release: () => (open(), remove()) };
}

/** Runs a job and says when it has ended, however it ended. */
function started(applyRunId: string, signal = ctx.signal) {
  let ended = false;
  const promise = handleRequestApply({ applyRunId }, { ...ctx, signal }, fast).finally(() => (ended = true));
  return { promise, ended: () => ended };
}

async function applied(objects: Parameters<typeof insertApprovedRequest>[1]) {
  const request = await insertApprovedRequest(world, objects);
  await handleRequestApply({ applyRunId: request.runId }, ctx, fast);
  expect(await statusOf(request.requestId)).toBe("applied");
  return request;
}

describe("applies and reverts on one cluster run one at a time", () => {
  it("A's revert, planned before B's apply wrote a row, does not delete the Namespace B's Deployment then lives in", async () => {
    const engineer = await world.user("engineer@demo.local");
    const a = await applied([namespaceNamed("zz-race"), configMapIn("zz-race", "a")]);
    const revertA = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 2),
    }); // nobody else applies the Namespace yet
    const b = await insertApprovedRequest(world, [namespaceNamed("zz-race"), deploymentIn("zz-race", "b-server")]);

    // A's revert has planned (the Namespace is its to delete) and reads the Namespace before deleting it: held there.
    const gate = holdNext({ method: "GET", path: /\/namespaces\/zz-race$/ });
    const jobA = started(revertA.applyRunId);
    await waitUntil(gate.arrived, "A's revert reading the Namespace");
    const jobB = started(b.runId);
    await waitUntil(
      async () => jobB.ended() || (await waitingEvents(b.requestId)).length > 0,
      "B's apply waiting for the cluster (or, unguarded, finishing)",
    );
    gate.release();
    await Promise.all([jobA.promise, jobB.promise]);

    expect(namespaceExists("zz-race")).toBe(true);
    expect(live("apps/v1", "Deployment", "zz-race", "b-server")).toBeTruthy();
    // A deleted what it planned to; B applied after it, on a cluster where the Namespace was gone, and re-created it.
    expect(await rowsText(revertA.applyRunId, "delete")).toEqual(["ConfigMap/a:deleted", "Namespace/zz-race:deleted"]);
    expect(await rowsText(b.runId, "apply")).toEqual(["Namespace/zz-race:created", "Deployment/b-server:created"]);
    const [waiting] = await waitingEvents(b.requestId);
    expect(waiting!.message).toBe(
      `Waiting for another operation on cluster sandbox (REQ-${await numberOf(a.requestId)}'s revert) to finish: applies and reverts on one cluster run one at a time`,
    );
    expect(waiting!.data).toMatchObject({ holder: { applyRunId: revertA.applyRunId, operation: "revert" } });
    expect(await statusOf(a.requestId)).toBe("reverted");
    expect(await statusOf(b.requestId)).toBe("applied");
  });

  it("two reverts at once, A the creator and B a re-applier: neither leaves the Namespace to the other forever", async () => {
    const engineer = await world.user("engineer@demo.local");
    const a = await applied([namespaceNamed("zz-pair"), configMapIn("zz-pair", "a")]);
    const b = await applied([namespaceNamed("zz-pair")]);
    const [numberA, numberB] = [await numberOf(a.requestId), await numberOf(b.requestId)];
    const revertA = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 1),
    }); // its ConfigMap; the Namespace stays for B
    const revertB = await revertRequest({
      actor: engineer,
      requestId: b.requestId,
      confirmedDeletes: await deletesShown(engineer, b.requestId, 0),
    }); // nothing; the Namespace stays for A

    // A has planned and written that it leaves the Namespace for B; it is held reading its ConfigMap.
    const gate = holdNext({ method: "GET", path: /\/namespaces\/zz-pair\/configmaps\/a$/ });
    const jobA = started(revertA.applyRunId);
    await waitUntil(gate.arrived, "A's revert reading its ConfigMap");
    const jobB = started(revertB.applyRunId);
    await waitUntil(
      async () => jobB.ended() || (await waitingEvents(b.requestId)).length > 0,
      "B's revert waiting for the cluster (or, unguarded, finishing)",
    );
    gate.release();
    await Promise.all([jobA.promise, jobB.promise]);

    expect(await rowsText(revertA.applyRunId, "delete")).toEqual([
      "Namespace/zz-pair:unchanged",
      "ConfigMap/a:deleted",
    ]);
    expect(await statusOf(a.requestId)).toBe("reverted");
    // B planned after A's revert: the Namespace is now B's to delete, but B's person confirmed deleting nothing.
    const [rowB] = await rowsOf(revertB.applyRunId, "delete");
    expect(rowB).toMatchObject({ kind: "Namespace", name: "zz-pair", outcome: "failed" });
    expect(rowB!.message).toBe(
      `Namespace zz-pair (created by REQ-${numberA}, left in place by its revert for this request): not deleted: not in what was confirmed: revert again to delete it`,
    );
    expect(namespaceExists("zz-pair")).toBe(true);
    expect(await statusOf(b.requestId)).toBe("apply_failed");

    // B still holds it: the dialog offers it, and the revert again deletes it.
    const detailB = await getRequestDetail({ actor: engineer, id: b.requestId });
    expect(detailB?.permissions.revert).toBe(true);
    expect(detailB?.revertInherits).toEqual([
      {
        ref: { apiVersion: "v1", kind: "Namespace", name: "zz-pair" },
        createdBy: [{ requestId: a.requestId, number: numberA }],
        leftForThisRequest: true,
      },
    ]);
    const again = await revertRequest({
      actor: engineer,
      requestId: b.requestId,
      confirmedDeletes: await deletesShown(engineer, b.requestId, 1),
    });
    await handleRequestApply({ applyRunId: again.applyRunId }, ctx, fast);
    expect(await rowsText(again.applyRunId, "delete")).toEqual(["Namespace/zz-pair:deleted"]);
    expect(namespaceExists("zz-pair")).toBe(false);
    expect(await statusOf(b.requestId)).toBe("reverted");
    expect(numberB).toBeGreaterThan(numberA);
  });

  it("a run waiting for its cluster keeps its lease, stops waiting when a newer attempt takes the run, and on abort", async () => {
    const engineer = await world.user("engineer@demo.local");
    const a = await applied([configMapIn("ml-training", "zz-wait-a")]);
    const revertA = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 1),
    });
    const b = await insertApprovedRequest(world, [configMapIn("ml-training", "zz-wait-b")]);
    const gate = holdNext({ method: "GET", path: /\/configmaps\/zz-wait-a$/ });
    const jobA = started(revertA.applyRunId);
    await waitUntil(gate.arrived, "A's revert reading its ConfigMap");

    const jobB = started(b.runId);
    await waitUntil(async () => (await waitingEvents(b.requestId)).length > 0, "B waiting for the cluster");
    const leaseOf = async () =>
      (await getPrisma().applyRun.findUniqueOrThrow({ where: { id: b.runId } })).leaseUntil!.getTime();
    const before = await leaseOf();
    await waitUntil(async () => (await leaseOf()) > before, "B's lease renewed while waiting", 5000);
    expect(await claimApplyRun(b.runId)).toMatchObject({ attempt: 2 }); // the queue's next delivery takes the run
    await jobB.promise; // the superseded wait ends quietly
    expect(await rowsOf(b.runId, "apply")).toEqual([]);

    const controller = new AbortController();
    const jobB3 = started(b.runId, controller.signal); // attempt 3
    await waitUntil(async () => (await waitingEvents(b.requestId)).length > 1, "attempt 3 waiting for the cluster");
    controller.abort(new Error("worker shutting down"));
    await expect(jobB3.promise).rejects.toThrow("worker shutting down"); // pg-boss retries it

    gate.release();
    await jobA.promise;
    await handleRequestApply({ applyRunId: b.runId }, ctx, fast); // attempt 4: the cluster is free
    expect(await rowsText(b.runId, "apply")).toEqual(["ConfigMap/zz-wait-b:created"]);
    expect(await statusOf(b.requestId)).toBe("applied");
  });
});

describe("a revert deletes only what was confirmed", () => {
  it("confirmed 0, then the creator's revert left the Namespace to it: nothing deleted, the Namespace named, and reverting again deletes it", async () => {
    const engineer = await world.user("engineer@demo.local");
    const a = await applied([namespaceNamed("zz-grown"), configMapIn("zz-grown", "a")]);
    const b = await applied([namespaceNamed("zz-grown")]);
    const numberA = await numberOf(a.requestId);
    const revertB = await revertRequest({
      actor: engineer,
      requestId: b.requestId,
      confirmedDeletes: await deletesShown(engineer, b.requestId, 0),
    }); // the dialog: nothing will be deleted
    const revertA = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 1),
    });
    await handleRequestApply({ applyRunId: revertA.applyRunId }, ctx, fast); // finishes before B's job starts
    expect(await rowsText(revertA.applyRunId, "delete")).toEqual([
      "Namespace/zz-grown:unchanged",
      "ConfigMap/a:deleted",
    ]);

    world.double.controls.clearRequests();
    await handleRequestApply({ applyRunId: revertB.applyRunId }, ctx, fast);
    expect(world.double.controls.requests().filter((r) => r.method === "DELETE")).toEqual([]);
    expect(namespaceExists("zz-grown")).toBe(true);
    expect(await rowsText(revertB.applyRunId, "delete")).toEqual(["Namespace/zz-grown:failed"]);
    const [failed] = await getPrisma().requestEvent.findMany({
      where: { requestId: b.requestId, type: "revert.failed" },
    });
    expect(failed!.message).toBe(
      `Revert incomplete: nothing deleted; not in what was confirmed: Namespace zz-grown (created by REQ-${numberA}, left in place by its revert for this request): revert again to delete it`,
    );
    expect(failed!.data).toMatchObject({ notConfirmed: [{ kind: "Namespace", name: "zz-grown" }] });
    expect((await getPrisma().applyRun.findUniqueOrThrow({ where: { id: revertB.applyRunId } })).error).toBe(
      "Namespace zz-grown: not in what was confirmed: revert again to delete it",
    );

    const again = await revertRequest({
      actor: engineer,
      requestId: b.requestId,
      confirmedDeletes: await deletesShown(engineer, b.requestId, 1),
    });
    await handleRequestApply({ applyRunId: again.applyRunId }, ctx, fast);
    expect(namespaceExists("zz-grown")).toBe(false);
    expect(await statusOf(b.requestId)).toBe("reverted");
  });

  it("confirmed the Namespace, then another request applied it: left for that request, named, and its workload stays", async () => {
    const engineer = await world.user("engineer@demo.local");
    const c = await applied([namespaceNamed("zz-shrunk"), configMapIn("zz-shrunk", "c")]);
    const revertC = await revertRequest({
      actor: engineer,
      requestId: c.requestId,
      confirmedDeletes: await deletesShown(engineer, c.requestId, 2),
    });
    const d = await applied([namespaceNamed("zz-shrunk"), configMapIn("zz-shrunk", "d")]); // before C's job runs
    await handleRequestApply({ applyRunId: revertC.applyRunId }, ctx, fast);
    expect(await rowsText(revertC.applyRunId, "delete")).toEqual([
      "Namespace/zz-shrunk:unchanged",
      "ConfigMap/c:deleted",
    ]);
    const [done] = await getPrisma().requestEvent.findMany({
      where: { requestId: c.requestId, type: "revert.succeeded" },
    });
    expect(done!.message).toBe(
      `Reverted: 1 objects deleted or already gone; left in place 1: Namespace zz-shrunk (still applied by REQ-${await numberOf(d.requestId)})`,
    );
    expect(live("v1", "ConfigMap", "zz-shrunk", "d")).toBeTruthy();
    expect(await statusOf(c.requestId)).toBe("reverted");
  });
});

describe("a stale worker", () => {
  it("whose attempt was superseded after it read the objects deletes nothing", async () => {
    const engineer = await world.user("engineer@demo.local");
    const a = await applied([configMapIn("ml-training", "zz-stale-1"), configMapIn("ml-training", "zz-stale-2")]);
    const revert = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 2),
    });
    world.double.controls.clearRequests();
    // Held reading the second object, the last call before its first delete; meanwhile the queue hands the run on.
    const gate = holdNext({ method: "GET", path: /\/configmaps\/zz-stale-2$/ });
    const job = started(revert.applyRunId);
    await waitUntil(gate.arrived, "the revert reading its objects");
    expect(await claimApplyRun(revert.applyRunId)).toMatchObject({ attempt: 2 });
    gate.release();
    await job.promise; // stops quietly
    expect(world.double.controls.requests().filter((r) => r.method === "DELETE")).toEqual([]);
    expect(live("v1", "ConfigMap", "ml-training", "zz-stale-1")).toBeTruthy();
    expect(live("v1", "ConfigMap", "ml-training", "zz-stale-2")).toBeTruthy();
    expect(await rowsOf(revert.applyRunId, "delete")).toEqual([]);

    await handleRequestApply({ applyRunId: revert.applyRunId }, ctx, fast); // attempt 3 does the revert
    expect((await rowsText(revert.applyRunId, "delete")).sort()).toEqual([
      "ConfigMap/zz-stale-1:deleted",
      "ConfigMap/zz-stale-2:deleted",
    ]);
    expect(await statusOf(a.requestId)).toBe("reverted");
  });
});

describe("queueing a run", () => {
  it("10 concurrent reverts of one request: exactly one run; the others get 409 naming it", async () => {
    const engineer = await world.user("engineer@demo.local");
    const a = await applied([configMapIn("ml-training", "zz-clicks")]);
    const shown = await deletesShown(engineer, a.requestId, 1);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        httpRejection(revertRequest({ actor: engineer, requestId: a.requestId, confirmedDeletes: shown })),
      ),
    );
    const queued = outcomes.filter(
      (o): o is PromiseFulfilledResult<{ applyRunId: string }> => o.status === "fulfilled",
    );
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(queued).toHaveLength(1);
    expect(await getPrisma().applyRun.count({ where: { requestId: a.requestId, operation: "revert" } })).toBe(1);
    const runId = queued[0]!.value.applyRunId;
    expect(refused).toHaveLength(9);
    for (const r of refused)
      expect(r.reason).toMatchObject({
        status: 409,
        message: `REQ-${await numberOf(a.requestId)} already has a revert in progress (run ${runId}, queued): wait for it to finish, then reload`,
      });
    expect(await getPrisma().requestEvent.count({ where: { requestId: a.requestId, type: "revert.queued" } })).toBe(1);
  });

  it("reverts and force-applies of one failed request at once: exactly one run", async () => {
    const engineer = await world.user("engineer@demo.local");
    const admin = await world.user("admin@demo.local");
    // The second object's apply fails: the request is apply_failed, with the first object created (a revert deletes it).
    const remove = world.double.faults.inject({
      method: "PATCH",
      applyOnly: true,
      dryRun: false,
      path: "zz-half-2",
      times: Infinity,
      action: { type: "status", code: 422, message: "injected: invalid" },
    });
    const a = await insertApprovedRequest(world, [
      configMapIn("ml-training", "zz-half-1"),
      configMapIn("ml-training", "zz-half-2"),
    ]);
    await handleRequestApply({ applyRunId: a.runId }, ctx, fast);
    remove();
    expect(await statusOf(a.requestId)).toBe("apply_failed");
    const shown = await deletesShown(engineer, a.requestId, 1);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        httpRejection(
          i % 2
            ? revertRequest({ actor: engineer, requestId: a.requestId, confirmedDeletes: shown })
            : forceApplyRequest({ actor: admin, requestId: a.requestId, reason: "the quota was raised meanwhile" }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === "rejected")
        expect(o.reason).toMatchObject({
          status: 409,
          message: expect.stringMatching(/already has an? (apply|revert) in progress \(run \w+, queued\)/),
        });
    expect(await getPrisma().applyRun.count({ where: { requestId: a.requestId } })).toBe(2); // the first apply and one more
  });
});
