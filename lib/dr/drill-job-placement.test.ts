import { describe, expect, it } from "vitest";
import { checkPodSecurityRestricted } from "@/lib/security/check-pod-security-restricted";
import { findPodSpec } from "@/lib/security/pod-specs";
import type { KubernetesObject } from "@/lib/k8s/types";
import { buildProbeJob, buildVolumeCanaryJob, gpuToleration, placementForClaim } from "./model-probe";

// The canary and probe Jobs run in the drilled namespaces: those enforce the restricted Pod Security Standard and
// sit on GPU pools, and the volume canary must reach a ReadWriteOnce claim another pod already holds.

const probe = buildProbeJob({
  name: "dr-probe",
  namespace: "ml-inference",
  url: "http://llm-server.ml-inference.svc.cluster.local:8000/v1/completions",
  requests: ["2+2="],
  runLabel: { "portal.dr/drill-run": "r1" },
  deadlineSeconds: 60,
});
const servingPod = {
  metadata: { name: "llm-server-abc", labels: { app: "llm-server", "pod-template-hash": "h1" } },
  spec: {
    volumes: [{ name: "cache", persistentVolumeClaim: { claimName: "model-cache" } }],
    tolerations: [{ key: "dedicated", operator: "Equal", value: "inference", effect: "NoSchedule" }],
  },
  status: { phase: "Running" },
};
const canary = (placement = placementForClaim([servingPod], "model-cache")) =>
  buildVolumeCanaryJob({
    name: "dr-canary-write",
    namespace: "ml-inference",
    claim: "model-cache",
    file: "dr-canary.txt",
    content: "x",
    runLabel: { "portal.dr/drill-run": "r1" },
    placement,
  });
const podSpecOf = (job: { spec: { template: { spec: unknown } } }) =>
  job.spec.template.spec as {
    tolerations?: unknown[];
    affinity?: { podAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown[] } };
  };

describe("drill Jobs pass the restricted Pod Security Standard", () => {
  it.each([
    ["model probe", probe],
    ["volume canary", canary()],
  ])("%s has no restricted finding", (_, job) => {
    const location = findPodSpec(job as unknown as KubernetesObject);
    expect(location).toBeDefined();
    expect(checkPodSecurityRestricted(location!).map((f) => `${f.path}: ${f.message}`)).toEqual([]);
  });
});

describe("drill Jobs are placed where they can run", () => {
  it("tolerates the GPU pool's taint", () => {
    expect(podSpecOf(probe).tolerations).toEqual([gpuToleration]);
  });

  it("runs the volume canary beside the pod that mounts the ReadWriteOnce claim, with that pod's tolerations", () => {
    const spec = podSpecOf(canary());
    expect(spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { labelSelector: { matchLabels: { app: "llm-server" } }, topologyKey: "kubernetes.io/hostname" },
    ]);
    expect(spec.tolerations).toEqual([...servingPod.spec.tolerations, gpuToleration]);
  });

  it("needs no affinity when no live pod mounts the claim", () => {
    const gone = { ...servingPod, status: { phase: "Succeeded" } };
    const spec = podSpecOf(canary(placementForClaim([gone], "model-cache")));
    expect(spec.affinity).toBeUndefined();
    expect(spec.tolerations).toEqual([gpuToleration]);
  });
});
