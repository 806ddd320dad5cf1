import { describe, expect, it } from "vitest";
import { buildPlanContext } from "./plan-context";
import { planInputSchema, type PlanInputDraft } from "./schema";
import { aksPoolName, terraformAks } from "./terraform-aks";
import { terraformEks } from "./terraform-eks";
import { terraformGke } from "./terraform-gke";

const ctxOf = (draft: Omit<PlanInputDraft, "infrastructure_task">) => buildPlanContext(planInputSchema.parse({ infrastructure_task: "cluster_setup", ...draft }));

describe("Terraform", () => {
  it("EKS: GPU pools use the NVIDIA AMI, spot pools SPOT, and the cluster version from the input", () => {
    const main = terraformEks(ctxOf({ kubernetes_version: "1.30" }))["main.tf"];
    const vars = terraformEks(ctxOf({ kubernetes_version: "1.30" }))["variables.tf"];
    expect(vars).toContain('default = "1.30"');
    expect(main).toMatch(/gpu_training = \{\n\s+name\s+= "gpu-training"\n\s+instance_types = \["p4d.24xlarge", "p4de.24xlarge", "p5.48xlarge"\]\n\s+capacity_type\s+= "SPOT"\n\s+ami_type\s+= "AL2023_x86_64_NVIDIA"/);
    expect(main).toContain('"k8s.io/cluster-autoscaler/ml-production"');
    expect(main).toMatch(/enable_irsa\s+= true/);
  });

  it("EKS: a key-only taint carries no value", () => {
    const main = terraformEks(ctxOf({ node_pools: [{ name: "g", instance_type: "g5.xlarge", min_nodes: 0, max_nodes: 2, taints: [{ key: "dedicated", effect: "NoSchedule" }] }] }))["main.tf"];
    expect(main).toMatch(/taint0 = \{\n\s+key\s+= "dedicated"\n\s+effect = "NO_SCHEDULE"\n\s+\}/);
  });

  it("GKE: declares the A100 accelerators of a2-highgpu-8g and Workload Identity", () => {
    const main = terraformGke(ctxOf({ cloud_provider: "gcp" }))["main.tf"];
    expect(main).toMatch(/type\s+= "nvidia-tesla-a100"\n\s+count = 8/);
    expect(main).toContain('workload_pool = "${var.project_id}.svc.id.goog"');
    expect(main).toMatch(/spot\s+= true/); // gpu-training defaults to spot
  });

  it("AKS: pool names fit the 12-character lowercase rule and stay unique", () => {
    const pools = [{ name: "gpu-training-a100-large" }, { name: "gpu-training-a100-small" }, { name: "---" }] as never[];
    const names = pools.map((p, i) => aksPoolName(p, i));
    for (const n of names) expect(n).toMatch(/^[a-z0-9]{1,12}$/);
    expect(new Set(names).size).toBe(names.length);
    const main = terraformAks(ctxOf({ cloud_provider: "azure" }))["main.tf"];
    expect(main).toContain("workload_identity_enabled = true");
    expect(main).toMatch(/node_taints\s+= \["nvidia.com\/gpu=present:NoSchedule"\]\n\s+priority\s+= "Spot"/);
  });
});
