import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import {
  blockingTaint,
  type AffinityTerm,
  type NodeRequirement,
  gpuFit,
  placementOf,
  selectorMismatch,
  tolerates,
  type GpuNode,
  type Placement,
  type Taint,
  type Toleration,
} from "./gpu-placement";

const gpuTaint: Taint = { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" };

const node = (name: string, pool: string | null, over: Partial<GpuNode> = {}): GpuNode => ({
  name,
  pool,
  labels: {},
  taints: [],
  allocatable: 8,
  free: 8,
  ...over,
});

const placement = (over: Partial<Placement> = {}): Placement => ({
  nodeSelector: {},
  requiredAffinity: null,
  tolerations: [],
  ...over,
});

describe("tolerates", () => {
  const cases: [string, Toleration, Taint, boolean][] = [
    ["Exists on the key, any value", { key: "nvidia.com/gpu", operator: "Exists" }, gpuTaint, true],
    ["Equal with the same value", { key: "nvidia.com/gpu", operator: "Equal", value: "present" }, gpuTaint, true],
    ["Equal is the default operator", { key: "nvidia.com/gpu", value: "present" }, gpuTaint, true],
    ["Equal with another value", { key: "nvidia.com/gpu", operator: "Equal", value: "true" }, gpuTaint, false],
    ["another key", { key: "dedicated", operator: "Exists" }, gpuTaint, false],
    [
      "the same key with another effect",
      { key: "nvidia.com/gpu", operator: "Exists", effect: "NoExecute" },
      gpuTaint,
      false,
    ],
    ["the same key and effect", { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }, gpuTaint, true],
    ["an empty key with Exists tolerates everything", { operator: "Exists" }, gpuTaint, true],
    ["an empty key without Exists tolerates nothing", { value: "present" }, gpuTaint, false],
  ];
  it.each(cases)("%s", (_name, toleration, taint, expected) => {
    expect(tolerates(toleration, taint)).toBe(expected);
  });
});

describe("blockingTaint", () => {
  it("ignores PreferNoSchedule and returns the first untolerated NoSchedule or NoExecute taint", () => {
    const taints: Taint[] = [
      { key: "soft", effect: "PreferNoSchedule" },
      gpuTaint,
      { key: "dedicated", value: "research", effect: "NoExecute" },
    ];
    expect(blockingTaint(taints, [])).toEqual(gpuTaint);
    expect(blockingTaint(taints, [{ key: "nvidia.com/gpu", operator: "Exists" }])).toEqual(taints[2]);
    expect(
      blockingTaint(taints, [
        { key: "nvidia.com/gpu", operator: "Exists" },
        { key: "dedicated", value: "research" },
      ]),
    ).toBeNull();
  });
});

describe("selectorMismatch", () => {
  const a100 = { name: "n1", labels: { "workload-type": "training", accelerator: "nvidia-a100", "gpu.count": "8" } };
  const term = (labels: NodeRequirement[]): AffinityTerm => ({ labels, fields: [] });
  const cases: [string, Placement, string | null][] = [
    ["no constraint", placement(), null],
    ["a matching nodeSelector", placement({ nodeSelector: { "workload-type": "training" } }), null],
    [
      "a nodeSelector value the node does not have",
      placement({ nodeSelector: { "workload-type": "inference" } }),
      "nodeSelector workload-type=inference (workload-type=training)",
    ],
    [
      "a nodeSelector label the node lacks",
      placement({ nodeSelector: { pool: "a" } }),
      "nodeSelector pool=a (no such label)",
    ],
    [
      "affinity In that matches",
      placement({
        requiredAffinity: [term([{ key: "accelerator", operator: "In", values: ["nvidia-a100", "h100"] }])],
      }),
      null,
    ],
    [
      "affinity NotIn the node's value",
      placement({ requiredAffinity: [term([{ key: "accelerator", operator: "NotIn", values: ["nvidia-a100"] }])] }),
      "required node affinity accelerator NotIn (nvidia-a100)",
    ],
    [
      "affinity DoesNotExist on a present label",
      placement({ requiredAffinity: [term([{ key: "accelerator", operator: "DoesNotExist", values: [] }])] }),
      "required node affinity accelerator DoesNotExist",
    ],
    [
      "affinity Gt that holds",
      placement({ requiredAffinity: [term([{ key: "gpu.count", operator: "Gt", values: ["4"] }])] }),
      null,
    ],
    [
      "affinity Lt that fails",
      placement({ requiredAffinity: [term([{ key: "gpu.count", operator: "Lt", values: ["4"] }])] }),
      "required node affinity gpu.count < 4",
    ],
    [
      "terms are ORed: the second matches",
      placement({
        requiredAffinity: [
          term([{ key: "accelerator", operator: "In", values: ["h100"] }]),
          term([{ key: "accelerator", operator: "Exists", values: [] }]),
        ],
      }),
      null,
    ],
    [
      "expressions in a term are ANDed",
      placement({
        requiredAffinity: [
          term([
            { key: "accelerator", operator: "Exists", values: [] },
            { key: "workload-type", operator: "In", values: ["inference"] },
          ]),
        ],
      }),
      "required node affinity accelerator Exists and workload-type In (inference)",
    ],
    [
      "an empty term matches no node",
      placement({ requiredAffinity: [term([])] }),
      "required node affinity (empty term)",
    ],
    [
      "matchFields on the node's name",
      placement({
        requiredAffinity: [{ labels: [], fields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }],
      }),
      null,
    ],
  ];
  it.each(cases)("%s", (_name, p, expected) => {
    expect(selectorMismatch(p, a100)).toBe(expected);
  });
});

describe("placementOf", () => {
  it("reads nodeSelector, required node affinity and tolerations from a Job's pod template", () => {
    const job: KubernetesObject = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "j", namespace: "ml" },
      spec: {
        template: {
          spec: {
            nodeSelector: { "workload-type": "training" },
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    { matchExpressions: [{ key: "accelerator", operator: "In", values: ["nvidia-a100"] }] },
                  ],
                },
                preferredDuringSchedulingIgnoredDuringExecution: [
                  { weight: 1, preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] } },
                ],
              },
            },
            tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
            containers: [],
          },
        },
      },
    };
    expect(placementOf(job)).toEqual({
      nodeSelector: { "workload-type": "training" },
      requiredAffinity: [{ labels: [{ key: "accelerator", operator: "In", values: ["nvidia-a100"] }], fields: [] }],
      tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", value: undefined, effect: "NoSchedule" }],
    });
  });

  it("reads a CronJob's pod template under jobTemplate", () => {
    const cron: KubernetesObject = {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "c", namespace: "ml" },
      spec: { jobTemplate: { spec: { template: { spec: { nodeSelector: { pool: "batch" } } } } } },
    };
    expect(placementOf(cron).nodeSelector).toEqual({ pool: "batch" });
  });
});

