import { describe, expect, it } from "vitest";
import { workloadReadiness } from "./workload-readiness";

const deployment = (status: Record<string, number>, generation = 2, replicas = 3) => ({
  kind: "Deployment",
  metadata: { generation },
  spec: { replicas },
  status,
});

describe("workloadReadiness", () => {
  it.each([
    ["rolled out", deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }), true],
    [
      "spec not yet observed",
      deployment({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
      false,
    ],
    [
      "still updating",
      deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 1, availableReplicas: 3 }),
      false,
    ],
    [
      "old replicas still running",
      deployment({ observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }),
      false,
    ],
    [
      "updated but not available",
      deployment({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }),
      false,
    ],
    [
      "daemonset all ready",
      {
        kind: "DaemonSet",
        metadata: { generation: 1 },
        status: { observedGeneration: 1, desiredNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2 },
      },
      true,
    ],
    ["job running", { kind: "Job", status: { active: 4 } }, true],
    [
      "job failed",
      { kind: "Job", status: { conditions: [{ type: "Failed", status: "True", message: "BackoffLimitExceeded" }] } },
      false,
    ],
    ["job complete", { kind: "Job", status: { conditions: [{ type: "Complete", status: "True" }] } }, true],
  ])("%s", (_name, obj, ready) => {
    expect(workloadReadiness(obj).ready).toBe(ready);
  });
});
