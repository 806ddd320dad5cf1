// A request may not write into a protected namespace: refused at submit with 422 naming the field, before a dry run
// reaches the cluster (even for a request stored before submit checked), and by the plan API's preview.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { POST as previewPlan } from "@/app/api/v1/plans/route";
import { submitRequest } from "./submit-request.server";
import { dryRunRequest } from "./dry-run-request.server";
import { httpView } from "@/test-support/http-view";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

let world: RequestWorld;
let engineer: PortalUser;

beforeAll(async () => {
  world = await startRequestWorld();
  engineer = await world.user("engineer@demo.local");
  session.user = engineer;
}, 60_000);
afterAll(async () => world?.close());

const submitInto = (namespaces: Record<string, string>) =>
  submitRequest({
    actor: engineer,
    input: {
      kind: "inference_scaling",
      title: "Into a namespace",
      teamId: engineer.teamIds[0]!,
      clusterTargetId: world.sandboxId,
      input: { namespaces },
    },
  });
const requestsStored = () => getPrisma().request.count();

describe("submitting a request into a protected namespace", () => {
  it("refuses kube-system as the inference namespace with 422 naming input.namespaces.inference, storing nothing", async () => {
    const before = await requestsStored();
    const error = await submitInto({ inference: "kube-system" }).catch(httpView);
    expect(error).toMatchObject({
      status: 422,
      fields: [{ path: "input.namespaces.inference", message: expect.stringContaining("system namespace") }],
    });
    expect(await requestsStored()).toBe(before);
  });

  it("refuses a namespace the target cluster protects (the sandbox protects velero), naming the field and the cluster", async () => {
    const error = await submitInto({ inference: "velero" }).catch(httpView);
    expect(error).toMatchObject({
      status: 422,
      code: "protected_namespace",
      fields: [
        { path: "input.namespaces.inference", message: expect.stringContaining('protected on cluster "sandbox"') },
      ],
    });
  });

  it("accepts a namespace of the team's own", async () => {
    await expect(submitInto({ inference: "ml-serving-team" })).resolves.toMatchObject({ status: "pending_approval" });
  });
});

describe("dry run of a request stored before the check", () => {
  it("is refused with 422 before anything reaches the cluster", async () => {
    const stored = await submitInto({ inference: "ml-dry-run" });
    // As a row written before submit refused protected namespaces would be.
    const row = await getPrisma().request.findUniqueOrThrow({ where: { id: stored.id } });
    await getPrisma().request.update({
      where: { id: stored.id },
      data: {
        input: {
          ...(row.input as object),
          namespaces: { ...(row.input as { namespaces: object }).namespaces, inference: "kube-system" },
        },
      },
    });
    const seen = world.double.controls.requests().length;
    const error = await dryRunRequest({ actor: engineer, requestId: stored.id }).catch(httpView);
    expect(error).toMatchObject({ status: 422, fields: [{ path: "input.namespaces.inference" }] });
    expect(world.double.controls.requests().length).toBe(seen);
  });
});

describe("POST /api/v1/plans (the preview)", () => {
  it("refuses a system namespace with 422 naming namespaces.inference", async () => {
    const response = await previewPlan(
      new Request("http://portal.test/api/v1/plans", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          infrastructure_task: "auto_scaling",
          workload_type: "inference",
          namespaces: { inference: "kube-system" },
        }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { fields: Array<{ path: string }> } };
    expect(body.error.fields.map((f) => f.path)).toContain("namespaces.inference");
  });
});
