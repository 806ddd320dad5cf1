// Property: every task x cloud x workload, with random valid scale requirements, produces only objects that the
// official CRDs (ajv) and the Kubernetes schemas (kubernetes-models) accept, with no critical/high findings.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { ValidateFunction } from "ajv";
import { generatePlan } from "./generate-plan";
import { listInstanceTypes } from "@/lib/pricing/lookup-price";
import { cloudProviders, infrastructureTasks, planInputSchema, workloadTypes } from "./schema";
import { loadOfficialCrdValidators, officialErrors } from "./official-crd-validator.test-support";

let crds: Map<string, ValidateFunction>;
beforeAll(() => {
  crds = loadOfficialCrdValidators();
});

const combinations = infrastructureTasks.flatMap((task) => cloudProviders.flatMap((cloud) => workloadTypes.map((workload) => ({ task, cloud, workload }))));

const scale = fc
  .record({ a: fc.integer({ min: 0, max: 1000 }), b: fc.integer({ min: 1, max: 1000 }), target: fc.double({ min: 0.05, max: 1, noNaN: true }) })
  .map(({ a, b, target }) => ({ min_replicas: Math.min(a, b), max_replicas: Math.max(a, b), target_gpu_utilization: target }));

describe("all 80 combinations", () => {
  it("there are 80 of them", () => {
    expect(combinations).toHaveLength(80);
  });

  it("the official CRDs needed are present (NodePool, EC2NodeClass, KEDA, ExternalSecret v1, Velero, Prometheus Operator)", () => {
    const keys = [
      "karpenter.sh/v1/NodePool", "karpenter.k8s.aws/v1/EC2NodeClass", "keda.sh/v1alpha1/ScaledObject", "keda.sh/v1alpha1/ScaledJob",
      "external-secrets.io/v1/ExternalSecret", "external-secrets.io/v1/ClusterSecretStore", "velero.io/v1/Schedule", "velero.io/v1/BackupStorageLocation",
      "monitoring.coreos.com/v1/PodMonitor", "monitoring.coreos.com/v1/ServiceMonitor",
    ];
    for (const key of keys) {
      expect(crds.has(key), key).toBe(true);
    }
    expect(crds.has("external-secrets.io/v1beta1/ExternalSecret")).toBe(false);
  });

  it("produce only schema-valid objects for random valid scale requirements", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...combinations), scale, async ({ task, cloud, workload }, scale_requirements) => {
        const input = planInputSchema.parse({ infrastructure_task: task, cloud_provider: cloud, workload_type: workload, scale_requirements });
        const plan = await generatePlan(input);
        expect(plan.deployment_manifests.length).toBeGreaterThan(0);
        const errors = (await Promise.all(plan.deployment_manifests.map((o) => officialErrors(o, crds)))).flat();
        expect(errors).toEqual([]);
        const severe = plan.security_report.findings.filter((f) => f.severity === "critical" || f.severity === "high");
        expect(severe).toEqual([]);
      }),
      { numRuns: 160 },
    );
  });

  it("stay valid with random names, node pools and training sizes (inputs the schema accepts)", { timeout: 120_000 }, async () => {
    const dnsName = (max: number) => fc.stringMatching(new RegExp(`^[a-z]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`));
    const draft = fc.constantFrom(...combinations).chain(({ task, cloud, workload }) =>
      fc.record({
        infrastructure_task: fc.constant(task),
        cloud_provider: fc.constant(cloud),
        workload_type: fc.constant(workload),
        scale_requirements: scale,
        cluster_name: dnsName(40),
        model_server: fc.record({ name: dnsName(50) }),
        training: fc.record({ job_name: dnsName(50), nodes: fc.integer({ min: 1, max: 64 }), gpus_per_node: fc.integer({ min: 1, max: 8 }) }),
        node_pools: fc.uniqueArray(
          fc.record({
            name: dnsName(40),
            instance_type: fc.constantFrom(...listInstanceTypes(cloud)),
            min_nodes: fc.integer({ min: 0, max: 10 }),
            extra: fc.integer({ min: 0, max: 200 }),
            capacity_type: fc.constantFrom(...(cloud === "on_premise" ? (["on_demand"] as const) : (["on_demand", "spot"] as const))),
            labels: fc.constantFrom({ "workload-type": workload, accelerator: "gpu" }, { "workload-type": "training" }, { "ml-platform/team": "vision" }, {}),
            taints: fc.constantFrom([], [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" as const }], [{ key: "ml-platform/dedicated", value: "", effect: "NoExecute" as const }]),
          }).map(({ extra, ...p }) => ({ ...p, max_nodes: Math.max(1, p.min_nodes + extra) })),
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
        expect(plan.security_report.findings.filter((f) => f.severity === "critical" || f.severity === "high")).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it.each(combinations)("$task / $cloud / $workload with defaults is valid against the official schemas", async ({ task, cloud, workload }) => {
    const plan = await generatePlan(planInputSchema.parse({ infrastructure_task: task, cloud_provider: cloud, workload_type: workload }));
    const errors = (await Promise.all(plan.deployment_manifests.map((o) => officialErrors(o, crds)))).flat();
    expect(errors).toEqual([]);
    expect(plan.validation.valid).toBe(true);
    expect(plan.runbooks.length).toBe(4);
  });
});
