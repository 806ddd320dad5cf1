import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { gpuDemand } from "./gpu-demand";

const pod = (gpus: number) => ({
  spec: { containers: [{ name: "c", resources: { requests: { "nvidia.com/gpu": String(gpus) } } }] },
});

describe("gpuDemand", () => {
  it("counts an autoscaled Deployment at its minimum for the floor and its maximum for the ceiling", () => {
    const objects: KubernetesObject[] = [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "srv", namespace: "inf" },
        spec: { replicas: 1, template: pod(2) },
      },
      {
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: "srv", namespace: "inf" },
        spec: { scaleTargetRef: { name: "srv" }, minReplicaCount: 3, maxReplicaCount: 10 },
      },
    ];
    expect(gpuDemand(objects)).toEqual([{ namespace: "inf", floor: 6, ceiling: 20 }]);
  });

  it("counts a Job at its parallelism, both floor and ceiling", () => {
    const objects: KubernetesObject[] = [
      {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: "train", namespace: "tr" },
        spec: { parallelism: 4, template: pod(8) },
      },
    ];
    expect(gpuDemand(objects)).toEqual([{ namespace: "tr", floor: 32, ceiling: 32 }]);
  });

  it("ignores objects without GPUs", () => {
    expect(
      gpuDemand([
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "web", namespace: "x" },
          spec: { replicas: 2, template: pod(0) },
        },
      ]),
    ).toEqual([]);
  });
});
