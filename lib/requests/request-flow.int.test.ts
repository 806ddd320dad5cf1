// The request flow against a real PostgreSQL and the HTTP double of the Kubernetes API (issue 4's
// "Concurrency, faults, bad input").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { getPrisma } from "@/lib/db/prisma.server";
import { deletesShown } from "@/test-support/revert-confirmation";
import {
  configMaps,
  insertApprovedRequest,
  startRequestWorld,
  type RequestWorld,
} from "@/test-support/request-fixtures";
import { submitRequest } from "./submit-request.server";
import { decideRequest } from "./decide-request.server";
import { handleRequestApply } from "./apply-request-job.server";
import { claimApplyRun, failAbandonedApplyRuns, writeFenced } from "./apply-run-store.server";
import { StaleAttemptError } from "@/lib/jobs/leased-run.server";
import { dryRunRequest } from "./dry-run-request.server";
import { forceApplyRequest } from "./force-apply-request.server";
import { revertRequest } from "./revert-request.server";
import { getRequestDetail } from "./get-request.server";
import { httpRejection, type HttpView } from "@/test-support/http-view";

const ctx = { jobId: "test-job", signal: new AbortController().signal };
let world: RequestWorld;

beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

const configMapIn = (namespace: string, name: string) =>
  world.double.state.get(world.double.state.findByKind("v1", "ConfigMap")!, namespace, name);

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const resultsOf = (runId: string) =>
  getPrisma().applyObjectResult.findMany({ where: { applyRunId: runId, phase: "apply" }, orderBy: { index: "asc" } });

