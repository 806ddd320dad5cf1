// The requester's dry-run is kept with the request: the approver sees its pre-conditions, and a check that warned or
// failed is approved only with an explicit acknowledgement, recorded in the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { getPrisma } from "@/lib/db/prisma.server";
import {
  configMaps,
  insertApprovedRequest,
  startRequestWorld,
  type RequestWorld,
} from "@/test-support/request-fixtures";
import { httpRejection } from "@/test-support/http-view";
import { precheckRequest } from "./precheck-request.server";
import { getRequestDetail } from "./get-request.server";
import { decideRequest } from "./decide-request.server";

let world: RequestWorld;
beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

const tooManyGpus: KubernetesObject = {
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "too-big", namespace: "ml-inference" },
  spec: {
    parallelism: 4,
    completions: 4,
    template: {
      spec: {
        restartPolicy: "Never",
        containers: [
          {
            name: "t",
            image: "x:1",
            resources: { limits: { "nvidia.com/gpu": "4" }, requests: { "nvidia.com/gpu": "4" } },
          },
        ],
      },
    },
  },
};

/** A request waiting for approval whose plan is exactly `objects`. */
async function pendingRequest(objects: KubernetesObject[]) {
  const { requestId, runId } = await insertApprovedRequest(world, objects);
  await getPrisma().applyRun.delete({ where: { id: runId } });
  await getPrisma().request.update({ where: { id: requestId }, data: { status: "pending_approval" } });
  return requestId;
}

describe("pre-condition check before approval", () => {
  it("keeps the requester's check with the request and shows it to the approver", async () => {
    const requestId = await pendingRequest([tooManyGpus]);
    const engineer = await world.user("engineer@demo.local");
    const admin = await world.user("admin@demo.local");
    expect((await getRequestDetail({ actor: admin, id: requestId }))?.precheck).toBeNull();

    const ran = await precheckRequest({ actor: engineer, requestId });
    expect(ran.preconditions.verdict).toBe("fail");

    const seen = await getRequestDetail({ actor: admin, id: requestId });
    expect(seen?.precheck).toMatchObject({
      checkedBy: engineer.name,
      preconditions: { verdict: "fail", summary: ran.preconditions.summary },
    });
    expect(seen?.precheck?.preconditions.quota[0]).toMatchObject({ namespace: "ml-inference", verdict: "exceeded" });
    const timeline = await getPrisma().requestEvent.findMany({ where: { requestId, type: "precheck.ran" } });
    expect(timeline).toHaveLength(1);
    expect(timeline[0]?.message).toContain("a pre-condition fails");
  });

  it("refuses to approve over a failed check until the approver acknowledges it, and audits that", async () => {
    const requestId = await pendingRequest([tooManyGpus]);
    const admin = await world.user("admin@demo.local");
    await precheckRequest({ actor: await world.user("engineer@demo.local"), requestId });

    await expect(
      httpRejection(decideRequest({ actor: admin, requestId, decision: "approved", input: { comment: "ok" } })),
    ).rejects.toMatchObject({ status: 422 });
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("pending_approval");

    const decided = await decideRequest({
      actor: admin,
      requestId,
      decision: "approved",
      input: { comment: "quota raised meanwhile", acknowledgePrecheck: true },
    });
    expect(decided.status).toBe("approved");
    const audit = await getPrisma().auditEvent.findFirstOrThrow({
      where: { action: "request.approve", targetId: requestId, outcome: "success" },
    });
    expect(audit.details).toMatchObject({ precheck: { verdict: "fail", acknowledged: true } });
  });

  it("approves a request whose latest check passed without an acknowledgement", async () => {
    const requestId = await pendingRequest(configMaps(1));
    const admin = await world.user("admin@demo.local");
    const ran = await precheckRequest({ actor: admin, requestId });
    expect(ran.preconditions.verdict).toBe("pass");
    const decided = await decideRequest({ actor: admin, requestId, decision: "approved", input: { comment: "ok" } });
    expect(decided.status).toBe("approved");
  });
});
