// The dry-run runs the apply's pre-conditions (reachability, GPU quota per namespace), so an admin sees before
// approving what would stop the apply; and the form's default training request fits the demo sandbox.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { getPrisma } from "@/lib/db/prisma.server";
import { insertApprovedRequest, startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { handleRequestApply } from "./apply-request-job.server";
import { submitRequest } from "./submit-request.server";
import { dryRunRequest } from "./dry-run-request.server";

let world: RequestWorld;
beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

const gpuJob = (
  name: string,
  namespace: string,
  parallelism: number,
  gpus: number,
  nodeSelector?: Record<string, string>,
  tolerations?: Record<string, string>[],
): KubernetesObject => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name, namespace },
  spec: {
    parallelism,
    completions: parallelism,
    template: {
      spec: {
        restartPolicy: "Never",
        ...(nodeSelector ? { nodeSelector } : {}),
        ...(tolerations ? { tolerations } : {}),
        containers: [
          {
            name: "t",
            image: "x:1",
            resources: { limits: { "nvidia.com/gpu": String(gpus) }, requests: { "nvidia.com/gpu": String(gpus) } },
          },
        ],
      },
    },
  },
});

describe("dry-run pre-conditions", () => {
  it("reports a GPU quota that cannot hold the plan, with needed vs left, and a failing verdict", async () => {
    const { requestId } = await insertApprovedRequest(world, [gpuJob("too-big", "ml-inference", 4, 4)]);
    const preview = await dryRunRequest({ actor: await world.user("admin@demo.local"), requestId });
    expect(preview.ok).toBe(false);
    expect(preview.preconditions).toMatchObject({ ok: false, verdict: "fail", reachability: { ok: true } });
    // The seeded llm-server holds 2 of ml-inference's 8 GPUs.
    expect(preview.preconditions.quota).toEqual([
      expect.objectContaining({
        namespace: "ml-inference",
        needed: 16,
        left: 6,
        hard: 8,
        verdict: "exceeded",
        quotaName: "gpu-quota",
      }),
    ]);
    expect(preview.preconditions.summary).toMatch(
      /needs 16 GPUs in ml-inference, ResourceQuota gpu-quota leaves 6 of 8/,
    );
  });

  it("reports an unreachable cluster as a failed pre-condition instead of object errors", async () => {
    const { requestId } = await insertApprovedRequest(world, [gpuJob("small", "ml-inference", 1, 1)]);
    const remove = world.double.faults.inject({
      method: "GET",
      path: /^\/api\/v1\/?$/,
      times: Infinity,
      action: { type: "status", code: 401, message: "Unauthorized" },
    });
    try {
      const preview = await dryRunRequest({ actor: await world.user("admin@demo.local"), requestId });
      expect(preview).toMatchObject({
        ok: false,
        results: [],
        preconditions: { verdict: "fail", reachability: { ok: false } },
      });
      expect(preview.preconditions.reachability.message).toContain("401");
    } finally {
      remove();
    }
  });

  it("warns at dry-run time when the default inference request's full scale exceeds the quota", async () => {
    const engineer = await world.user("engineer@demo.local");
    const submitted = await submitRequest({
      actor: engineer,
      input: {
        kind: "inference_scaling",
        title: "Default inference",
        teamId: engineer.teamIds[0]!,
        clusterTargetId: world.sandboxId,
        input: {},
      },
    });
    const preview = await dryRunRequest({ actor: engineer, requestId: submitted.id });
    expect(preview.preconditions).toMatchObject({ ok: true, verdict: "warning" });
    const [inference] = preview.preconditions.quota;
    expect(inference).toMatchObject({ namespace: "ml-inference", verdict: "fits_floor_only", left: 6, hard: 8 });
    expect(inference!.neededAtPeak).toBeGreaterThan(6);
    expect(preview.preconditions.summary).toContain("autoscaling will stop at the quota");
  });

  it("the default training request (AWS, every field as it is) passes every pre-condition on the demo sandbox", async () => {
    const engineer = await world.user("engineer@demo.local");
    const submitted = await submitRequest({
      actor: engineer,
      input: {
        kind: "gpu_cluster",
        title: "Defaults",
        teamId: engineer.teamIds[0]!,
        clusterTargetId: world.sandboxId,
        input: { cloud_provider: "aws", workload_type: "training" },
      },
    });
    const preview = await dryRunRequest({ actor: engineer, requestId: submitted.id });
    expect(preview.preconditions.quota).toEqual([expect.objectContaining({ namespace: "ml-training", needed: 32 })]);
    expect(preview.preconditions).toMatchObject({ ok: true, verdict: "pass" });
    // The demo sandbox's ml-training nodes carry the default pool's labels and have the 32 GPUs free.
    expect(preview.preconditions.capacity).toEqual([
      expect.objectContaining({
        selector: "workload-type=training",
        needed: 32,
        allocatable: 32,
        free: 32,
        fits: true,
      }),
    ]);
    expect(preview.ok).toBe(true);
  });

  it("the default GPU cluster request (inference, every field as it is) finds GPUs on the demo sandbox's inference pool", async () => {
    const engineer = await world.user("engineer@demo.local");
    const submitted = await submitRequest({
      actor: engineer,
      input: {
        kind: "gpu_cluster",
        title: "Default inference cluster",
        teamId: engineer.teamIds[0]!,
        clusterTargetId: world.sandboxId,
        // What the form sends for an engineer who leaves every field as it is.
        input: { cloud_provider: "aws", workload_type: "inference" },
      },
    });
    const preview = await dryRunRequest({ actor: engineer, requestId: submitted.id });
    // Its model server selects workload-type=inference and tolerates nvidia.com/gpu=present, as the demo's
    // gpu-inference nodes are labelled and tainted: the check must count them, not report "0 GPUs".
    expect(preview.preconditions.capacity.length).toBeGreaterThan(0);
    for (const row of preview.preconditions.capacity) {
      expect(row).toMatchObject({ selector: expect.stringContaining("workload-type=inference"), fits: true });
      expect(row.allocatable).toBeGreaterThan(0);
    }
  });

  it("says when the nodes the workload selects and tolerates do not have the GPUs now, with the cluster's totals", async () => {
    const { requestId } = await insertApprovedRequest(world, [
      gpuJob("wide", "ml-research", 6, 8, { "workload-type": "training" }, [
        { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
      ]),
    ]);
    const preview = await dryRunRequest({ actor: await world.user("admin@demo.local"), requestId });
    expect(preview.preconditions).toMatchObject({ ok: true, verdict: "warning" });
    const [capacity] = preview.preconditions.capacity ?? [];
    expect(capacity).toMatchObject({ needed: 48, allocatable: 32, free: 32, fits: false });
    expect(preview.preconditions.summary).toContain(
      "needs 48 GPUs on nodes labelled workload-type=training; the nodes the pods can use have 32, 32 free",
    );
  });

  it("does not count a tainted pool's GPUs for pods that do not tolerate the taint, and says which toleration to add", async () => {
    // The demo sandbox's ml-training nodes carry nvidia.com/gpu=present:NoSchedule; this job tolerates nothing.
    const { requestId } = await insertApprovedRequest(world, [
      gpuJob("untolerated", "ml-research", 1, 8, { "workload-type": "training" }),
    ]);
    const preview = await dryRunRequest({ actor: await world.user("admin@demo.local"), requestId });
    const [capacity] = preview.preconditions.capacity ?? [];
    expect(capacity).toMatchObject({ needed: 8, allocatable: 0, free: 0, fits: false });
    expect(capacity!.excluded).toContainEqual(
      expect.objectContaining({ pool: "ml-training", reason: "taint", detail: "nvidia.com/gpu=present:NoSchedule" }),
    );
    expect(preview.preconditions.summary).toContain(
      "pool ml-training (32 of 32 GPUs free) has the taint nvidia.com/gpu=present:NoSchedule the pods do not tolerate: to use it, add the toleration {key: nvidia.com/gpu, operator: Equal, value: present, effect: NoSchedule} to the pod template",
    );
  });

  it("shows a workload name another open request would create, and one already in the cluster, as blocking conflicts", async () => {
    const admin = await world.user("admin@demo.local");
    const pending = await insertApprovedRequest(world, [gpuJob("shared-name", "ml-inference", 1, 1)]);
    const pendingNumber = (await getPrisma().request.findUniqueOrThrow({ where: { id: pending.requestId } })).number;
    // Made by hand (kubectl), not by any request.
    const configMaps = world.double.state.findByKind("v1", "ConfigMap")!;
    world.double.state.putSystemObject({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "hand-made", namespace: "ml-inference" },
      data: { owner: "kubectl" },
    });
    expect(world.double.state.get(configMaps, "ml-inference", "hand-made")).toBeTruthy();
    const second = await insertApprovedRequest(world, [
      gpuJob("shared-name", "ml-inference", 2, 1),
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "hand-made", namespace: "ml-inference" },
        data: { owner: "portal" },
      },
    ]);
    const preview = await dryRunRequest({ actor: admin, requestId: second.requestId });
    expect(preview.preconditions.conflicts).toEqual([
      expect.objectContaining({
        source: "open",
        owners: [{ number: pendingNumber }],
        blocking: true,
        message: `Job ml-inference/shared-name is also in REQ-${pendingNumber} (approved), not applied yet: rename the job in one of the two requests, or reject one, so the second apply does not overwrite the first`,
      }),
      expect.objectContaining({
        source: "unmanaged",
        owners: [],
        blocking: false,
        message:
          "ConfigMap ml-inference/hand-made already exists in the cluster and no request applied it: rename the object, or delete the existing one if it is no longer needed",
      }),
    ]);
    expect(preview.preconditions).toMatchObject({ ok: false, verdict: "fail" });
    expect(preview.ok).toBe(false);
    expect(preview.preconditions.summary).toContain(`is also in REQ-${pendingNumber}`);

    // Once the first request is rejected, its name is free again.
    await getPrisma().request.update({ where: { id: pending.requestId }, data: { status: "rejected" } });
    const again = await dryRunRequest({ actor: admin, requestId: second.requestId });
    expect(again.preconditions.conflicts?.map((c) => c.source)).toEqual(["unmanaged"]);
    expect(again.preconditions.verdict).toBe("warning");
  });

  it("counts another request's same-named Job as taken, not as GPUs this request already holds", async () => {
    const admin = await world.user("admin@demo.local");
    const first = await insertApprovedRequest(world, [gpuJob("distributed-training", "ml-training", 2, 8)]);
    await handleRequestApply({ applyRunId: first.runId }, { jobId: "t", signal: new AbortController().signal });
    const firstRequest = await getPrisma().request.findUniqueOrThrow({ where: { id: first.requestId } });
    expect(firstRequest.status).toBe("applied");

    const second = await insertApprovedRequest(world, [gpuJob("distributed-training", "ml-training", 4, 8)]);
    const preview = await dryRunRequest({ actor: admin, requestId: second.requestId });
    // The first request's 16 GPUs are not the second's: it needs all 32.
    expect(preview.preconditions.quota).toEqual([expect.objectContaining({ namespace: "ml-training", needed: 32 })]);
    expect(preview.preconditions).toMatchObject({ ok: false, verdict: "fail" });
    expect(preview.ok).toBe(false);
    const message = `Job ml-training/distributed-training belongs to REQ-${firstRequest.number}: rename the job or revert REQ-${firstRequest.number}`;
    expect(preview.preconditions.conflicts).toEqual([
      expect.objectContaining({ owners: [{ number: firstRequest.number }], blocking: true, message }),
    ]);
    expect(preview.preconditions.summary).toContain(message);

    // The first request's own re-apply still counts what its Job holds, and is not a conflict with itself.
    const again = await dryRunRequest({ actor: admin, requestId: first.requestId });
    expect(again.preconditions.conflicts).toEqual([]);
    expect(again.preconditions.quota).toEqual([expect.objectContaining({ needed: 0 })]);
  });
});
