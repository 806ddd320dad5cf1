// The validation gate: planted bad objects are caught, and generatePlan refuses to return a plan containing one.
import { describe, expect, it, vi } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { loadOfficialCrdValidators, officialErrors } from "./official-crd-validator.test-support";
import { PlanValidationError, validateManifests } from "./validate-manifests";

const obj = (o: Record<string, unknown>) => o as unknown as KubernetesObject;
const goodNodePool = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "gpu" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "nodes" },
        requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }],
      },
    },
    disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: "5m" },
  },
};

describe("validateManifests", () => {
  it("accepts a correct Karpenter v1 NodePool", async () => {
    expect(await validateManifests([obj(goodNodePool)])).toEqual({ valid: true, checked: 1, errors: [] });
  });

  it.each([
    [
      "a built-in kind with a wrong type",
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "d", namespace: "a" },
        spec: { replicas: "three", selector: {}, template: {} },
      },
      "spec.replicas",
      /integer/,
    ],
    [
      "the reference's v1beta1 NodePool (removed in Karpenter 1.1)",
      { ...goodNodePool, apiVersion: "karpenter.sh/v1beta1" },
      "apiVersion",
      /no schema/,
    ],
    [
      "a nodeClassRef with only a name",
      {
        ...goodNodePool,
        spec: { ...goodNodePool.spec, template: { spec: { nodeClassRef: { name: "nodes" }, requirements: [] } } },
      },
      "spec.template.spec.nodeClassRef.group",
      /may not be empty/,
    ],
    [
      "a NodePool without consolidateAfter",
      { ...goodNodePool, spec: { ...goodNodePool.spec, disruption: { consolidationPolicy: "WhenEmpty" } } },
      "spec.disruption.consolidateAfter",
      /required/,
    ],
    [
      "a NodePool claiming a karpenter.sh label",
      {
        ...goodNodePool,
        spec: {
          ...goodNodePool.spec,
          template: { metadata: { labels: { "karpenter.sh/team": "a" } }, spec: goodNodePool.spec.template.spec },
        },
      },
      "spec.template.metadata.labels.karpenter.sh/team",
      /restricted by Karpenter/,
    ],
    [
      "an In requirement without values",
      {
        ...goodNodePool,
        spec: {
          ...goodNodePool.spec,
          template: {
            spec: { ...goodNodePool.spec.template.spec, requirements: [{ key: "k", operator: "In", values: [] }] },
          },
        },
      },
      "spec.template.spec.requirements[0].values",
      /must have a value/,
    ],
    [
      "an alias mixed with other amiSelectorTerms",
      {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: "n" },
        spec: {
          role: "r",
          amiSelectorTerms: [{ alias: "al2023@latest" }, { id: "ami-123" }],
          subnetSelectorTerms: [{ tags: { a: "b" } }],
          securityGroupSelectorTerms: [{ tags: { a: "b" } }],
        },
      },
      "spec.amiSelectorTerms",
      /alias term must be the only/,
    ],
    [
      "a ScaledObject with min above max",
      {
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: "s", namespace: "a" },
        spec: {
          scaleTargetRef: { name: "d" },
          minReplicaCount: 5,
          maxReplicaCount: 2,
          triggers: [{ type: "cpu", metadata: { value: "50" } }],
        },
      },
      "spec.maxReplicaCount",
      /below minReplicaCount/,
    ],
    [
      "a Job with restartPolicy Always",
      {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: "j", namespace: "a" },
        spec: { template: { spec: { restartPolicy: "Always", containers: [{ name: "c", image: "i:1" }] } } },
      },
      "spec.template.spec.restartPolicy",
      /Never or OnFailure/,
    ],
    [
      "the reference's external-secrets v1beta1",
      {
        apiVersion: "external-secrets.io/v1beta1",
        kind: "ExternalSecret",
        metadata: { name: "e", namespace: "a" },
        spec: {},
      },
      "apiVersion",
      /no schema/,
    ],
    [
      "a Velero Schedule with a non-duration ttl",
      {
        apiVersion: "velero.io/v1",
        kind: "Schedule",
        metadata: { name: "s", namespace: "velero" },
        spec: { schedule: "0 * * * *", template: { ttl: "30 days" } },
      },
      "spec.template.ttl",
      /Go duration/,
    ],
    [
      "a Velero location without a bucket",
      {
        apiVersion: "velero.io/v1",
        kind: "BackupStorageLocation",
        metadata: { name: "b", namespace: "velero" },
        spec: { provider: "aws", objectStorage: {} },
      },
      "spec.objectStorage.bucket",
      /./,
    ],
    [
      "a name that is not DNS-1123",
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "ML_Team" } },
      "metadata.name",
      /DNS-1123/,
    ],
  ])("catches %s", async (_name, bad, path, message) => {
    const result = await validateManifests([obj(bad)]);
    expect(result.valid).toBe(false);
    expect(result.errors.find((e) => e.path === path)?.message, JSON.stringify(result.errors)).toMatch(message);
  });

  it(
    "the official CRDs (test-only) also refuse the reference's NodePool shape and catch field typos",
    { timeout: 60_000 },
    async () => {
      const crds = loadOfficialCrdValidators();
      const reference = {
        ...goodNodePool,
        spec: {
          ...goodNodePool.spec,
          template: { spec: { nodeClassRef: { name: "ml-gpu-nodeclass" }, requirements: [] } },
        },
      };
      expect((await officialErrors(obj(reference), crds)).join("\n")).toMatch(/required property 'group'/);
      const typo = {
        ...goodNodePool,
        spec: {
          ...goodNodePool.spec,
          disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: "5m", consolidateafter: "1m" },
        },
      };
      expect((await officialErrors(obj(typo), crds)).join("\n")).toMatch(
        /spec.disruption.consolidateafter: not in the CRD schema/,
      );
    },
  );
});

describe("generatePlan's gate", () => {
  it("throws PlanValidationError naming the object when a builder emits an invalid object", async () => {
    vi.resetModules();
    vi.doMock("./build-scaled-object", async (importOriginal) => {
      const original = await importOriginal<typeof import("./build-scaled-object")>();
      return {
        ...original,
        buildInferenceScaledObject: (ctx: Parameters<typeof original.buildInferenceScaledObject>[0]) => {
          const so = original.buildInferenceScaledObject(ctx) as unknown as { spec: Record<string, unknown> };
          return { ...so, spec: { ...so.spec, minReplicaCount: 10, maxReplicaCount: 2 } };
        },
      };
    });
    const { generatePlan } = await import("./generate-plan");
    const { planInputSchema } = await import("./schema");
    const validation = await import("./validate-manifests");
    const attempt = generatePlan(
      planInputSchema.parse({ infrastructure_task: "auto_scaling", workload_type: "inference" }),
    );
    await expect(attempt).rejects.toBeInstanceOf(validation.PlanValidationError);
    await expect(attempt).rejects.toThrow(/ScaledObject\/ml-inference\/model-server-scaler spec.maxReplicaCount/);
    vi.doUnmock("./build-scaled-object");
  });

  it("PlanValidationError carries every error", () => {
    const error = new PlanValidationError([{ object: "Job/a/j", path: "spec", message: "bad" }]);
    expect(error.errors).toHaveLength(1);
    expect(error.message).toContain("Job/a/j spec: bad");
  });
});
