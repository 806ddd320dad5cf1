// Property: every task x cloud x workload, with random valid scale requirements, produces only objects that the
// official CRDs (ajv) and the Kubernetes schemas (kubernetes-models) accept, with no critical/high security
// finding and no blocking viability finding (the plan would work once applied).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { ValidateFunction } from "ajv";
import { generatePlan, type PlanOutput } from "./generate-plan";
import { blockingFindings } from "./viability/blocking-findings";
import { listInstanceTypes } from "@/lib/pricing/lookup-price";
import { cloudProviders, infrastructureTasks, planInputSchema, workloadTypes } from "./schema";
import { loadOfficialCrdValidators, officialErrors } from "./official-crd-validator.test-support";

let crds: Map<string, ValidateFunction>;
// Compiling every official CRD takes seconds, more on a busy machine.
beforeAll(() => {
  crds = loadOfficialCrdValidators();
}, 120_000);

const combinations = infrastructureTasks.flatMap((task) =>
  cloudProviders.flatMap((cloud) => workloadTypes.map((workload) => ({ task, cloud, workload }))),
);

// Up to 100 replicas: the default inference pool holds 100 one-GPU replicas, and the schema refuses more.
const scale = fc
  .record({
    a: fc.integer({ min: 0, max: 100 }),
    b: fc.integer({ min: 1, max: 100 }),
    target: fc.double({ min: 0.05, max: 1, noNaN: true }),
  })
  .map(({ a, b, target }) => ({
    min_replicas: Math.min(a, b),
    max_replicas: Math.max(a, b),
    target_gpu_utilization: target,
  }));

// An autoscaled inference deployment cannot sleep at 0 (the schema refuses it): its minimum starts at 1.
const scaleFor = <S extends { min_replicas: number }>(task: string, workload: string, s: S): S =>
  task === "auto_scaling" && workload === "inference" ? { ...s, min_replicas: Math.max(1, s.min_replicas) } : s;

