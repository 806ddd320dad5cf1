// POST /api/v1/requests/{id}/revert through the route handler, a real PostgreSQL and the HTTP double of the Kubernetes
// API: the body carries the exact list the dialog showed as to be deleted; the endpoint queues the revert only when
// it is its plan's delete list (by object identity), stores that list as what was confirmed, and otherwise refuses
// naming what differs (409) or the missing field (422), queueing nothing. Only the session is stubbed.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import type { ObjectRef } from "@/lib/k8s/object-ref";
import { deletesShown } from "@/test-support/revert-confirmation";
import { insertApprovedRequest, startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { configMapIn, namespaceNamed, numberOf, statusOf } from "@/test-support/revert-kit";
import { POST } from "@/app/api/v1/requests/[id]/revert/route";
import { handleRequestApply } from "./apply-request-job.server";
import { revertRequest } from "./revert-request.server";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

const ctx = { jobId: "test-job", signal: new AbortController().signal };
let world: RequestWorld;
let engineer: PortalUser;

beforeAll(async () => {
  world = await startRequestWorld();
  engineer = await world.user("engineer@demo.local");
  session.user = engineer;
}, 60_000);
afterAll(async () => world?.close());

const revertRuns = (requestId: string) => getPrisma().applyRun.count({ where: { requestId, operation: "revert" } });
const queuedEvents = (requestId: string) =>
  getPrisma().requestEvent.findMany({ where: { requestId, type: "revert.queued" } });

async function applied(objects: Parameters<typeof insertApprovedRequest>[1]) {
  const request = await insertApprovedRequest(world, objects);
  await handleRequestApply({ applyRunId: request.runId }, ctx);
  expect(await statusOf(request.requestId)).toBe("applied");
  return request;
}

async function postRevert(requestId: string, body: unknown) {
  const response = await POST(
    new Request(`http://portal.test/api/v1/requests/${requestId}/revert`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: requestId }) },
  );
  return {
    status: response.status,
    json: (await response.json()) as {
      applyRunId?: string;
      error?: { code: string; message: string; fields?: { path: string; message: string }[] };
    },
  };
}

describe("POST /api/v1/requests/{id}/revert with the confirmed list", () => {
  it("queues the revert when the list is the plan's, and stores the list as the person confirmed it", async () => {
    const r = await applied([
      namespaceNamed("zz-equal"),
      configMapIn("zz-equal", "one"),
      configMapIn("zz-equal", "two"),
    ]);
    const shown = await deletesShown(engineer, r.requestId, 3);
    // The dialog's order (dependents first) is not the plan's (creation order): what is stored is what was sent.
    expect(shown.map((ref) => ref.name)).toEqual(["two", "one", "zz-equal"]);
    const { status, json } = await postRevert(r.requestId, { confirmedDeletes: shown });
    expect(status).toBe(200);
    expect(json.applyRunId).toEqual(expect.any(String));
    const [queued] = await queuedEvents(r.requestId);
    expect(queued!.data).toEqual({ applyRunId: json.applyRunId, confirmedDeletes: shown });
    expect(await statusOf(r.requestId)).toBe("applying");

    // The job deletes what was confirmed.
    await handleRequestApply({ applyRunId: json.applyRunId! }, ctx);
    expect(await statusOf(r.requestId)).toBe("reverted");
  });

  it("refuses with 409 a list of the same length that differs from the plan by an object each way, naming both, and queues nothing", async () => {
    // A created the Namespace; R re-applied it and created two ConfigMaps. R's dialog opens: it would delete r1 and r2,
    // and leave the Namespace for A.
    const a = await applied([namespaceNamed("zz-swap"), configMapIn("zz-swap", "a")]);
    const r = await applied([namespaceNamed("zz-swap"), configMapIn("zz-swap", "r1"), configMapIn("zz-swap", "r2")]);
    const dialogOpened = await deletesShown(engineer, r.requestId, 2);
    expect(dialogOpened.map((ref) => ref.name)).toEqual(["r2", "r1"]);

    // Before the click: D applies r2 too (R's revert must now leave it), and A's revert leaves the Namespace to R.
    const d = await applied([configMapIn("zz-swap", "r2")]);
    const revertA = await revertRequest({
      actor: engineer,
      requestId: a.requestId,
      confirmedDeletes: await deletesShown(engineer, a.requestId, 1),
    });
    await handleRequestApply({ applyRunId: revertA.applyRunId }, ctx);
    const [numberA, numberD] = [await numberOf(a.requestId), await numberOf(d.requestId)];
    expect((await deletesShown(engineer, r.requestId)).map((ref) => ref.name)).toEqual(["r1", "zz-swap"]); // still 2

    const refused = await postRevert(r.requestId, { confirmedDeletes: dialogOpened });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({
      code: "confirmation_changed",
      message:
        "the objects to delete changed since the dialog opened: reload and confirm again." +
        ` Would also be deleted: Namespace zz-swap (created by REQ-${numberA}, left in place by its revert for this request).` +
        ` No longer deleted: ConfigMap zz-swap/r2 (left in place: still applied by REQ-${numberD}).`,
      fields: [{ path: "confirmedDeletes", message: expect.stringContaining("reload the plan and confirm again") }],
    });
    expect(await revertRuns(r.requestId)).toBe(0);
    expect(await queuedEvents(r.requestId)).toEqual([]);
    expect(await statusOf(r.requestId)).toBe("applied");

    // After a reload the dialog shows the new list, and confirming it queues the revert.
    const reloaded = await deletesShown(engineer, r.requestId, 2);
    const accepted = await postRevert(r.requestId, { confirmedDeletes: reloaded });
    expect(accepted.status).toBe(200);
    expect((await queuedEvents(r.requestId)).map((e) => e.data)).toEqual([
      { applyRunId: accepted.json.applyRunId, confirmedDeletes: reloaded },
    ]);
  });

  it("refuses with 422 naming confirmedDeletes a body without the list (the old count), and queues nothing", async () => {
    const r = await applied([configMapIn("ml-training", "zz-count-only")]);
    for (const body of [{ confirmObjectCount: 1 }, {}]) {
      const { status, json } = await postRevert(r.requestId, body);
      expect(status).toBe(422);
      expect(json.error?.code).toBe("validation_failed");
      expect(json.error?.fields).toEqual([
        {
          path: "confirmedDeletes",
          message: expect.stringMatching(
            /^confirmedDeletes is required: send the objects the confirmation listed as to be deleted/,
          ),
        },
      ]);
      expect(json.error?.message).toContain("confirmedDeletes: confirmedDeletes is required");
    }
    const malformed: ObjectRef[] = [
      { apiVersion: "v1", kind: "ConfigMap", namespace: "ml-training", name: "zz/count-only" },
    ];
    const bad = await postRevert(r.requestId, { confirmedDeletes: malformed });
    expect(bad.status).toBe(422);
    expect(bad.json.error?.fields?.map((f) => f.path)).toEqual(["confirmedDeletes.0.name"]);
    expect(await revertRuns(r.requestId)).toBe(0);
    expect(await statusOf(r.requestId)).toBe("applied");
  });
});
