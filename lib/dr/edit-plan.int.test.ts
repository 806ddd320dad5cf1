// PATCH /api/v1/dr-plans/{key} changes only what the body names: the stored plan is the base, the body is merged
// onto it and the result is validated as a whole. Through the route handler; only the session is stubbed.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { PATCH } from "@/app/api/v1/dr-plans/[key]/route";
import { setUpDrillFixture, sre, type DrillFixture } from "./__fixtures__/drill-fixture";
import { planFromRow } from "./plan-rows";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

let fx: DrillFixture;
beforeAll(async () => {
  fx = await setUpDrillFixture();
  session.user = sre;
  await fx.addPlan(
    "patch_plan",
    [
      { name: "Verify", type: "verify_backup", selector: "app.kubernetes.io/part-of=ml-platform", timeoutSeconds: 10 },
      { name: "Health", type: "http_health_check", url: fx.health.url, timeoutSeconds: 10 },
    ],
    { description: "Restores model artifacts", schedule: "0 3 * * 1", allowRestoreWarnings: true },
  );
});
afterAll(() => fx.close());

const patch = (body: unknown) =>
  PATCH(
    new Request("http://portal.test/api/v1/dr-plans/patch_plan", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ key: "patch_plan" }) },
  );
const latest = async () => {
  const row = await getPrisma().drPlan.findFirstOrThrow({ where: { key: "patch_plan" }, orderBy: { version: "desc" } });
  return { version: row.version, plan: planFromRow(row) };
};

describe("PATCH /api/v1/dr-plans/{key}", () => {
  it("renames a plan with a health check and keeps its description, schedule, scope and steps", async () => {
    const before = await latest();
    const response = await patch({ name: "Renamed plan" });
    expect(response.status).toBe(200);
    const after = await latest();
    expect(after.version).toBe(before.version + 1);
    expect(after.plan).toEqual({ ...before.plan, name: "Renamed plan" });
    expect(after.plan).toMatchObject({
      description: "Restores model artifacts",
      schedule: "0 3 * * 1",
      allowRestoreWarnings: true,
      scope: { clusterTargetId: fx.clusterId },
    });
  });

  it("changes the namespaces of the scope and keeps its cluster", async () => {
    const before = await latest();
    expect((await patch({ scope: { namespaces: ["ml-inference", "ml-training"] } })).status).toBe(200);
    expect((await latest()).plan).toEqual({
      ...before.plan,
      scope: { clusterTargetId: fx.clusterId, namespaces: ["ml-inference", "ml-training"] },
    });
  });

  it("clears the schedule only when asked to", async () => {
    expect((await patch({ schedule: null, changeNote: "pause scheduled drills" })).status).toBe(200);
    expect((await latest()).plan.schedule).toBeNull();
  });

  it("refuses an invalid merged plan or the former plan allow-list with 422 naming the field, storing nothing", async () => {
    const before = await latest();
    const bad = await patch({ rtoMinutes: 0 });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.fields).toEqual([
      expect.objectContaining({ path: expect.stringMatching(/rtoMinutes$/) }),
    ]);
    const old = await patch({ healthCheckAllowList: [fx.health.url] });
    expect(old.status).toBe(422);
    expect((await old.json()).error.fields).toEqual([
      {
        path: expect.stringMatching(/healthCheckAllowList$/),
        message: expect.stringMatching(/URL allow-list in Settings/),
      },
    ]);
    expect((await latest()).version).toBe(before.version);
  });

  it("refuses a schedule on a plan with a manual step with 422 on the schedule field and its fix, storing nothing", async () => {
    const before = await latest();
    const steps = [
      ...before.plan.steps,
      { name: "Smoke tests", type: "manual", instruction: "Run the smoke tests", timeoutSeconds: 60 },
    ];
    const response = await patch({ schedule: "0 3 * * 1", steps });
    expect(response.status).toBe(422);
    expect((await response.json()).error.fields).toEqual([
      {
        path: "schedule",
        message:
          "a scheduled drill runs unattended, but steps 3 (Smoke tests) need an operator: remove the schedule (run this plan by hand) or replace the manual steps",
      },
    ]);
    expect((await latest()).version).toBe(before.version);
    // Without the schedule the same steps are fine: the plan is run by hand.
    expect((await patch({ schedule: null, steps })).status).toBe(200);
  });
});
