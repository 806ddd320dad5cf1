// The live cluster view against the sandbox's demo state (the API double, through the portal's own client):
// nodes by pool, the waiting training pod and its events, and each request's objects with their live status.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { readClusterLiveView } from "./cluster-live-view.server";

let world: RequestWorld;
let admin: PortalUser;
let requestNumber: number;

beforeAll(async () => {
  world = await startRequestWorld();
  admin = await world.user("admin@demo.local");
  const engineer = await world.user("engineer@demo.local");
  const db = getPrisma();
  const request = await db.request.create({
    data: {
      kind: "inference_scaling",
      title: "live view fixture",
      teamId: engineer.teamIds[0]!,
      requesterId: engineer.id,
      clusterTargetId: world.sandboxId,
      status: "applied",
      input: {},
      plan: { deployment_manifests: [] } as object,
      planHash: "fixture",
      monthlyCostUsd: 0,
      securityScore: 100,
      criticalFindings: 0,
    },
  });
  requestNumber = request.number;
  const row = (index: number, kind: string, apiVersion: string, name: string) => ({
    attempt: 1,
    phase: "apply" as const,
    index,
    apiVersion,
    kind,
    namespace: "ml-inference",
    name,
    outcome: "created" as const,
  });
  await db.applyRun.create({
    data: {
      requestId: request.id,
      fieldManager: "ml-portal",
      status: "succeeded",
      attempt: 1,
      results: {
        create: [
          row(0, "Deployment", "apps/v1", "llm-server"),
          row(1, "ConfigMap", "v1", "llm-server-config"),
          row(2, "ConfigMap", "v1", "deleted-by-hand"),
          { ...row(3, "ConfigMap", "v1", "never-applied"), outcome: "failed" },
        ],
      },
    },
  });
}, 60_000);
afterAll(async () => {
  await world?.close();
});

describe("the live cluster view", () => {
  it("shows GPU capacity, allocatable and allocated per pool from the cluster's nodes and pods", async () => {
    const view = await readClusterLiveView({ actor: admin, clusterId: world.sandboxId });
    if (!view?.reachable) throw new Error(`expected a reachable sandbox, got ${JSON.stringify(view)}`);
    const pools = Object.fromEntries(
      view.inventory.pools.map((p) => [p.name, [p.nodes.length, p.gpuAllocatable, p.gpuAllocated]]),
    );
    // llm-server's two 1-GPU pods run on the inference pool; two 8-GPU training workers fill the training pool.
    expect(pools).toEqual({
      "gpu-inference": [2, 8, 2],
      "gpu-training": [2, 16, 16],
      "ml-training": [4, 32, 0],
      system: [1, 0, 0],
    });
  });

  it("names the GPU pods waiting for capacity and the scheduler's reason", async () => {
    const view = await readClusterLiveView({ actor: admin, clusterId: world.sandboxId });
    if (!view?.reachable) throw new Error("sandbox not reachable");
    expect(view.inventory.pendingGpuPods.map((p) => `${p.namespace}/${p.name}:${p.gpus}`)).toEqual([
      "ml-research/llama-finetune-worker-0:8",
    ]);
    expect(view.inventory.pendingGpuPods[0]!.events[0]).toMatchObject({ reason: "FailedScheduling", type: "Warning" });
    expect(view.inventory.pendingGpuPods[0]!.events[0]!.message).toContain("Insufficient nvidia.com/gpu");
  });

  it("gives each object a request applied its live status, and leaves out what the apply did not apply", async () => {
    const view = await readClusterLiveView({ actor: admin, clusterId: world.sandboxId });
    const mine = view?.requests.find((r) => r.number === requestNumber);
    expect(mine?.objects.map((o) => `${o.ref.kind}/${o.ref.name}:${o.state}`)).toEqual([
      "Deployment/llm-server:ready",
      "ConfigMap/llm-server-config:present",
      "ConfigMap/deleted-by-hand:missing",
    ]);
  });

  it("shows an engineer only their own teams' requests", async () => {
    const outsider: PortalUser = {
      id: "u-out",
      email: "out@example.com",
      name: "Out",
      role: "ml-engineer",
      teamIds: [],
    };
    const view = await readClusterLiveView({ actor: outsider, clusterId: world.sandboxId });
    expect(view?.reachable).toBe(true);
    expect(view?.requests).toEqual([]);
  });

  it("says why a cluster cannot be read instead of failing, and still lists what requests applied", async () => {
    world.double.faults.inject({
      method: "GET",
      path: "/api/v1/nodes",
      action: {
        type: "status",
        code: 403,
        reason: "Forbidden",
        message: 'nodes is forbidden: User "portal" cannot list resource "nodes"',
      },
    });
    const view = await readClusterLiveView({ actor: admin, clusterId: world.sandboxId });
    if (!view || view.reachable) throw new Error("expected an unreadable cluster");
    expect(view.reason).toContain("cannot list resource");
    expect(view.requests.find((r) => r.number === requestNumber)?.objects.map((o) => o.state)).toEqual([
      "unknown",
      "unknown",
      "unknown",
    ]);
  });

  it("refuses a cluster whose credentials are missing with the reason", async () => {
    const target = await getPrisma().clusterTarget.create({
      data: {
        name: "zz-gone",
        apiServer: "https://10.0.0.1:6443",
        credentialRef: "kubeconfig-context:no-such-context",
      },
    });
    const view = await readClusterLiveView({ actor: admin, clusterId: target.id });
    expect(view).toMatchObject({ reachable: false });
    expect(view && !view.reachable && view.reason).toContain(
      'context "no-such-context" is not in the server\'s kubeconfig',
    );
  });

  it("is null for an unknown cluster", async () => {
    expect(await readClusterLiveView({ actor: admin, clusterId: "nope" })).toBeNull();
  });
});
