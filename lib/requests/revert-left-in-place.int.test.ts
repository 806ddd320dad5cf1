// A revert that deletes nothing and only leaves objects for the requests that still apply them, against a real
// PostgreSQL and the HTTP double of the Kubernetes API. A created a Namespace, B and C only re-applied it: once A is
// reverted, B and C must not each wait for the other forever.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { configMapIn, namespaceNamed, revertKit, statusOf } from "@/test-support/revert-kit";
import { revertRequest } from "./revert-request.server";
import { getRequestDetail } from "./get-request.server";
import { httpRejection } from "@/test-support/http-view";

let world: RequestWorld;
const { applied, reverted, namespaceExists } = revertKit(() => world);

beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

const namespaceRef = (name: string) => ({ apiVersion: "v1", kind: "Namespace", name });
const handleOf = async (requestId: string) => ({
  requestId,
  number: (await getPrisma().request.findUniqueOrThrow({ where: { id: requestId } })).number,
});
const deleteRows = (runId: string) =>
  getPrisma().applyObjectResult.findMany({ where: { applyRunId: runId, phase: "delete" }, orderBy: { index: "asc" } });
const rowsText = async (runId: string) => (await deleteRows(runId)).map((d) => `${d.kind}/${d.name}:${d.outcome}`);

