import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { buildManifests, generatePlan } from "./generate-plan";
import {
  reconcileNetworkPolicies,
  recoverNodeProvisioningFailure,
  recoverQuotaExceeded,
  requiredGpuQuota,
} from "./recoveries";
import { planInputSchema } from "./schema";

describe("requiredGpuQuota", () => {
  it("counts a Deployment at its ScaledObject maximum", async () => {
    // 1 GPU per model-server replica, KEDA max 30 replicas
    const out = await generatePlan(
      planInputSchema.parse({
        infrastructure_task: "auto_scaling",
        workload_type: "inference",
        scale_requirements: { min_replicas: 2, max_replicas: 30 },
      }),
    );
    expect(requiredGpuQuota(out)).toEqual([{ namespace: "ml-inference", gpus: 30 }]);
  });

  it("counts an Indexed training Job as parallelism x GPUs per pod", () => {
    const manifests = buildManifests(
      planInputSchema.parse({
        infrastructure_task: "cluster_setup",
        workload_type: "training",
        training: { nodes: 3, gpus_per_node: 4 },
      }),
    );
    expect(requiredGpuQuota({ deployment_manifests: manifests })).toEqual([{ namespace: "ml-training", gpus: 12 }]);
  });

  it("counts a Deployment without a scaler at its replicas, and nothing for a plan without GPU pods", () => {
    const setup = buildManifests(
      planInputSchema.parse({
        infrastructure_task: "cluster_setup",
        workload_type: "inference",
        scale_requirements: { min_replicas: 3 },
      }),
    );
    expect(requiredGpuQuota({ deployment_manifests: setup })).toEqual([{ namespace: "ml-inference", gpus: 3 }]);
    const dr = buildManifests(planInputSchema.parse({ infrastructure_task: "disaster_recovery" }));
    expect(requiredGpuQuota({ deployment_manifests: dr })).toEqual([]);
  });
});

describe("recoverQuotaExceeded", () => {
  it("writes the request and shrinks an inference plan to the GPUs available", () => {
    const input = planInputSchema.parse({
      infrastructure_task: "auto_scaling",
      scale_requirements: { min_replicas: 2, max_replicas: 100 },
    });
    const r = recoverQuotaExceeded(input, { requested_gpus: 100, available_gpus: 24 });
    expect(r.quota_increase_request).toContain("Requested: 100 GPUs; available now: 24; increase needed: 76 GPUs");
    expect(r.smaller_plan.scale_requirements.max_replicas).toBe(24);
    expect(r.smaller_plan.node_pools.find((p) => p.name === "inference")!.max_nodes).toBe(24);
    expect(r.smaller_plan.node_pools.find((p) => p.name === "gpu-training")!.max_nodes).toBe(3); // floor(24 / 8)
  });

  it("drops training nodes to whole nodes that fit", () => {
    const input = planInputSchema.parse({
      infrastructure_task: "cluster_setup",
      workload_type: "training",
      training: { nodes: 4, gpus_per_node: 8 },
    });
    const r = recoverQuotaExceeded(input, { requested_gpus: 32, available_gpus: 20 });
    expect(r.smaller_plan.training.nodes).toBe(2);
    expect(r.changes).toContain("training.nodes 4 -> 2 (WORLD_SIZE 32 -> 16)");
  });

  it("moves training to a smaller instance with the same GPU when less than one node fits", () => {
    const input = planInputSchema.parse({
      infrastructure_task: "cluster_setup",
      cloud_provider: "gcp",
      workload_type: "training",
    });
    const r = recoverQuotaExceeded(input, { requested_gpus: 32, available_gpus: 1 });
    const pool = r.smaller_plan.node_pools.find((p) => p.name === "gpu-training")!;
    expect(pool.instance_type).toBe("a2-highgpu-1g");
    expect(r.smaller_plan.training).toMatchObject({ nodes: 1, gpus_per_node: 1 });
  });
});

