// A revert deletes only the very object the portal created: each apply row keeps the object's metadata.uid, and the
// revert deletes with preconditions.uid. Against a real PostgreSQL, the revert job and the HTTP double of the
// Kubernetes API (which refuses a DELETE whose uid precondition fails with 409 Conflict, as the API server does).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { namespaceNamed, numberOf, revertKit, statusOf } from "@/test-support/revert-kit";
import { handleRequestApply } from "./apply-request-job.server";

const ctx = { jobId: "test-job", signal: new AbortController().signal };
let world: RequestWorld;
const { applied, reverted } = revertKit(() => world);

beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

const namespaceDef = () => world.double.state.findByKind("v1", "Namespace")!;
const liveUid = (name: string) =>
  world.double.state.get(namespaceDef(), undefined, name)?.metadata.uid as string | undefined;
const applyRow = (runId: string) =>
  getPrisma().applyObjectResult.findFirstOrThrow({ where: { applyRunId: runId, phase: "apply" } });
const deleteRows = (runId: string) =>
  getPrisma().applyObjectResult.findMany({ where: { applyRunId: runId, phase: "delete" }, orderBy: { index: "asc" } });

/** kubectl delete namespace, then kubectl create namespace: the same name, another object (another uid). */
function remadeOutsideThePortal(name: string) {
  expect(world.double.state.delete(namespaceDef(), undefined, name).code).toBe(200);
  expect(
    world.double.state.create(
      namespaceDef(),
      undefined,
      { apiVersion: "v1", kind: "Namespace", metadata: { name } },
      { manager: "kubectl-create", dryRun: false },
    ).code,
  ).toBe(201);
}

describe("a revert deletes only the object the portal created (preconditions.uid)", () => {
  it("A created X, X was re-made with kubectl, B re-applied it: A leaves it for B, and B's revert leaves it too and says why", async () => {
    const a = await applied([namespaceNamed("zz-remade")]);
    const createdUid = liveUid("zz-remade");
    expect(createdUid).toBeTruthy();
    expect((await applyRow(a.runId)).uid).toBe(createdUid);

    remadeOutsideThePortal("zz-remade");
    const remadeUid = liveUid("zz-remade");
    expect(remadeUid).not.toBe(createdUid);
    const b = await applied([namespaceNamed("zz-remade")]);
    expect((await applyRow(b.runId)).uid).toBe(remadeUid);

    const revertA = await reverted(a.requestId, 0);
    expect((await deleteRows(revertA)).map((r) => r.message)).toEqual([
      `Namespace zz-remade: left in place: still applied by REQ-${await numberOf(b.requestId)}`,
    ]);
    // B inherits it from A and B's apply gave it the portal's field manager, but it is not the object A created.
    const revertB = await reverted(b.requestId, 1);
    const why = `re-created outside the portal since REQ-${await numberOf(a.requestId)} created it (uid changed)`;
    expect((await deleteRows(revertB)).map((r) => [r.outcome, r.httpStatus, r.message])).toEqual([
      ["unchanged", 409, `Namespace zz-remade was ${why}: left in place; delete it by hand if it should go`],
    ]);
    expect(liveUid("zz-remade")).toBe(remadeUid);
    expect(await statusOf(b.requestId)).toBe("reverted");
    const [done] = await getPrisma().requestEvent.findMany({
      where: { requestId: b.requestId, type: "revert.succeeded" },
    });
    expect(done!.message).toBe(`Reverted: nothing deleted; left in place 1: Namespace zz-remade (${why})`);
    expect(done!.data).toEqual({
      leftInPlace: [{ ref: { apiVersion: "v1", kind: "Namespace", name: "zz-remade" }, reason: why }],
    });
  });

  it("A created X, X was re-made with kubectl and A re-applied it: A's own revert leaves it", async () => {
    const a = await applied([namespaceNamed("zz-mine-remade")]);
    remadeOutsideThePortal("zz-mine-remade");
    const remadeUid = liveUid("zz-mine-remade");
    // A second apply run of A (what a forced re-apply records) gives the re-made Namespace the portal's field manager.
    const again = await getPrisma().applyRun.create({
      data: { requestId: a.requestId, fieldManager: "ml-portal", force: true },
    });
    await handleRequestApply({ applyRunId: again.id }, ctx);
    expect((await applyRow(again.id)).outcome).toBe("configured");

    const revertA = await reverted(a.requestId, 1);
    expect((await deleteRows(revertA)).map((r) => [r.outcome, r.message])).toEqual([
      [
        "unchanged",
        `Namespace zz-mine-remade was re-created outside the portal since REQ-${await numberOf(a.requestId)} created it (uid changed): left in place; delete it by hand if it should go`,
      ],
    ]);
    expect(liveUid("zz-mine-remade")).toBe(remadeUid);
  });

  it("still deletes the object the portal created: its own, one inherited, and one recorded before uids were kept", async () => {
    const a = await applied([namespaceNamed("zz-plain")]);
    expect(await deleteRows(await reverted(a.requestId, 1))).toMatchObject([{ outcome: "deleted" }]);
    expect(liveUid("zz-plain")).toBeUndefined();

    const creator = await applied([namespaceNamed("zz-passed-on")]);
    const holder = await applied([namespaceNamed("zz-passed-on")]);
    await reverted(creator.requestId, 0);
    expect(await deleteRows(await reverted(holder.requestId, 1))).toMatchObject([{ outcome: "deleted" }]);
    expect(liveUid("zz-passed-on")).toBeUndefined();

    const old = await applied([namespaceNamed("zz-before-uids")]);
    await getPrisma().applyObjectResult.updateMany({ where: { applyRunId: old.runId }, data: { uid: null } });
    expect(await deleteRows(await reverted(old.requestId, 1))).toMatchObject([{ outcome: "deleted" }]);
    expect(liveUid("zz-before-uids")).toBeUndefined();
  });
});