describe("a revert that only leaves objects for other requests", () => {
  it("A created the Namespace, B and C re-applied it: A leaves it, B deletes nothing and is reverted, C deletes it", async () => {
    const engineer = await world.user("engineer@demo.local");
    const a = await applied([namespaceNamed("zz-held"), configMapIn("zz-held", "a")]);
    const b = await applied([namespaceNamed("zz-held")]);
    const c = await applied([namespaceNamed("zz-held")]);
    const [handleA, handleB, handleC] = [
      await handleOf(a.requestId),
      await handleOf(b.requestId),
      await handleOf(c.requestId),
    ];

    const revertA = await reverted(a.requestId, 1);
    expect(await rowsText(revertA)).toEqual(["Namespace/zz-held:unchanged", "ConfigMap/a:deleted"]);
    expect((await deleteRows(revertA))[0]!.message).toBe(
      `Namespace zz-held: left in place: still applied by REQ-${handleB.number}, REQ-${handleC.number}`,
    );
    expect(namespaceExists("zz-held")).toBe(true);

    // B created nothing and C still applies the Namespace: B's revert deletes nothing, says so, and can go ahead.
    const detailB = await getRequestDetail({ actor: engineer, id: b.requestId });
    expect(detailB?.revertLeavesInPlace).toEqual([{ ref: namespaceRef("zz-held"), stillAppliedBy: [handleC] }]);
    expect(detailB?.revertInherits).toEqual([]);
    expect(detailB?.permissions.revert).toBe(true);
    await expect(
      httpRejection(
        revertRequest({ actor: engineer, requestId: b.requestId, confirmedDeletes: [namespaceRef("zz-held")] }),
      ),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining(
        `No longer deleted: Namespace zz-held (left in place: still applied by REQ-${handleC.number}).`,
      ),
    });
    const revertB = await reverted(b.requestId, 0);
    expect(await rowsText(revertB)).toEqual(["Namespace/zz-held:unchanged"]);
    expect((await deleteRows(revertB))[0]!.message).toBe(
      `Namespace zz-held: left in place: still applied by REQ-${handleC.number}`,
    );
    expect(namespaceExists("zz-held")).toBe(true);
    expect(await statusOf(b.requestId)).toBe("reverted");
    const [doneB] = await getPrisma().requestEvent.findMany({
      where: { requestId: b.requestId, type: "revert.succeeded" },
    });
    expect(doneB!.message).toBe(
      `Reverted: nothing deleted; left in place 1: Namespace zz-held (still applied by REQ-${handleC.number})`,
    );
    expect(doneB!.data).toMatchObject({ leftInPlace: [{ ref: namespaceRef("zz-held"), stillAppliedBy: [handleC] }] });
    const audit = await getPrisma().auditEvent.findMany({
      where: { targetId: b.requestId, action: "request.revert" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((e) => [e.actorEmail, e.outcome])).toEqual([
      ["engineer@demo.local", "success"],
      [null, "success"],
    ]);
    expect((await getRequestDetail({ actor: engineer, id: b.requestId }))?.permissions.revert).toBe(false);

    // C is now the last that applies it: its revert inherits the Namespace from A and deletes it.
    const detailC = await getRequestDetail({ actor: engineer, id: c.requestId });
    expect(detailC?.revertInherits).toEqual([
      { ref: namespaceRef("zz-held"), createdBy: [handleA], leftForThisRequest: true },
    ]);
    expect(detailC?.revertLeavesInPlace).toEqual([]);
    const revertC = await reverted(c.requestId, 1);
    expect(await rowsText(revertC)).toEqual(["Namespace/zz-held:deleted"]);
    expect(namespaceExists("zz-held")).toBe(false);
    expect(await statusOf(c.requestId)).toBe("reverted");
  });

  it("B, which only re-applied A's Namespace, reverted before A: A's revert then deletes it (B no longer holds it)", async () => {
    const a = await applied([namespaceNamed("zz-first"), configMapIn("zz-first", "a")]);
    const b = await applied([namespaceNamed("zz-first")]);
    const revertB = await reverted(b.requestId, 0);
    expect((await deleteRows(revertB)).map((d) => d.message)).toEqual([
      `Namespace zz-first: left in place: still applied by REQ-${(await handleOf(a.requestId)).number}`,
    ]);
    expect(await statusOf(b.requestId)).toBe("reverted");
    const revertA = await reverted(a.requestId, 2);
    expect((await rowsText(revertA)).sort()).toEqual(["ConfigMap/a:deleted", "Namespace/zz-first:deleted"]);
    expect(namespaceExists("zz-first")).toBe(false);
  });

  it("refuses with 409, naming why, a request already reverted, one whose apply changed nothing, and one that only applied an object made outside the portal", async () => {
    const engineer = await world.user("engineer@demo.local");
    const a = await applied([namespaceNamed("zz-refused"), configMapIn("zz-refused", "a")]);
    const b = await applied([namespaceNamed("zz-refused")]);
    await applied([namespaceNamed("zz-refused")]);
    await reverted(a.requestId, 1);
    const number = async (requestId: string) => (await handleOf(requestId)).number;
    // Reverted with nothing deleted is still reverted: a second revert is refused, not queued.
    await reverted(b.requestId, 0);
    const numberB = await number(b.requestId);
    await expect(
      httpRejection(revertRequest({ actor: engineer, requestId: b.requestId, confirmedDeletes: [] })),
    ).rejects.toMatchObject({
      status: 409,
      message: `REQ-${numberB} is already reverted: there is nothing left to revert`,
    });
    await expect(
      httpRejection(revertRequest({ actor: engineer, requestId: a.requestId, confirmedDeletes: [] })),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("is already reverted"),
    });

    // An apply whose dry-run failed applied nothing at all.
    const failed = await applied([configMapIn("zz-nowhere", "lost")], "apply_failed");
    expect(await statusOf(failed.requestId)).toBe("apply_failed");
    expect((await getRequestDetail({ actor: engineer, id: failed.requestId }))?.permissions.revert).toBe(false);
    const numberFailed = await number(failed.requestId);
    await expect(
      httpRejection(revertRequest({ actor: engineer, requestId: failed.requestId, confirmedDeletes: [] })),
    ).rejects.toMatchObject({
      status: 409,
      message: `REQ-${numberFailed} has nothing to revert: it created no object that still exists, applies none that another request created and still applies, and no other request's revert left one to it`,
    });

    // A Namespace made with kubectl and re-applied by two requests is neither's to delete or to leave for the other.
    const def = world.double.state.findByKind("v1", "Namespace")!;
    expect(
      world.double.state.create(
        def,
        undefined,
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "zz-outside" } },
        { manager: "kubectl-create", dryRun: false },
      ).code,
    ).toBe(201);
    const d = await applied([namespaceNamed("zz-outside")]);
    const e = await applied([namespaceNamed("zz-outside")]);
    expect(await statusOf(d.requestId)).toBe("applied");
    for (const r of [d, e]) {
      expect((await getRequestDetail({ actor: engineer, id: r.requestId }))?.revertLeavesInPlace).toEqual([]);
      await expect(
        httpRejection(revertRequest({ actor: engineer, requestId: r.requestId, confirmedDeletes: [] })),
      ).rejects.toMatchObject({
        status: 409,
        message: expect.stringContaining("has nothing to revert"),
      });
    }
    expect(
      await getPrisma().applyRun.count({
        where: { requestId: { in: [failed.requestId, d.requestId, e.requestId] }, operation: "revert" },
      }),
    ).toBe(0);
  });
});
