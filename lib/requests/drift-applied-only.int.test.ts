// "Check drift" compares what was applied: nothing for an apply that failed before applying, and only the applied
// objects for one that stopped part-way (not the whole plan, whose unapplied objects would all read "missing").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import {
  configMaps,
  insertApprovedRequest,
  startRequestWorld,
  type RequestWorld,
} from "@/test-support/request-fixtures";
import { handleRequestApply } from "./apply-request-job.server";
import { checkRequestDrift } from "./check-request-drift.server";

const ctx = { jobId: "test-job", signal: new AbortController().signal };
let world: RequestWorld;
beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

describe("drift of a failed apply", () => {
  it("says nothing was applied when the apply failed before applying anything", async () => {
    const { requestId, runId } = await insertApprovedRequest(
      world,
      configMaps(3, "ml-training").map((o) => ({
        ...o,
        metadata: { ...o.metadata, name: `never-${o.metadata.name}` },
      })),
    );
    const remove = world.double.faults.inject({
      method: "PATCH",
      applyOnly: true,
      dryRun: true,
      path: "never-settings-2",
      times: Infinity,
      action: { type: "status", code: 422, message: "invalid" },
    });
    await handleRequestApply({ applyRunId: runId }, ctx);
    remove();
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("apply_failed");
    const report = await checkRequestDrift({ actor: await world.user("admin@demo.local"), requestId });
    expect(report).toMatchObject({ drifted: false, nothingApplied: true, compared: 0, planned: 3, objects: [] });
    const event = await getPrisma().requestEvent.findFirstOrThrow({ where: { requestId, type: "drift.checked" } });
    expect(event.message).toContain("nothing was applied yet, nothing to compare");
  });

  it("compares only the objects a part-way apply applied", async () => {
    const { requestId, runId } = await insertApprovedRequest(
      world,
      configMaps(5, "ml-inference").map((o) => ({
        ...o,
        metadata: { ...o.metadata, name: `partway-${o.metadata.name}` },
      })),
    );
    const remove = world.double.faults.inject({
      method: "PATCH",
      applyOnly: true,
      dryRun: false,
      path: "partway-settings-3",
      times: Infinity,
      action: { type: "status", code: 500, message: "etcdserver: request timed out" },
    });
    await handleRequestApply({ applyRunId: runId }, ctx);
    remove();
    const report = await checkRequestDrift({ actor: await world.user("admin@demo.local"), requestId });
    expect(report).toMatchObject({ drifted: false, nothingApplied: false, compared: 2, planned: 5 });
    expect(report.objects.map((o) => [o.ref.name, o.status])).toEqual([
      ["partway-settings-1", "in_sync"],
      ["partway-settings-2", "in_sync"],
    ]);
  });
});
