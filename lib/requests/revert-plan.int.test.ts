// planRevert's lookup of other requests' results against a real PostgreSQL: the same object recorded under two
// versions of its API group (a HorizontalPodAutoscaler written as autoscaling/v2beta2 by an older request and as
// autoscaling/v2 by a newer one) is one object. The rows are planted: the Kubernetes API double serves only v2.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import type { ObjectRef } from "@/lib/k8s/object-ref";
import { insertApprovedRequest, startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { getRequestDetail } from "./get-request.server";
import { planRevert } from "./revert-plan.server";

let world: RequestWorld;

beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

const hpa = (apiVersion: string, name = "model-server"): ObjectRef => ({
  apiVersion,
  kind: "HorizontalPodAutoscaler",
  namespace: "zz-hpa",
  name,
});
const settings: ObjectRef = { apiVersion: "v1", kind: "ConfigMap", namespace: "zz-hpa", name: "settings" };

/** A request on `clusterTargetId` (the sandbox by default) whose apply run succeeded with these apply outcomes. */
async function appliedWith(
  objects: [ObjectRef, "created" | "configured" | "unchanged"][],
  clusterTargetId = world.sandboxId,
) {
  const { requestId, runId } = await insertApprovedRequest(world, []);
  const db = getPrisma();
  await db.request.update({ where: { id: requestId }, data: { status: "applied", clusterTargetId } });
  await db.applyRun.update({ where: { id: runId }, data: { status: "succeeded", attempt: 1, finishedAt: new Date() } });
  const row = (
    ref: ObjectRef,
    phase: "dry_run" | "apply" | "delete",
    index: number,
    outcome: "created" | "configured" | "unchanged" | "deleted",
  ) => ({
    applyRunId: runId,
    attempt: 1,
    phase,
    index,
    outcome,
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    namespace: ref.namespace ?? null,
    name: ref.name,
  });
  await db.applyObjectResult.createMany({
    data: [
      ...objects.map(([ref, outcome], i) => row(ref, "dry_run", i, outcome === "created" ? "created" : "unchanged")),
      ...objects.map(([ref, outcome], i) => row(ref, "apply", i, outcome)),
    ],
  });
  const number = (await db.request.findUniqueOrThrow({ where: { id: requestId } })).number;
  return { id: requestId, clusterTargetId, handle: { requestId, number } };
}

/** A revert of the request that succeeded, recording these delete rows. */
async function revertedWith(requestId: string, rows: [ObjectRef, "deleted" | "unchanged"][]) {
  const db = getPrisma();
  const run = await db.applyRun.create({
    data: {
      requestId,
      operation: "revert",
      status: "succeeded",
      attempt: 1,
      fieldManager: "ml-portal",
      finishedAt: new Date(),
    },
  });
  await db.applyObjectResult.createMany({
    data: rows.map(([ref, outcome], index) => ({
      applyRunId: run.id,
      attempt: 1,
      phase: "delete" as const,
      index,
      outcome,
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      namespace: ref.namespace ?? null,
      name: ref.name,
    })),
  });
  await db.request.update({ where: { id: requestId }, data: { status: "reverted" } });
}

describe("planRevert: one object under two versions of its API group", () => {
  it("A created the autoscaler as v2beta2 and B applied it as v2: A's revert leaves it for B, B's revert then deletes it (at v2)", async () => {
    const a = await appliedWith([
      [settings, "created"],
      [hpa("autoscaling/v2beta2"), "created"],
    ]);
    const b = await appliedWith([[hpa("autoscaling/v2"), "configured"]]);
    // Neither another group's object of the same kind and name, nor the same object on another cluster, holds it.
    await appliedWith([[{ ...hpa("example.com/v1") }, "unchanged"]]);
    const elsewhere = await getPrisma().clusterTarget.create({
      data: { name: "zz-other", apiServer: "https://127.0.0.1:1", credentialRef: "kubeconfig-context:other" },
    });
    await appliedWith([[hpa("autoscaling/v2"), "unchanged"]], elsewhere.id);

    const planA = await planRevert(getPrisma(), a);
    expect(planA.toDelete).toEqual([settings]);
    expect(planA.leftInPlace).toEqual([{ ref: hpa("autoscaling/v2beta2"), stillAppliedBy: [b.handle] }]);
    // The request page plans from the rows it loaded itself: the same answer.
    const engineer = await world.user("engineer@demo.local");
    const detailA = await getRequestDetail({ actor: engineer, id: a.id });
    expect(detailA?.revertLeavesInPlace).toEqual(planA.leftInPlace);

    // B still holds it until A's revert has left it: B leaves it for A.
    expect((await planRevert(getPrisma(), b)).leftInPlace).toEqual([
      { ref: hpa("autoscaling/v2"), stillAppliedBy: [a.handle] },
    ]);
    await revertedWith(a.id, [
      [hpa("autoscaling/v2beta2"), "unchanged"],
      [settings, "deleted"],
    ]);
    const planB = await planRevert(getPrisma(), b);
    expect(planB.toDelete).toEqual([hpa("autoscaling/v2")]);
    expect(planB.inherited).toEqual([{ ref: hpa("autoscaling/v2"), createdBy: [a.handle], leftForThisRequest: true }]);
    expect(planB.leftInPlace).toEqual([]);
  });

  it("A's revert leaves it while B (v2) applies it, and deletes it once B's revert left it for A", async () => {
    const name = "reverted-first";
    const a = await appliedWith([[hpa("autoscaling/v2beta2", name), "created"]]);
    const b = await appliedWith([[hpa("autoscaling/v2", name), "unchanged"]]);
    expect((await planRevert(getPrisma(), a)).leftInPlace).toEqual([
      { ref: hpa("autoscaling/v2beta2", name), stillAppliedBy: [b.handle] },
    ]);
    await revertedWith(b.id, [[hpa("autoscaling/v2", name), "unchanged"]]);
    const planA = await planRevert(getPrisma(), a);
    expect(planA.toDelete).toEqual([hpa("autoscaling/v2beta2", name)]);
    expect(planA.leftInPlace).toEqual([]);
  });
});
