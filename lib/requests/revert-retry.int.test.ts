// A revert that left an object in place for another request and then did not succeed (it failed on another object,
// or its worker died) still holds that object: its retry plans it again and deletes it or leaves it by name. Against
// a real PostgreSQL, the revert job and the HTTP double of the Kubernetes API. A created Namespace ns and ConfigMap a,
// B re-applied ns and created ConfigMap b; however their reverts fail and are retried, ns ends deleted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { deletesShown } from "@/test-support/revert-confirmation";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { configMapIn, namespaceNamed, numberOf, revertKit, statusOf } from "@/test-support/revert-kit";
import { handleRequestApply } from "./apply-request-job.server";
import { claimApplyRun } from "./apply-run-store.server";
import { getRequestDetail } from "./get-request.server";
import { revertRequest } from "./revert-request.server";

const ctx = { jobId: "test-job", signal: new AbortController().signal };
let world: RequestWorld;
const { applied, reverted, namespaceExists } = revertKit(() => world);

beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

const rowsText = async (runId: string, attempt?: number) =>
  (
    await getPrisma().applyObjectResult.findMany({
      where: { applyRunId: runId, phase: "delete", ...(attempt ? { attempt } : {}) },
      orderBy: [{ attempt: "asc" }, { index: "asc" }],
    })
  ).map((d) => `${d.kind}/${d.name}:${d.outcome}`);
/** The API server refuses to delete this ConfigMap (not retried) until the returned function is called. */
const refuseDeleteOf = (namespace: string, name: string) =>
  world.double.faults.inject({
    method: "DELETE",
    path: `/namespaces/${namespace}/configmaps/${name}`,
    times: Infinity,
    action: { type: "status", code: 403, message: "forbidden by a test" },
  });

async function appliedAB(ns: string) {
  const a = await applied([namespaceNamed(ns), configMapIn(ns, "a")]);
  const b = await applied([namespaceNamed(ns), configMapIn(ns, "b")]);
  return { a: a.requestId, b: b.requestId, numberA: await numberOf(a.requestId), numberB: await numberOf(b.requestId) };
}

