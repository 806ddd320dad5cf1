import { describe, expect, it } from "vitest";
import { liveStateOf, podGpuRequest, summarizeInventory } from "./cluster-inventory";

const node = (name: string, labels: Record<string, string>, gpus: number, ready = true) => ({
  metadata: { name, labels },
  status: {
    capacity: { "nvidia.com/gpu": String(gpus) },
    allocatable: { "nvidia.com/gpu": String(gpus) },
    conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
  },
});
const pod = (name: string, gpus: number, nodeName: string | null, phase = nodeName ? "Running" : "Pending") => ({
  metadata: { name, namespace: "ml" },
  spec: {
    ...(nodeName ? { nodeName } : {}),
    containers: [{ resources: { requests: { "nvidia.com/gpu": String(gpus) } } }],
  },
  status: { phase },
});

describe("podGpuRequest", () => {
  it.each([
    [
      "sums the containers' requests",
      {
        spec: {
          containers: [
            { resources: { requests: { "nvidia.com/gpu": "2" } } },
            { resources: { requests: { "nvidia.com/gpu": "1" } } },
          ],
        },
      },
      3,
    ],
    [
      "reads limits when requests are absent (the API server copies them)",
      { spec: { containers: [{ resources: { limits: { "nvidia.com/gpu": "4" } } }] } },
      4,
    ],
    [
      "takes an init container asking for more than the main ones",
      {
        spec: {
          initContainers: [{ resources: { requests: { "nvidia.com/gpu": "8" } } }],
          containers: [{ resources: { requests: { "nvidia.com/gpu": "1" } } }],
        },
      },
      8,
    ],
    ["counts nothing for a CPU pod", { spec: { containers: [{ resources: { requests: { cpu: "2" } } }] } }, 0],
  ])("%s", (_name, p, expected) => {
    expect(podGpuRequest(p)).toBe(expected);
  });
});

describe("summarizeInventory", () => {
  const nodes = [
    node(
      "train-1",
      {
        "karpenter.sh/nodepool": "training",
        "node.kubernetes.io/instance-type": "p4d.24xlarge",
        "karpenter.sh/capacity-type": "on-demand",
      },
      8,
    ),
    node("infer-2", { "eks.amazonaws.com/nodegroup": "inference", "eks.amazonaws.com/capacityType": "SPOT" }, 4, false),
    node("infer-1", { "eks.amazonaws.com/nodegroup": "inference" }, 4),
    node("sys-1", { "karpenter.sh/nodepool": "a-system" }, 0),
    node("bare", {}, 1),
  ];
  const pods = [
    pod("a", 3, "infer-1"),
    pod("b", 1, "infer-1"),
    pod("done", 4, "infer-2", "Succeeded"),
    pod("c", 8, "train-1"),
    pod("waiting", 8, null),
    pod("cpu-waiting", 0, null),
  ];
  const events = [
    {
      involvedObject: { kind: "Pod", name: "waiting", namespace: "ml" },
      reason: "NotTriggerScaleUp",
      type: "Normal",
      message: "max node group size reached",
      count: 2,
      lastTimestamp: "2026-12-07T10:00:00Z",
    },
    {
      involvedObject: { kind: "Pod", name: "waiting", namespace: "ml" },
      reason: "FailedScheduling",
      type: "Warning",
      message: "0/5 nodes are available: 3 Insufficient nvidia.com/gpu",
      count: 9,
      lastTimestamp: "2026-12-07T09:00:00Z",
    },
    {
      involvedObject: { kind: "Pod", name: "waiting", namespace: "other" },
      reason: "FailedScheduling",
      type: "Warning",
      message: "someone else's pod",
    },
  ];
  const inventory = summarizeInventory(nodes, pods, events);

  it("groups nodes by whichever pool label convention they carry, GPU pools first and unlabelled last", () => {
    expect(inventory.pools.map((p) => [p.name, p.nodes.map((n) => n.name)])).toEqual([
      ["inference", ["infer-1", "infer-2"]],
      ["training", ["train-1"]],
      [null, ["bare"]],
      ["a-system", ["sys-1"]],
    ]);
  });

  it("counts allocated GPUs from the unfinished pods bound to each node", () => {
    const inference = inventory.pools[0];
    expect(inference!.nodes.map((n) => [n.name, n.gpuAllocated, n.ready, n.capacityType])).toEqual([
      ["infer-1", 4, true, null],
      ["infer-2", 0, false, "spot"],
    ]);
    expect([inference!.gpuCapacity, inference!.gpuAllocatable, inference!.gpuAllocated]).toEqual([8, 8, 4]);
    expect(inventory.totals).toEqual({ nodes: 5, gpuCapacity: 17, gpuAllocatable: 17, gpuAllocated: 12 });
  });

  it("lists only pending GPU pods, with their own events, warnings first", () => {
    expect(inventory.pendingGpuPods).toHaveLength(1);
    const [waiting] = inventory.pendingGpuPods;
    expect(waiting).toMatchObject({ namespace: "ml", name: "waiting", gpus: 8 });
    expect(waiting!.events.map((e) => [e.reason, e.count])).toEqual([
      ["FailedScheduling", 9],
      ["NotTriggerScaleUp", 2],
    ]);
  });
});

describe("liveStateOf", () => {
  it.each([
    [
      "a Deployment with every replica ready",
      {
        kind: "Deployment",
        metadata: { generation: 2 },
        spec: { replicas: 2 },
        status: { observedGeneration: 2, readyReplicas: 2 },
      },
      "ready",
      "2/2 ready",
    ],
    [
      "a Deployment the controller has not seen yet",
      {
        kind: "Deployment",
        metadata: { generation: 3 },
        spec: { replicas: 2 },
        status: { observedGeneration: 2, readyReplicas: 2 },
      },
      "progressing",
      "2/2 ready",
    ],
    [
      "a Deployment past its progress deadline",
      {
        kind: "Deployment",
        spec: { replicas: 2 },
        status: {
          readyReplicas: 0,
          conditions: [
            {
              type: "Progressing",
              status: "False",
              reason: "ProgressDeadlineExceeded",
              message: "ReplicaSet has timed out progressing.",
            },
          ],
        },
      },
      "failed",
      "ReplicaSet has timed out progressing.",
    ],
    [
      "a complete Job",
      { kind: "Job", status: { conditions: [{ type: "Complete", status: "True" }] } },
      "ready",
      "complete",
    ],
    ["a failed Job", { kind: "Job", status: { conditions: [{ type: "Failed", status: "True" }] } }, "failed", "failed"],
    [
      "an ExternalSecret not yet synced",
      {
        kind: "ExternalSecret",
        status: { conditions: [{ type: "Ready", status: "False", reason: "SecretSyncedError" }] },
      },
      "progressing",
      "SecretSyncedError",
    ],
    ["a bound claim", { kind: "PersistentVolumeClaim", status: { phase: "Bound" } }, "ready", "Bound"],
    ["a ConfigMap", { kind: "ConfigMap" }, "present", "exists"],
  ])("%s", (_name, obj, state, detail) => {
    expect(liveStateOf(obj)).toEqual({ state, detail });
  });
});