describe("all 80 combinations", () => {
  it("there are 80 of them", () => {
    expect(combinations).toHaveLength(80);
  });

  it("the official CRDs needed are present (NodePool, EC2NodeClass, KEDA, ExternalSecret v1, Velero, Prometheus Operator)", () => {
    const keys = [
      "karpenter.sh/v1/NodePool",
      "karpenter.k8s.aws/v1/EC2NodeClass",
      "keda.sh/v1alpha1/ScaledObject",
      "keda.sh/v1alpha1/ScaledJob",
      "external-secrets.io/v1/ExternalSecret",
      "external-secrets.io/v1/ClusterSecretStore",
      "velero.io/v1/Schedule",
      "velero.io/v1/BackupStorageLocation",
      "monitoring.coreos.com/v1/PodMonitor",
      "monitoring.coreos.com/v1/ServiceMonitor",
    ];
    for (const key of keys) {
      expect(crds.has(key), key).toBe(true);
    }
    expect(crds.has("external-secrets.io/v1beta1/ExternalSecret")).toBe(false);
  });

  it("produce only schema-valid objects for random valid scale requirements", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...combinations),
        scale,
        async ({ task, cloud, workload }, scale_requirements) => {
          const input = planInputSchema.parse({
            infrastructure_task: task,
            cloud_provider: cloud,
            workload_type: workload,
            scale_requirements: scaleFor(task, workload, scale_requirements),
          });
          const plan = await generatePlan(input);
          expect(plan.deployment_manifests.length).toBeGreaterThan(0);
          const errors = (await Promise.all(plan.deployment_manifests.map((o) => officialErrors(o, crds)))).flat();
          expect(errors).toEqual([]);
          const severe = plan.security_report.findings.filter(
            (f) => f.severity === "critical" || f.severity === "high",
          );
          expect(severe).toEqual([]);
          expect(blocking(plan)).toEqual([]);
        },
      ),
      { numRuns: 160 },
    );
  });

  it(
    "stay valid with random names, node pools and training sizes (inputs the schema accepts)",
    { timeout: 120_000 },
    async () => {
      const dnsName = (max: number) => fc.stringMatching(new RegExp(`^[a-z]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`));
      const draft = fc.constantFrom(...combinations).chain(({ task, cloud, workload }) =>
        fc.record({
          infrastructure_task: fc.constant(task),
          cloud_provider: fc.constant(cloud),
          workload_type: fc.constant(workload),
          scale_requirements: scale.map((s) => scaleFor(task, workload, s)),
          cluster_name: dnsName(40),
          model_server: fc.record({ name: dnsName(50) }),
          training: fc.record({
            job_name: dnsName(50),
            nodes: fc.integer({ min: 1, max: 64 }),
            gpus_per_node: fc.integer({ min: 1, max: 8 }),
          }),
          node_pools: fc.uniqueArray(
            fc
              .record({
                name: dnsName(40),
                instance_type: fc.constantFrom(...listInstanceTypes(cloud)),
                min_nodes: fc.integer({ min: 0, max: 10 }),
                extra: fc.integer({ min: 0, max: 200 }),
                capacity_type: fc.constantFrom(
                  ...(cloud === "on_premise" ? (["on_demand"] as const) : (["on_demand", "spot"] as const)),
                ),
                labels: fc.constantFrom(
                  { "workload-type": workload, accelerator: "gpu" },
                  { "workload-type": "training" },
                  { "ml-platform/team": "vision" },
                  {},
                ),
                taints: fc.constantFrom(
                  [],
                  [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" as const }],
                  [{ key: "ml-platform/dedicated", value: "", effect: "NoExecute" as const }],
                ),
              })
              .map(({ extra, ...p }) => ({ ...p, max_nodes: Math.max(1, p.min_nodes + extra) })),
            { minLength: 1, maxLength: 4, selector: (p) => p.name },
          ),
        }),
      );
      await fc.assert(
        fc.asyncProperty(draft, async (d) => {
          const parsed = planInputSchema.safeParse(d);
          fc.pre(parsed.success); // e.g. no GPU pool, or more GPUs per node than the pool has
          if (!parsed.success) return;
          const plan = await generatePlan(parsed.data);
          const errors = (await Promise.all(plan.deployment_manifests.map((o) => officialErrors(o, crds)))).flat();
          expect(errors).toEqual([]);
          expect(
            plan.security_report.findings.filter((f) => f.severity === "critical" || f.severity === "high"),
          ).toEqual([]);
          expect(blocking(plan)).toEqual([]);
        }),
        { numRuns: 150 },
      );
    },
  );

  it.each(combinations)(
    "$task / $cloud / $workload with defaults is valid against the official schemas",
    async ({ task, cloud, workload }) => {
      const plan = await generatePlan(
        planInputSchema.parse({ infrastructure_task: task, cloud_provider: cloud, workload_type: workload }),
      );
      const errors = (await Promise.all(plan.deployment_manifests.map((o) => officialErrors(o, crds)))).flat();
      expect(errors).toEqual([]);
      expect(plan.validation.valid).toBe(true);
      expect(plan.runbooks.length).toBe(4);
      expect(blocking(plan)).toEqual([]);
      expect(plan.security_report.findings.filter((f) => f.severity === "critical" || f.severity === "high")).toEqual(
        [],
      );
    },
  );

  // The variants the review tried: spot pools everywhere, the largest sizes the pools allow, long names.
  const extremes: [string, Record<string, unknown>][] = [
    [
      "AKS spot training on every pool",
      {
        cloud_provider: "azure",
        workload_type: "training",
        node_pools: [
          {
            name: "gpu-training",
            instance_type: "Standard_ND96asr_v4",
            min_nodes: 0,
            max_nodes: 20,
            capacity_type: "spot",
            labels: { "workload-type": "training" },
            taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
          },
        ],
      },
    ],
    [
      "GKE spot GPU pool without its own taints",
      {
        cloud_provider: "gcp",
        workload_type: "inference",
        node_pools: [
          {
            name: "serving",
            instance_type: "g2-standard-4",
            min_nodes: 0,
            max_nodes: 10,
            capacity_type: "spot",
            labels: { "workload-type": "inference" },
          },
        ],
      },
    ],
    [
      "training as large as the pool allows",
      { cloud_provider: "aws", workload_type: "training", training: { nodes: 20, gpus_per_node: 8 } },
    ],
    // min 1: autoscaled inference cannot sleep at 0 (nothing outside its pods could wake it), so the schema refuses 0.
    [
      "inference at the pool's maximum",
      { cloud_provider: "aws", workload_type: "inference", scale_requirements: { min_replicas: 1, max_replicas: 100 } },
    ],
    [
      "40-character cluster name on GCP",
      { cloud_provider: "gcp", workload_type: "streaming", cluster_name: "abcdefghijklmnopqrstuvwxyz-abcdefghijklm" },
    ],
    [
      "on premises with the oldest Kubernetes",
      { cloud_provider: "on_premise", workload_type: "batch", kubernetes_version: "1.29" },
    ],
    [
      "vLLM inference on GKE",
      { cloud_provider: "gcp", workload_type: "inference", model_server: { image: "vllm/vllm-openai:v0.11.0" } },
    ],
    [
      "vLLM batch workers on EKS",
      { cloud_provider: "aws", workload_type: "batch", model_server: { image: "vllm/vllm-openai:v0.11.0" } },
    ],
    [
      "multi-node EFA training on p5",
      {
        cloud_provider: "aws",
        workload_type: "training",
        training: { nodes: 4 },
        node_pools: [
          {
            name: "h100",
            instance_type: "p5.48xlarge",
            min_nodes: 0,
            max_nodes: 8,
            labels: { "workload-type": "training" },
            taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
          },
        ],
      },
    ],
    [
      "multi-node InfiniBand training on ND H100 v5",
      {
        cloud_provider: "azure",
        workload_type: "training",
        training: { nodes: 4 },
        node_pools: [
          {
            name: "h100",
            instance_type: "Standard_ND96isr_H100_v5",
            min_nodes: 0,
            max_nodes: 8,
            labels: { "workload-type": "training" },
            taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
          },
        ],
      },
    ],
    [
      "multi-node compact-placed training on GKE A3 High",
      {
        cloud_provider: "gcp",
        workload_type: "training",
        training: { nodes: 4 },
        node_pools: [
          {
            name: "h100",
            instance_type: "a3-highgpu-8g",
            min_nodes: 0,
            max_nodes: 8,
            capacity_type: "spot",
            labels: { "workload-type": "training" },
            taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
          },
        ],
      },
    ],
    // NCCL over TCP works, several times slower: a medium finding, never a blocking one.
    [
      "multi-node p4d training with EFA turned off",
      { cloud_provider: "aws", workload_type: "training", training: { nodes: 8, efa: false } },
    ],
    [
      "own consumer image and command",
      {
        cloud_provider: "azure",
        workload_type: "streaming",
        workers: { image: "registry.example.com/consumer:1.0", command: ["/app/consumer"] },
      },
    ],
    [
      "the newest Kubernetes every service supports",
      { cloud_provider: "aws", workload_type: "inference", kubernetes_version: "1.36" },
    ],
  ];
  describe.each(extremes)("extreme input: %s", (_, draft) => {
    it.each(infrastructureTasks)("%s has no blocking viability finding", async (task) => {
      const plan = await generatePlan(planInputSchema.parse({ infrastructure_task: task, ...draft }));
      expect(blocking(plan)).toEqual([]);
      expect(plan.security_report.findings.filter((f) => f.severity === "critical" || f.severity === "high")).toEqual(
        [],
      );
      const errors = (await Promise.all(plan.deployment_manifests.map((o) => officialErrors(o, crds)))).flat();
      expect(errors).toEqual([]);
    });
  });
});

function blocking(plan: PlanOutput) {
  return blockingFindings(plan.viability_report).map(
    (f) => `${f.check} ${f.object.kind}/${f.object.name}: ${f.message}`,
  );
}
