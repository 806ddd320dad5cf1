// A new user's inference request with every form field left as it is must fit the demo sandbox: the dry-run's GPU
// quota check passes at full scale, instead of warning that autoscaling will stop at the quota.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultInputFor } from "@/components/requests/request-form-model";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { submitRequest } from "./submit-request.server";
import { dryRunRequest } from "./dry-run-request.server";

let world: RequestWorld;
beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

describe("the request form's defaults on the demo sandbox", () => {
  it("the default inference scaling request fits ml-inference's GPU quota at full scale", async () => {
    const engineer = await world.user("engineer@demo.local");
    const submitted = await submitRequest({
      actor: engineer,
      input: {
        kind: "inference_scaling",
        title: "Form defaults",
        teamId: engineer.teamIds[0]!,
        clusterTargetId: world.sandboxId,
        input: { ...defaultInputFor("inference_scaling") },
      },
    });
    const preview = await dryRunRequest({ actor: engineer, requestId: submitted.id });
    const [inference] = preview.preconditions.quota;
    expect(inference).toMatchObject({ namespace: "ml-inference", verdict: "fits", hard: 8 });
    expect(inference!.neededAtPeak).toBeLessThanOrEqual(inference!.left!);
    expect(preview.preconditions.summary).not.toContain("autoscaling will stop at the quota");
  });
});