describe("quota failure text", () => {
  // The limit hit is the namespace's Kubernetes ResourceQuota: the fix is kubectl and a platform admin, not the cloud.
  it("talks about the namespace's ResourceQuota, never the cloud's instance quotas", () => {
    for (const cloud_provider of ["aws", "gcp", "azure"] as const) {
      const input = planInputSchema.parse({
        cloud_provider,
        infrastructure_task: "cluster_setup",
        workload_type: "training",
        training: { nodes: 4, gpus_per_node: 8 },
      });
      const text = recoverQuotaExceeded(input, {
        requested_gpus: 32,
        available_gpus: 16,
        quota: { namespace: "ml-training", name: "gpu-quota", hard: 16, used: 0 },
      }).quota_increase_request;
      expect(text).toContain("kubectl describe resourcequota -n ml-training");
      expect(text).toContain("ResourceQuota gpu-quota, requests.nvidia.com/gpu (hard 16, used 0)");
      expect(text).toContain(
        "a platform admin raises requests.nvidia.com/gpu in gpu-quota to at least 32; or lower the request",
      );
      expect(text).not.toMatch(/Service Quotas|IAM & Admin|Usage \+ quotas|vCPU/);
      // A training plan justifies its ranks, not the serving replicas it does not run.
      expect(text).toContain(
        "Justification: training Job distributed-training in namespace ml-training: 4 ranks × 8 GPUs",
      );
      expect(text).not.toContain("replicas");
    }
  });

  it("mentions the cloud's instance quotas for a node-provisioning failure", () => {
    const input = planInputSchema.parse({ infrastructure_task: "auto_scaling" });
    const r = recoverNodeProvisioningFailure(input, { node_pool: "inference", instance_type: "g5.xlarge" });
    expect(r.cloud_quota_hint).toContain("Service Quotas (EC2");
    expect(r.cloud_quota_hint).toContain("g5.xlarge");
  });
});

describe("recoverNodeProvisioningFailure", () => {
  it("offers same-GPU types first, then others by price, and a plan using the first", () => {
    const input = planInputSchema.parse({ infrastructure_task: "auto_scaling" });
    const r = recoverNodeProvisioningFailure(input, { node_pool: "inference", instance_type: "g5.xlarge" });
    expect(r.alternatives[0]).toMatchObject({ instance_type: "g5.2xlarge", same_gpu_model: true, hourly_delta: 0.206 });
    expect(r.alternatives.map((a) => a.instance_type)).not.toContain("g5.xlarge");
    expect(r.alternatives.some((a) => a.gpu_count === 0)).toBe(false);
    expect(r.plan!.node_pools.find((p) => p.name === "inference")!.instance_type).toBe("g5.2xlarge");
  });

  it("needs 8 GPUs for an 8-GPU training pool", () => {
    const input = planInputSchema.parse({ infrastructure_task: "auto_scaling", workload_type: "training" });
    const r = recoverNodeProvisioningFailure(input, { node_pool: "gpu-training", instance_type: "p4d.24xlarge" });
    expect(r.alternatives.every((a) => a.gpu_count >= 8)).toBe(true);
    expect(r.alternatives[0]!.instance_type).toBe("p4de.24xlarge");
  });
});

describe("reconcileNetworkPolicies", () => {
  const planned = buildManifests(planInputSchema.parse({ infrastructure_task: "security_hardening" }));
  const np = (namespace: string, name: string, spec: Record<string, unknown>) =>
    ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name, namespace },
      spec,
    }) as KubernetesObject;

  it("reports an allow-all policy that cancels default deny, and a same-name policy with another spec", () => {
    const existing = [
      np("ml-inference", "allow-everything", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] }),
      np("ml-inference", "default-deny-all", { podSelector: {}, policyTypes: ["Ingress"] }),
      np("ml-inference", "allow-prometheus-operator", {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 9090 }] }],
      }),
      np("other-team", "allow-everything", { podSelector: {}, ingress: [{}] }),
    ];
    const r = reconcileNetworkPolicies(existing, planned);
    expect(r.conflicts.map((c) => [c.kind, c.namespace, c.existing])).toEqual([
      ["widens_default_deny", "ml-inference", "allow-everything"],
      ["same_name_different_spec", "ml-inference", "default-deny-all"],
    ]);
    expect(r.remove).toEqual(["ml-inference/allow-everything"]);
    const names = r.reconciled.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(names).toContain("ml-inference/allow-prometheus-operator");
    expect(names).toContain("other-team/allow-everything"); // not a namespace the plan manages
    expect(names).not.toContain("ml-inference/allow-everything");
    expect(
      r.reconciled.filter((p) => p.metadata.namespace === "ml-inference" && p.metadata.name === "default-deny-all"),
    ).toHaveLength(1);
  });
});