describe("a revert that left an object for another request and did not succeed still holds it", () => {
  it("B's revert leaves ns for A and fails on b; A's revert leaves ns for B; B's retry deletes ns", async () => {
    const { a, b, numberA, numberB } = await appliedAB("zz-retry-b");
    const refused = refuseDeleteOf("zz-retry-b", "b");
    const revertB1 = await reverted(b, 1);
    refused();
    expect(await rowsText(revertB1)).toEqual(["Namespace/zz-retry-b:unchanged", "ConfigMap/b:failed"]);
    expect(await statusOf(b)).toBe("apply_failed");

    // B's failed revert still holds ns (its ConfigMap b is still in it): A leaves ns for B.
    const revertA = await reverted(a, 1);
    expect(await rowsText(revertA)).toEqual(["Namespace/zz-retry-b:unchanged", "ConfigMap/a:deleted"]);
    expect(
      (await getPrisma().applyObjectResult.findFirstOrThrow({ where: { applyRunId: revertA, kind: "Namespace" } }))
        .message,
    ).toBe(`Namespace zz-retry-b: left in place: still applied by REQ-${numberB}`);
    expect(await statusOf(a)).toBe("reverted");
    expect(namespaceExists("zz-retry-b")).toBe(true);

    // B's retry plans ns again: A's revert left it to B, and nobody else applies it.
    const engineer = await world.user("engineer@demo.local");
    const detail = await getRequestDetail({ actor: engineer, id: b });
    expect(detail?.revertInherits).toEqual([
      {
        ref: { apiVersion: "v1", kind: "Namespace", name: "zz-retry-b" },
        createdBy: [{ requestId: a, number: numberA }],
        leftForThisRequest: true,
      },
    ]);
    expect(detail?.revertLeavesInPlace).toEqual([]);
    const revertB2 = await reverted(b, 2);
    expect(await rowsText(revertB2)).toEqual(["ConfigMap/b:deleted", "Namespace/zz-retry-b:deleted"]);
    expect(await statusOf(b)).toBe("reverted");
    expect(namespaceExists("zz-retry-b")).toBe(false);
  });

  it("the mirror: A's revert leaves ns for B and fails on a; B's revert leaves ns for A; A's retry deletes ns", async () => {
    const { a, b, numberA } = await appliedAB("zz-retry-a");
    const refused = refuseDeleteOf("zz-retry-a", "a");
    const revertA1 = await reverted(a, 1);
    refused();
    expect(await rowsText(revertA1)).toEqual(["Namespace/zz-retry-a:unchanged", "ConfigMap/a:failed"]);

    const revertB = await reverted(b, 1);
    expect(await rowsText(revertB)).toEqual(["Namespace/zz-retry-a:unchanged", "ConfigMap/b:deleted"]);
    expect(
      (await getPrisma().applyObjectResult.findFirstOrThrow({ where: { applyRunId: revertB, kind: "Namespace" } }))
        .message,
    ).toBe(`Namespace zz-retry-a: left in place: still applied by REQ-${numberA}`);

    const revertA2 = await reverted(a, 2);
    expect(await rowsText(revertA2)).toEqual(["ConfigMap/a:deleted", "Namespace/zz-retry-a:deleted"]);
    expect([await statusOf(a), await statusOf(b)]).toEqual(["reverted", "reverted"]);
    expect(namespaceExists("zz-retry-a")).toBe(false);
  });

  it("A's worker dies after recording ns as left for B: the next attempt records and names ns again, and B's revert deletes it", async () => {
    const { a, b, numberB } = await appliedAB("zz-retry-dead");
    const engineer = await world.user("engineer@demo.local");
    const run = await revertRequest({
      actor: engineer,
      requestId: a,
      confirmedDeletes: await deletesShown(engineer, a, 1),
    });
    // The live read of ConfigMap a is held until a newer attempt has taken the run: attempt 1 has written ns's row
    // and then stops, as a worker that dies (or loses its lease) does.
    world.double.controls.clearRequests();
    const held = world.double.faults.inject({
      method: "GET",
      path: "/namespaces/zz-retry-dead/configmaps/a",
      action: { type: "delay", ms: 1000 },
    });
    const first = handleRequestApply({ applyRunId: run.applyRunId }, ctx);
    for (
      let i = 0;
      !world.double.controls
        .requests()
        .some((r) => r.method === "GET" && r.path.endsWith("/zz-retry-dead/configmaps/a"));
      i++
    ) {
      if (i > 200) throw new Error("the held read never came");
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await claimApplyRun(run.applyRunId)).toMatchObject({ attempt: 2 }); // the queue's next delivery, whose worker dies at once
    await first;
    held();
    expect(await rowsText(run.applyRunId, 1)).toEqual(["Namespace/zz-retry-dead:unchanged"]);

    await handleRequestApply({ applyRunId: run.applyRunId }, ctx); // attempt 3 finishes the run
    expect(await getPrisma().applyRun.findUniqueOrThrow({ where: { id: run.applyRunId } })).toMatchObject({
      status: "succeeded",
      attempt: 3,
    });
    // The request page shows only the latest attempt: it still names ns, and so does the result.
    const latest = (await getRequestDetail({ actor: engineer, id: a }))?.applyRuns.find((r) => r.id === run.applyRunId);
    expect(latest?.results.map((r) => `${r.kind}/${r.name}:${r.outcome}`)).toEqual([
      "Namespace/zz-retry-dead:unchanged",
      "ConfigMap/a:deleted",
    ]);
    const [done] = await getPrisma().requestEvent.findMany({ where: { requestId: a, type: "revert.succeeded" } });
    expect(done!.message).toBe(
      `Reverted: 1 objects deleted or already gone; left in place 1: Namespace zz-retry-dead (still applied by REQ-${numberB})`,
    );
    expect(namespaceExists("zz-retry-dead")).toBe(true);

    const revertB = await reverted(b, 2);
    expect(await rowsText(revertB)).toEqual(["ConfigMap/b:deleted", "Namespace/zz-retry-dead:deleted"]);
    expect(namespaceExists("zz-retry-dead")).toBe(false);
  });
});