describe("approval", () => {
  it("20 concurrent approvals of one request: exactly one approval and one apply job, the others get 409", async () => {
    const engineer = await world.user("engineer@demo.local");
    const admin = await world.user("admin@demo.local");
    const submitted = await submitRequest({
      actor: engineer,
      input: {
        kind: "inference_scaling",
        title: "Llama serving",
        teamId: engineer.teamIds[0]!,
        clusterTargetId: world.sandboxId,
        input: { scale_requirements: { min_replicas: 1, max_replicas: 4 } },
      },
    });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        httpRejection(
          decideRequest({ actor: admin, requestId: submitted.id, decision: "approved", input: { comment: "ok" } }),
        ),
      ),
    );
    const ok = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect((r.reason as HttpView).status).toBe(409);
    expect(await getPrisma().approval.count({ where: { requestId: submitted.id } })).toBe(1);
    expect(await getPrisma().applyRun.count({ where: { requestId: submitted.id } })).toBe(1);
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const jobs = await client.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'request.apply' AND data->>'applyRunId' = $1`,
      [(ok[0] as PromiseFulfilledResult<{ applyRunId: string }>).value.applyRunId],
    );
    await client.end();
    expect(jobs.rows[0].n).toBe(1);
  });

  it("nobody approves their own request, and a finance user cannot approve at all (403, audited)", async () => {
    const admin = await world.user("admin@demo.local");
    const finance = await world.user("finance@demo.local");
    const own = await submitRequest({
      actor: admin,
      input: {
        kind: "node_pool",
        title: "Admin's own pool",
        teamId: admin.teamIds[0]!,
        clusterTargetId: world.sandboxId,
        input: {},
      },
    });
    await expect(
      httpRejection(
        decideRequest({ actor: admin, requestId: own.id, decision: "approved", input: { comment: "mine" } }),
      ),
    ).rejects.toMatchObject({
      status: 403,
    });
    await expect(
      httpRejection(
        decideRequest({ actor: finance, requestId: own.id, decision: "approved", input: { comment: "no" } }),
      ),
    ).rejects.toMatchObject({
      status: 403,
    });
    expect(await getPrisma().auditEvent.count({ where: { action: "request.approve", outcome: "denied" } })).toBe(2);
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: own.id } })).status).toBe("pending_approval");
  });

  it("invalid input is refused naming the field, and nothing is written", async () => {
    const engineer = await world.user("engineer@demo.local");
    const before = await getPrisma().request.count();
    const attempt = httpRejection(
      submitRequest({
        actor: engineer,
        input: {
          kind: "inference_scaling",
          title: "bad",
          teamId: engineer.teamIds[0]!,
          clusterTargetId: world.sandboxId,
          input: { scale_requirements: { min_replicas: 5, max_replicas: 3 } },
        },
      }),
    );
    await expect(httpRejection(attempt)).rejects.toMatchObject({ status: 422 });
    await attempt.catch((e: HttpView) =>
      expect(e.fields?.map((f) => f.path).join(" ")).toMatch(/input\.scale_requirements\.(min|max)_replicas/),
    );
    expect(await getPrisma().request.count()).toBe(before);
  });

  it("an unknown input key (gpu_count) is refused with 422 naming it, and nothing is written", async () => {
    const engineer = await world.user("engineer@demo.local");
    const before = await getPrisma().request.count();
    const attempt = httpRejection(
      submitRequest({
        actor: engineer,
        input: {
          kind: "inference_scaling",
          title: "typo",
          teamId: engineer.teamIds[0]!,
          clusterTargetId: world.sandboxId,
          input: { gpu_count: 8 },
        },
      }),
    );
    await expect(httpRejection(attempt)).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('"gpu_count"'),
    });
    expect(await getPrisma().request.count()).toBe(before);
  });

  it("an engineer cannot submit for another team", async () => {
    const engineer = await world.user("engineer@demo.local");
    const vision = await getPrisma().team.findUniqueOrThrow({ where: { slug: "vision" } });
    await expect(
      httpRejection(
        submitRequest({
          actor: engineer,
          input: {
            kind: "node_pool",
            title: "sneaky",
            teamId: vision.id,
            clusterTargetId: world.sandboxId,
            input: {},
          },
        }),
      ),
    ).rejects.toMatchObject({ status: 403 });
  });
});

describe("apply job", () => {
  it("applies objects in order and records each; a second identical apply changes nothing", async () => {
    const objects = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-idem" } },
      ...configMaps(3, "team-idem"),
    ];
    const first = await insertApprovedRequest(world, objects);
    await handleRequestApply({ applyRunId: first.runId }, ctx);
    expect((await resultsOf(first.runId)).map((r) => `${r.kind}/${r.name}:${r.outcome}`)).toEqual([
      "Namespace/team-idem:created",
      "ConfigMap/settings-1:created",
      "ConfigMap/settings-2:created",
      "ConfigMap/settings-3:created",
    ]);
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: first.requestId } })).status).toBe("applied");
    const second = await insertApprovedRequest(world, objects);
    await handleRequestApply({ applyRunId: second.runId }, ctx);
    expect((await resultsOf(second.runId)).map((r) => r.outcome)).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
    // A duplicate delivery of a finished run does nothing.
    await handleRequestApply({ applyRunId: second.runId }, ctx);
    expect((await getPrisma().applyRun.findUniqueOrThrow({ where: { id: second.runId } })).attempt).toBe(1);
  });

  it("the approval preview (dry-run) shows a change to what the portal applied before as a change, not a conflict", async () => {
    const applied = await insertApprovedRequest(world, [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "preview-own", namespace: "ml-inference" },
        data: { replicas: "2" },
      },
    ]);
    await handleRequestApply({ applyRunId: applied.runId }, ctx);
    const next = await insertApprovedRequest(world, [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "preview-own", namespace: "ml-inference" },
        data: { replicas: "3" },
      },
    ]);
    const preview = await dryRunRequest({ actor: await world.user("admin@demo.local"), requestId: next.requestId });
    expect(preview.ok).toBe(true);
    expect(preview.results).toEqual([expect.objectContaining({ outcome: "configured", conflicts: [] })]);
    // Not a workload, so changing the other request's object is said, not blocked.
    expect(preview.preconditions.conflicts).toEqual([expect.objectContaining({ blocking: false })]);
    expect(configMapIn("ml-inference", "preview-own")?.data).toEqual({ replicas: "2" }); // a dry-run changes nothing
  });

  it("the API server failing on the 3rd of 5 objects: retried, then recorded as failed with the reason; objects 1–2 stay recorded", async () => {
    const { requestId, runId } = await insertApprovedRequest(world, configMaps(5, "ml-training"));
    const remove = world.double.faults.inject({
      method: "PATCH",
      applyOnly: true,
      dryRun: false,
      path: "settings-3",
      times: Infinity,
      action: { type: "status", code: 500, message: "etcdserver: request timed out" },
    });
    await handleRequestApply({ applyRunId: runId }, ctx);
    remove();
    const results = await resultsOf(runId);
    expect(results.map((r) => r.outcome)).toEqual(["created", "created", "failed", "failed", "failed"]);
    expect(results[2]!.message).toContain("etcdserver: request timed out");
    expect(results[2]!.message).toMatch(/after \d+ attempts/);
    expect(results[3]!.message).toContain("not applied because");
    const requestAfter = await getPrisma().request.findUniqueOrThrow({ where: { id: requestId } });
    expect(requestAfter.status).toBe("apply_failed");
    const patches = world.double.controls
      .requests()
      .filter((r) => r.method === "PATCH" && !r.dryRun && r.path.endsWith("settings-3"));
    expect(patches.length).toBeGreaterThan(1);
  });

  it("a dry-run rejected with 422 sends no real apply", async () => {
    world.double.controls.clearRequests();
    const bad = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "negative", namespace: "ml-inference" },
      spec: {
        replicas: -1,
        selector: { matchLabels: { a: "b" } },
        template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "busybox:1.36" }] } },
      },
    };
    const { requestId, runId } = await insertApprovedRequest(world, [...configMaps(1, "ml-inference"), bad]);
    await handleRequestApply({ applyRunId: runId }, ctx);
    const realPatches = world.double.controls.requests().filter((r) => r.method === "PATCH" && !r.dryRun);
    expect(realPatches).toEqual([]);
    const dry = await getPrisma().applyObjectResult.findMany({
      where: { applyRunId: runId, phase: "dry_run", outcome: "failed" },
    });
    expect(dry).toHaveLength(1);
    expect(dry[0]!.httpStatus).toBe(422);
    const events = await getPrisma().requestEvent.findMany({ where: { requestId, type: "apply.failed" } });
    expect(events[0]!.message).toContain("nothing was applied");
  });

  it("a 409 conflict is shown with field and manager, never forced silently; an admin's force apply takes over (audited)", async () => {
    const cm = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "shared-settings", namespace: "ml-inference" },
      data: { mode: "portal" },
    };
    // Someone else owns data.mode already.
    const other = await insertApprovedRequest(world, [{ ...cm, data: { mode: "kubectl" } }]);
    await getPrisma().applyRun.update({ where: { id: other.runId }, data: { fieldManager: "kubectl" } });
    await handleRequestApply({ applyRunId: other.runId }, ctx);
    const { requestId, runId } = await insertApprovedRequest(world, [cm]);
    await handleRequestApply({ applyRunId: runId }, ctx);
    // The dry-run already meets the conflict, so nothing is applied.
    expect(await resultsOf(runId)).toEqual([]);
    const [failed] = await getPrisma().applyObjectResult.findMany({ where: { applyRunId: runId, phase: "dry_run" } });
    expect(failed!.outcome).toBe("failed");
    expect(failed!.httpStatus).toBe(409);
    expect(failed!.conflicts).toEqual([
      expect.objectContaining({ manager: "kubectl", field: expect.stringContaining("data.mode") }),
    ]);
    const admin = await world.user("admin@demo.local");
    const engineer = await world.user("engineer@demo.local");
    await expect(
      httpRejection(forceApplyRequest({ actor: engineer, requestId, reason: "because I want to" })),
    ).rejects.toMatchObject({
      status: 403,
    });
    const forced = await forceApplyRequest({
      actor: admin,
      requestId,
      reason: "the kubectl edit was a hotfix now in the plan",
    });
    await handleRequestApply({ applyRunId: forced.applyRunId }, ctx);
    expect((await resultsOf(forced.applyRunId)).map((r) => r.outcome)).toEqual(["configured"]);
    expect(
      await getPrisma().auditEvent.count({
        where: { action: "request.force-apply", targetId: requestId, outcome: "success" },
      }),
    ).toBe(1);
  });

  it("a stale worker whose lease was taken over cannot overwrite the newer attempt's results", async () => {
    const { runId } = await insertApprovedRequest(world, configMaps(1, "ml-training"));
    const stale = await claimApplyRun(runId);
    const fresh = await claimApplyRun(runId);
    expect(stale && fresh && fresh.attempt).toBe((stale?.attempt ?? 0) + 1);
    await expect(writeFenced(stale!, async () => "written")).rejects.toBeInstanceOf(StaleAttemptError);
    await expect(writeFenced(fresh!, async () => "written")).resolves.toBe("written");
    // The stale worker's handler exits quietly; the run is still finished by the fresh attempt.
    await handleRequestApply({ applyRunId: runId }, ctx);
    expect((await getPrisma().applyRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe("succeeded");
  });

  it("a run whose worker died and whose retries are spent is ended with a reason, never left running", async () => {
    const { requestId, runId } = await insertApprovedRequest(world, configMaps(1, "ml-training"));
    await claimApplyRun(runId);
    const later = new Date(Date.now() + 60 * 60 * 1000);
    expect(await failAbandonedApplyRuns(later)).toBeGreaterThanOrEqual(1);
    const run = await getPrisma().applyRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("failed");
    expect(run.error).toContain("stopped responding");
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("apply_failed");
  });

  it("revert deletes only what the request created: a namespace that existed before stays", async () => {
    const objects = [
      {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "ml-inference", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
      },
      ...configMaps(2, "ml-inference").map((o) => ({
        ...o,
        metadata: { ...o.metadata, name: `revert-${o.metadata.name}` },
      })),
    ];
    const { requestId, runId } = await insertApprovedRequest(world, objects);
    await handleRequestApply({ applyRunId: runId }, ctx);
    expect((await resultsOf(runId)).map((r) => r.outcome)).toEqual(["configured", "created", "created"]);
    const engineer = await world.user("engineer@demo.local");
    // Confirming the Namespace too (it existed before the request) is confirming something the revert does not do.
    const shown = await deletesShown(engineer, requestId, 2);
    await expect(
      httpRejection(
        revertRequest({
          actor: engineer,
          requestId,
          confirmedDeletes: [...shown, { apiVersion: "v1", kind: "Namespace", name: "ml-inference" }],
        }),
      ),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("No longer deleted: Namespace ml-inference (not this request's to delete)."),
    });
    const revert = await revertRequest({ actor: engineer, requestId, confirmedDeletes: shown });
    await handleRequestApply({ applyRunId: revert.applyRunId }, ctx);
    const deleted = await getPrisma().applyObjectResult.findMany({
      where: { applyRunId: revert.applyRunId, phase: "delete" },
    });
    expect(deleted.map((d) => `${d.kind}/${d.name}:${d.outcome}`).sort()).toEqual([
      "ConfigMap/revert-settings-1:deleted",
      "ConfigMap/revert-settings-2:deleted",
    ]);
    expect(
      world.double.state.get(world.double.state.findByKind("v1", "Namespace")!, undefined, "ml-inference"),
    ).toBeTruthy();
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("reverted");
    await expect(
      httpRejection(revertRequest({ actor: engineer, requestId, confirmedDeletes: [] })),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("is already reverted"),
    });
  });
  it("a worker that dies after the API server created an object but before recording it: the retry sees it unchanged, revert still deletes it", async () => {
    const objects = configMaps(3, "ml-training").map((o) => ({
      ...o,
      metadata: { ...o.metadata, name: `crash-${o.metadata.name}` },
    }));
    const { requestId, runId } = await insertApprovedRequest(world, objects);
    world.double.controls.clearRequests();
    // The 2nd object's real apply is held until a newer attempt has taken the run: the API server creates it, then the
    // old worker's write of its result is refused, exactly what a worker that dies (or loses its lease) leaves behind.
    const remove = world.double.faults.inject({
      method: "PATCH",
      applyOnly: true,
      dryRun: false,
      path: "crash-settings-2",
      action: { type: "delay", ms: 1000 },
    });
    const first = handleRequestApply({ applyRunId: runId }, ctx);
    await waitUntil(
      () =>
        world.double.controls
          .requests()
          .some((r) => r.method === "PATCH" && !r.dryRun && r.path.endsWith("/crash-settings-2")),
      "the held apply",
    );
    expect(await claimApplyRun(runId)).toMatchObject({ attempt: 2 }); // the queue's next delivery, whose worker dies at once
    await first; // the stale worker stops without writing
    remove();
    expect(configMapIn("ml-training", "crash-settings-2")).toBeTruthy();
    const attempt1 = await getPrisma().applyObjectResult.findMany({
      where: { applyRunId: runId, attempt: 1 },
      orderBy: [{ phase: "asc" }, { index: "asc" }],
    });
    expect(attempt1.map((r) => `${r.phase}:${r.name}:${r.outcome}`)).toEqual([
      "dry_run:crash-settings-1:created",
      "dry_run:crash-settings-2:created",
      "dry_run:crash-settings-3:created",
      "apply:crash-settings-1:created",
    ]);

    await handleRequestApply({ applyRunId: runId }, ctx); // attempt 3 finishes the run
    const run = await getPrisma().applyRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: "succeeded", attempt: 3 });
    expect(
      (
        await getPrisma().applyObjectResult.findMany({
          where: { applyRunId: runId, attempt: 3, phase: "apply" },
          orderBy: { index: "asc" },
        })
      ).map((r) => r.outcome),
    ).toEqual(["unchanged", "unchanged", "created"]);

    // The confirmation lists all three objects, the one whose "created" row was lost included.
    const engineer = await world.user("engineer@demo.local");
    const withoutLost = (await deletesShown(engineer, requestId, 3)).filter((ref) => ref.name !== "crash-settings-2");
    await expect(
      httpRejection(revertRequest({ actor: engineer, requestId, confirmedDeletes: withoutLost })),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("Would also be deleted: ConfigMap ml-training/crash-settings-2."),
    });
    const revert = await revertRequest({
      actor: engineer,
      requestId,
      confirmedDeletes: await deletesShown(engineer, requestId, 3),
    });
    await handleRequestApply({ applyRunId: revert.applyRunId }, ctx);
    const deleted = await getPrisma().applyObjectResult.findMany({
      where: { applyRunId: revert.applyRunId, phase: "delete" },
    });
    expect(deleted.map((d) => `${d.name}:${d.outcome}`).sort()).toEqual([
      "crash-settings-1:deleted",
      "crash-settings-2:deleted",
      "crash-settings-3:deleted",
    ]);
    for (const name of ["crash-settings-1", "crash-settings-2", "crash-settings-3"])
      expect(configMapIn("ml-training", name)).toBeUndefined();
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("reverted");
  });

  it("revert leaves in place, and names, an object somebody else re-created after the apply", async () => {
    const objects = configMaps(2, "ml-training").map((o) => ({
      ...o,
      metadata: { ...o.metadata, name: `guard-${o.metadata.name}` },
    }));
    const { requestId, runId } = await insertApprovedRequest(world, objects);
    await handleRequestApply({ applyRunId: runId }, ctx);
    expect((await resultsOf(runId)).map((r) => r.outcome)).toEqual(["created", "created"]);
    // Someone deletes the portal's object and creates their own under the same name (kubectl create).
    const def = world.double.state.findByKind("v1", "ConfigMap")!;
    world.double.state.delete(def, "ml-training", "guard-settings-2");
    expect(
      world.double.state.create(
        def,
        "ml-training",
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "guard-settings-2" }, data: { owner: "someone" } },
        { manager: "kubectl-create", dryRun: false },
      ).code,
    ).toBe(201);

    const engineer = await world.user("engineer@demo.local");
    const revert = await revertRequest({
      actor: engineer,
      requestId,
      confirmedDeletes: await deletesShown(engineer, requestId, 2),
    });
    await handleRequestApply({ applyRunId: revert.applyRunId }, ctx);
    const rows = await getPrisma().applyObjectResult.findMany({
      where: { applyRunId: revert.applyRunId, phase: "delete" },
    });
    expect(rows.map((d) => `${d.name}:${d.outcome}`).sort()).toEqual([
      "guard-settings-1:deleted",
      "guard-settings-2:unchanged",
    ]);
    expect(rows.find((d) => d.name === "guard-settings-2")?.message).toContain(
      `field manager "ml-portal" no longer applies it`,
    );
    expect(configMapIn("ml-training", "guard-settings-1")).toBeUndefined();
    expect(configMapIn("ml-training", "guard-settings-2")?.data).toEqual({ owner: "someone" });
    const [done] = await getPrisma().requestEvent.findMany({ where: { requestId, type: "revert.succeeded" } });
    expect(done!.message).toContain("left in place 1: ConfigMap ml-training/guard-settings-2");
    expect(done!.data).toMatchObject({ leftInPlace: [{ ref: { name: "guard-settings-2" } }] });
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("reverted");
    // What was left is no longer counted as the request's: the detail page offers nothing more to revert.
    const detail = await getRequestDetail({ actor: engineer, id: requestId });
    expect(detail?.createdObjects).toEqual([]);
  });
});

describe("revert of objects another request still applies", () => {
  // Every request applies under the one field manager, so the cluster cannot tell that a later request uses the
  // Namespace an earlier one created: deleting it would delete the later request's objects with it.
  // Labelled like a plan's Namespace: an apply of a bare name owns no field, and the field manager check alone would
  // already keep it.
  const sharedNamespace = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "zz-shared", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
  };
  const configMapNamed = (name: string) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: "zz-shared" },
    data: { owner: name },
  });
  const namespaceExists = () =>
    world.double.state.get(world.double.state.findByKind("v1", "Namespace")!, undefined, "zz-shared") !== undefined;
  const numberOf = async (requestId: string) =>
    (await getPrisma().request.findUniqueOrThrow({ where: { id: requestId } })).number;
  const deleteRows = (runId: string) =>
    getPrisma().applyObjectResult.findMany({
      where: { applyRunId: runId, phase: "delete" },
      orderBy: { index: "asc" },
    });

  it("reverting A leaves the Namespace a later request B still applies, names B, and deletes only A's own ConfigMap", async () => {
    const engineer = await world.user("engineer@demo.local");
    const a = await insertApprovedRequest(world, [sharedNamespace, configMapNamed("a")]);
    await handleRequestApply({ applyRunId: a.runId }, ctx);
    expect((await resultsOf(a.runId)).map((r) => `${r.kind}/${r.name}:${r.outcome}`)).toEqual([
      "Namespace/zz-shared:created",
      "ConfigMap/a:created",
    ]);
    const b = await insertApprovedRequest(world, [sharedNamespace, configMapNamed("b")]);
    await handleRequestApply({ applyRunId: b.runId }, ctx);
    expect((await resultsOf(b.runId)).map((r) => `${r.kind}/${r.name}:${r.outcome}`)).toEqual([
      "Namespace/zz-shared:unchanged",
      "ConfigMap/b:created",
    ]);
    // A request on another cluster that applied an object of the same name holds nothing here.
    const elsewhere = await insertApprovedRequest(world, [sharedNamespace, configMapNamed("a")]);
    const otherCluster = await getPrisma().clusterTarget.create({
      data: { name: "zz-other", apiServer: "https://other.invalid", credentialRef: "kubeconfig-context:other" },
    });
    await getPrisma().request.update({
      where: { id: elsewhere.requestId },
      data: { clusterTargetId: otherCluster.id, status: "applied" },
    });
    await getPrisma().applyRun.update({
      where: { id: elsewhere.runId },
      data: {
        status: "succeeded",
        attempt: 1,
        results: {
          create: [
            {
              attempt: 1,
              phase: "apply",
              index: 0,
              apiVersion: "v1",
              kind: "ConfigMap",
              namespace: "zz-shared",
              name: "a",
              outcome: "unchanged",
            },
          ],
        },
      },
    });
    const numberB = await numberOf(b.requestId);

    // The dialog and the endpoint agree with the job: one object to delete, the Namespace left for REQ-B.
    const detailA = await getRequestDetail({ actor: engineer, id: a.requestId });
    expect(detailA?.createdObjects.map((r) => r.name)).toEqual(["zz-shared", "a"]);
    expect(detailA?.revertLeavesInPlace).toEqual([
      {
        ref: { apiVersion: "v1", kind: "Namespace", name: "zz-shared" },
        stillAppliedBy: [{ requestId: b.requestId, number: numberB }],
      },
    ]);
    const withNamespace = [
      ...(await deletesShown(engineer, a.requestId, 1)),
      { apiVersion: "v1", kind: "Namespace", name: "zz-shared" },
    ];
    await expect(
      httpRejection(revertRequest({ actor: engineer, requestId: a.requestId, confirmedDeletes: withNamespace })),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining(
        `No longer deleted: Namespace zz-shared (left in place: still applied by REQ-${numberB}).`,
      ),
    });
    const revertA = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 1),
    });
    await handleRequestApply({ applyRunId: revertA.applyRunId }, ctx);

    expect((await deleteRows(revertA.applyRunId)).map((d) => `${d.kind}/${d.name}:${d.outcome}`)).toEqual([
      "Namespace/zz-shared:unchanged",
      "ConfigMap/a:deleted",
    ]);
    expect((await deleteRows(revertA.applyRunId))[0]!.message).toBe(
      `Namespace zz-shared: left in place: still applied by REQ-${numberB}`,
    );
    expect(configMapIn("zz-shared", "a")).toBeUndefined();
    expect(namespaceExists()).toBe(true);
    expect(configMapIn("zz-shared", "b")?.data).toEqual({ owner: "b" }); // B's workload survives
    const [doneA] = await getPrisma().requestEvent.findMany({
      where: { requestId: a.requestId, type: "revert.succeeded" },
    });
    expect(doneA!.message).toContain(`left in place 1: Namespace zz-shared (still applied by REQ-${numberB})`);
    expect(doneA!.data).toMatchObject({
      leftInPlace: [{ ref: { kind: "Namespace", name: "zz-shared" }, stillAppliedBy: [{ number: numberB }] }],
    });
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: a.requestId } })).status).toBe("reverted");
    expect((await getRequestDetail({ actor: engineer, id: a.requestId }))?.createdObjects).toEqual([]);
  });

  it("reverting B after A deletes the Namespace A's revert left for it: the dialog, the endpoint and the job agree", async () => {
    const engineer = await world.user("engineer@demo.local");
    const ns = { ...sharedNamespace, metadata: { ...sharedNamespace.metadata, name: "zz-inherited" } };
    const cm = (name: string) => ({ ...configMapNamed(name), metadata: { name, namespace: "zz-inherited" } });
    const namespaceGone = () =>
      world.double.state.get(world.double.state.findByKind("v1", "Namespace")!, undefined, "zz-inherited") ===
      undefined;
    const a = await insertApprovedRequest(world, [ns, cm("a")]);
    await handleRequestApply({ applyRunId: a.runId }, ctx);
    const b = await insertApprovedRequest(world, [ns, cm("b")]);
    await handleRequestApply({ applyRunId: b.runId }, ctx);
    expect((await resultsOf(b.runId)).map((r) => `${r.kind}/${r.name}:${r.outcome}`)).toEqual([
      "Namespace/zz-inherited:unchanged",
      "ConfigMap/b:created",
    ]);
    const numberA = await numberOf(a.requestId);
    // Before A is reverted the Namespace is A's: B's revert would delete only ConfigMap b.
    expect((await getRequestDetail({ actor: engineer, id: b.requestId }))?.revertInherits).toEqual([]);
    const revertA = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 1),
    });
    await handleRequestApply({ applyRunId: revertA.applyRunId }, ctx);
    expect((await deleteRows(revertA.applyRunId)).map((d) => `${d.kind}/${d.name}:${d.outcome}`)).toEqual([
      "Namespace/zz-inherited:unchanged",
      "ConfigMap/a:deleted",
    ]);
    expect(namespaceGone()).toBe(false);

    // B did not create the Namespace, but A's revert left it for B and nobody else applies it: B's revert deletes it.
    const detailB = await getRequestDetail({ actor: engineer, id: b.requestId });
    expect(detailB?.createdObjects.map((r) => r.name)).toEqual(["b"]);
    expect(detailB?.revertInherits).toEqual([
      {
        ref: { apiVersion: "v1", kind: "Namespace", name: "zz-inherited" },
        createdBy: [{ requestId: a.requestId, number: numberA }],
        leftForThisRequest: true,
      },
    ]);
    expect(detailB?.revertLeavesInPlace).toEqual([]);
    expect(detailB?.permissions.revert).toBe(true);
    const beforeARevert = [{ apiVersion: "v1", kind: "ConfigMap", namespace: "zz-inherited", name: "b" }]; // what B's dialog listed then
    await expect(
      httpRejection(revertRequest({ actor: engineer, requestId: b.requestId, confirmedDeletes: beforeARevert })),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining(
        `Would also be deleted: Namespace zz-inherited (created by REQ-${numberA}, left in place by its revert for this request).`,
      ),
    });
    const revertB = await revertRequest({
      actor: engineer,
      requestId: b.requestId,
      confirmedDeletes: await deletesShown(engineer, b.requestId, 2),
    });
    await handleRequestApply({ applyRunId: revertB.applyRunId }, ctx);

    const rows = await deleteRows(revertB.applyRunId);
    expect(rows.map((d) => `${d.kind}/${d.name}:${d.outcome}`)).toEqual([
      "ConfigMap/b:deleted",
      "Namespace/zz-inherited:deleted",
    ]);
    expect(rows[1]!.message).toBe(
      `Namespace zz-inherited: deleted (created by REQ-${numberA}, left in place by its revert for this request)`,
    );
    expect(configMapIn("zz-inherited", "b")).toBeUndefined();
    expect(namespaceGone()).toBe(true);
    const [doneB] = await getPrisma().requestEvent.findMany({
      where: { requestId: b.requestId, type: "revert.succeeded" },
    });
    expect(doneB!.message).toBe(
      `Reverted: 2 objects deleted or already gone, including Namespace zz-inherited (created by REQ-${numberA}, left in place by its revert for this request)`,
    );
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: b.requestId } })).status).toBe("reverted");
  });

  it("a request that created nothing deletes the object once a creator's revert left it to it", async () => {
    const engineer = await world.user("engineer@demo.local");
    const ns = { ...sharedNamespace, metadata: { ...sharedNamespace.metadata, name: "zz-only" } };
    const a = await insertApprovedRequest(world, [
      ns,
      { ...configMapNamed("a"), metadata: { name: "a", namespace: "zz-only" } },
    ]);
    await handleRequestApply({ applyRunId: a.runId }, ctx);
    const b = await insertApprovedRequest(world, [ns]);
    await handleRequestApply({ applyRunId: b.runId }, ctx);
    // Before A is reverted B's revert would delete nothing: the Namespace is A's, and B's revert would leave it to A.
    expect((await getRequestDetail({ actor: engineer, id: b.requestId }))?.revertLeavesInPlace).toEqual([
      {
        ref: { apiVersion: "v1", kind: "Namespace", name: "zz-only" },
        stillAppliedBy: [{ requestId: a.requestId, number: await numberOf(a.requestId) }],
      },
    ]);
    const revertA = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 1),
    });
    await handleRequestApply({ applyRunId: revertA.applyRunId }, ctx);
    expect((await getRequestDetail({ actor: engineer, id: b.requestId }))?.permissions.revert).toBe(true);
    const revertB = await revertRequest({
      actor: engineer,
      requestId: b.requestId,
      confirmedDeletes: await deletesShown(engineer, b.requestId, 1),
    });
    await handleRequestApply({ applyRunId: revertB.applyRunId }, ctx);
    expect((await deleteRows(revertB.applyRunId)).map((d) => `${d.kind}/${d.name}:${d.outcome}`)).toEqual([
      "Namespace/zz-only:deleted",
    ]);
    expect(
      world.double.state.get(world.double.state.findByKind("v1", "Namespace")!, undefined, "zz-only"),
    ).toBeUndefined();
  });

  it("an inherited object is still deleted only while the portal's field manager applies it", async () => {
    const engineer = await world.user("engineer@demo.local");
    const ns = { ...sharedNamespace, metadata: { ...sharedNamespace.metadata, name: "zz-taken" } };
    const cm = (name: string) => ({ ...configMapNamed(name), metadata: { name, namespace: "zz-taken" } });
    const a = await insertApprovedRequest(world, [ns, cm("a")]);
    await handleRequestApply({ applyRunId: a.runId }, ctx);
    const b = await insertApprovedRequest(world, [ns, cm("b")]);
    await handleRequestApply({ applyRunId: b.runId }, ctx);
    const revertA = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 1),
    });
    await handleRequestApply({ applyRunId: revertA.applyRunId }, ctx);
    // Somebody re-creates the Namespace as their own: the recorded results cannot know, the live check does.
    const def = world.double.state.findByKind("v1", "Namespace")!;
    world.double.state.delete(def, undefined, "zz-taken");
    expect(
      world.double.state.create(
        def,
        undefined,
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "zz-taken", labels: { owner: "someone" } } },
        { manager: "kubectl-create", dryRun: false },
      ).code,
    ).toBe(201);
    const revertB = await revertRequest({
      actor: engineer,
      requestId: b.requestId,
      confirmedDeletes: await deletesShown(engineer, b.requestId, 2),
    });
    await handleRequestApply({ applyRunId: revertB.applyRunId }, ctx);
    const rows = await deleteRows(revertB.applyRunId);
    expect(rows.find((d) => d.kind === "Namespace")).toMatchObject({
      outcome: "unchanged",
      message: expect.stringContaining(`field manager "ml-portal" no longer applies it`),
    });
    expect(world.double.state.get(def, undefined, "zz-taken")?.metadata.labels).toMatchObject({ owner: "someone" });
  });

  it("an object left for several requests goes with the revert of the last of them, not before", async () => {
    const engineer = await world.user("engineer@demo.local");
    const ns = { ...sharedNamespace, metadata: { ...sharedNamespace.metadata, name: "zz-last" } };
    const cm = (name: string) => ({ ...configMapNamed(name), metadata: { name, namespace: "zz-last" } });
    const namespaceGone = () =>
      world.double.state.get(world.double.state.findByKind("v1", "Namespace")!, undefined, "zz-last") === undefined;
    const [a, b, c] = [
      await insertApprovedRequest(world, [ns, cm("a")]),
      await insertApprovedRequest(world, [ns, cm("b")]),
      await insertApprovedRequest(world, [ns, cm("c")]),
    ];
    for (const r of [a, b, c]) await handleRequestApply({ applyRunId: r.runId }, ctx);
    const revertA = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 1),
    });
    await handleRequestApply({ applyRunId: revertA.applyRunId }, ctx);
    // C still applies the Namespace: reverting B deletes only B's ConfigMap, and names the Namespace it leaves for C.
    expect((await getRequestDetail({ actor: engineer, id: b.requestId }))?.revertInherits).toEqual([]);
    const revertB = await revertRequest({
      actor: engineer,
      requestId: b.requestId,
      confirmedDeletes: await deletesShown(engineer, b.requestId, 1),
    });
    await handleRequestApply({ applyRunId: revertB.applyRunId }, ctx);
    expect((await deleteRows(revertB.applyRunId)).map((d) => `${d.kind}/${d.name}:${d.outcome}`)).toEqual([
      "Namespace/zz-last:unchanged",
      "ConfigMap/b:deleted",
    ]);
    expect(namespaceGone()).toBe(false);
    expect(configMapIn("zz-last", "c")?.data).toEqual({ owner: "c" });
    // C is the last: its revert takes the Namespace.
    expect(
      (await getRequestDetail({ actor: engineer, id: c.requestId }))?.revertInherits.map((i) =>
        i.createdBy.map((h) => h.requestId),
      ),
    ).toEqual([[a.requestId]]);
    const revertC = await revertRequest({
      actor: engineer,
      requestId: c.requestId,
      confirmedDeletes: await deletesShown(engineer, c.requestId, 2),
    });
    await handleRequestApply({ applyRunId: revertC.applyRunId }, ctx);
    expect((await deleteRows(revertC.applyRunId)).map((d) => `${d.kind}/${d.name}:${d.outcome}`)).toEqual([
      "ConfigMap/c:deleted",
      "Namespace/zz-last:deleted",
    ]);
    expect(namespaceGone()).toBe(true);
  });

  it("a request reverted since its apply holds nothing: the Namespace it shared is deleted with the last revert of its creator", async () => {
    const engineer = await world.user("engineer@demo.local");
    const ns = { ...sharedNamespace, metadata: { ...sharedNamespace.metadata, name: "zz-released" } };
    const cm = (name: string) => ({ ...configMapNamed(name), metadata: { name, namespace: "zz-released" } });
    const a = await insertApprovedRequest(world, [ns, cm("a")]);
    await handleRequestApply({ applyRunId: a.runId }, ctx);
    const b = await insertApprovedRequest(world, [ns, cm("b")]);
    await handleRequestApply({ applyRunId: b.runId }, ctx);
    const revertB = await revertRequest({
      actor: engineer,
      requestId: b.requestId,
      confirmedDeletes: await deletesShown(engineer, b.requestId, 1),
    });
    await handleRequestApply({ applyRunId: revertB.applyRunId }, ctx);
    expect((await getRequestDetail({ actor: engineer, id: a.requestId }))?.revertLeavesInPlace).toEqual([]);
    const revertA = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 2),
    });
    await handleRequestApply({ applyRunId: revertA.applyRunId }, ctx);
    expect((await deleteRows(revertA.applyRunId)).map((d) => `${d.kind}/${d.name}:${d.outcome}`).sort()).toEqual([
      "ConfigMap/a:deleted",
      "Namespace/zz-released:deleted",
    ]);
    expect(
      world.double.state.get(world.double.state.findByKind("v1", "Namespace")!, undefined, "zz-released"),
    ).toBeUndefined();
  });
});