describe("gpuFit", () => {
  const training = (i: number, free = 8) =>
    node(`train-${i}`, "ml-training", { labels: { "workload-type": "training" }, taints: [gpuTaint], free });
  const inference = (i: number) => node(`inf-${i}`, "gpu-inference", { labels: { "workload-type": "inference" } });
  const cluster = [training(1), training(2), inference(1), inference(2)];
  const tolerateGpu: Toleration[] = [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }];

  const cases: {
    name: string;
    needed: number;
    placement: Placement;
    nodes?: GpuNode[];
    fits: boolean;
    allocatable: number;
    free: number;
    message: string | RegExp;
  }[] = [
    {
      name: "a pod that tolerates nothing cannot count the tainted pool, and is told which taint and how to tolerate it",
      needed: 24,
      placement: placement(),
      fits: false,
      allocatable: 16,
      free: 16,
      message:
        "needs 24 GPUs on the cluster's nodes; the nodes the pods can use have 16, 16 free (the cluster has 32, 32 free); " +
        "pool ml-training (16 of 16 GPUs free) has the taint nvidia.com/gpu=present:NoSchedule the pods do not tolerate: " +
        "to use it, add the toleration {key: nvidia.com/gpu, operator: Equal, value: present, effect: NoSchedule} to the pod template; " +
        "otherwise the pods stay Pending until nodes the pods can use are added",
    },
    {
      name: "the same pod with the toleration counts every pool",
      needed: 24,
      placement: placement({ tolerations: tolerateGpu }),
      fits: true,
      allocatable: 32,
      free: 32,
      message: "needs 24 GPUs on the cluster's nodes; the pods can use 32, 32 free",
    },
    {
      name: "a pod pinned to a pool cannot count the other pools, and is told which pool its selector leaves out",
      needed: 24,
      placement: placement({ nodeSelector: { "workload-type": "training" }, tolerations: tolerateGpu }),
      fits: false,
      allocatable: 16,
      free: 16,
      message:
        "needs 24 GPUs on nodes labelled workload-type=training; the nodes the pods can use have 16, 16 free (the cluster has 32, 32 free); " +
        "pool gpu-inference (16 of 16 GPUs free) is outside the pods' nodeSelector workload-type=training (workload-type=inference): " +
        "to use it, change the nodeSelector or node affinity to include it; " +
        "otherwise the pods stay Pending until nodes the pods can use are added",
    },
    {
      name: "a pod pinned by required node affinity counts only the pools it allows",
      needed: 16,
      placement: placement({
        requiredAffinity: [{ labels: [{ key: "workload-type", operator: "In", values: ["inference"] }], fields: [] }],
      }),
      fits: true,
      allocatable: 16,
      free: 16,
      message: "needs 16 GPUs on nodes matching workload-type In (inference); the pods can use 16, 16 free",
    },
    {
      name: "pinned to a tainted pool it does not tolerate: no GPU node accepts the pods",
      needed: 8,
      placement: placement({ nodeSelector: { "workload-type": "training" } }),
      fits: false,
      allocatable: 0,
      free: 0,
      message:
        /^needs 8 GPUs on nodes labelled workload-type=training; no GPU node accepts the pods \(the cluster has 32, 32 free\); pool ml-training \(16 of 16 GPUs free\) has the taint nvidia\.com\/gpu=present:NoSchedule/,
    },
    {
      name: "allocated GPUs are not free, and a full excluded pool is not offered as a fix",
      needed: 8,
      placement: placement({ nodeSelector: { "workload-type": "training" }, tolerations: tolerateGpu }),
      nodes: [training(1, 2), training(2, 4), node("inf-1", "gpu-inference", { labels: {}, free: 0 })],
      fits: false,
      allocatable: 16,
      free: 6,
      message:
        "needs 8 GPUs on nodes labelled workload-type=training; the nodes the pods can use have 16, 6 free (the cluster has 24, 6 free); " +
        "otherwise the pods stay Pending until nodes the pods can use are added",
    },
  ];
  it.each(cases)("$name", (c) => {
    const fit = gpuFit(c.needed, c.placement, c.nodes ?? cluster);
    expect(fit).toMatchObject({ fits: c.fits, allocatable: c.allocatable, free: c.free });
    if (typeof c.message === "string") expect(fit.message).toBe(c.message);
    else expect(fit.message).toMatch(c.message);
  });

  it("lists every pool it leaves out, by reason, taints first", () => {
    const fit = gpuFit(8, placement({ nodeSelector: { "workload-type": "inference" } }), cluster);
    expect(fit.excluded).toEqual([
      {
        pool: "ml-training",
        reason: "selector",
        detail: "nodeSelector workload-type=inference (workload-type=training)",
        allocatable: 16,
        free: 16,
      },
    ]);
    const tainted = gpuFit(8, placement(), cluster);
    expect(tainted.excluded).toEqual([
      {
        pool: "ml-training",
        reason: "taint",
        detail: "nvidia.com/gpu=present:NoSchedule",
        taint: gpuTaint,
        allocatable: 16,
        free: 16,
      },
    ]);
  });
});
