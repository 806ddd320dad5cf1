// The second platform-engineer review's findings on generated plans: pods that fit one node of their pool,
// Karpenter NodePools that each reach (and stay within) the pool's max_nodes, GKE/AKS node upgrades confined to a
// maintenance window, and multi-node p4d/p5 training without EFA reported.
import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { generatePlan } from "./generate-plan";
import { kubeletReserved, memoryGib, nodeRoom, nodeShape } from "./node-allocatable";
import { buildPlanContext, podShareOfNode } from "./plan-context";
import { recoverNodeProvisioningFailure } from "./recoveries";
import { cloudProviders, infrastructureTasks, planInputSchema, workloadTypes, type PlanInputDraft } from "./schema";
import { terraformAks } from "./terraform-aks";
import { terraformGke } from "./terraform-gke";
import { viabilityFactsFor } from "./viability/plan-facts";

const plan = (draft: PlanInputDraft) => generatePlan(planInputSchema.parse(draft));
type Any = Record<string, any>;
const findingsOf = (findings: { check: string; severity: string; message: string; fix: string }[], check: string) =>
  findings.filter((f) => f.check === check);
const newChecks = [
  "viability.pod-exceeds-node",
  "viability.fallback-too-small",
  "viability.fallback-pool-order",
  "viability.fallback-pool-limits",
  "viability.primary-pool-capped",
  "viability.training-node-upgrade",
  "viability.training-without-efa",
];

describe("node allocatable", () => {
  it("reserves by GKE's published tiers: 16 GiB keeps 2.6 GiB + 100 MiB, 4 cores keep 80m", () => {
    const r = kubeletReserved({ vcpu: 4, memoryGib: 16 });
    expect(r.cpu).toBeCloseTo(0.08, 5);
    expect(r.memoryGib).toBeCloseTo(2.6 + 100 / 1024, 5);
  });

  it("parses Kubernetes memory quantities", () => {
    expect(memoryGib("12Gi")).toBe(12);
    expect(memoryGib("512Mi")).toBe(0.5);
    expect(memoryGib("16G")).toBeCloseTo(14.9, 1);
    expect(memoryGib("lots")).toBeUndefined();
  });

  it("sizes a whole-node training pod below the node's room on a 16 GiB GPU node (85% would not fit)", () => {
    const input = planInputSchema.parse({
      infrastructure_task: "cluster_setup",
      workload_type: "training",
      training: { gpus_per_node: 1, nodes: 1 },
      node_pools: [
        {
          name: "small",
          instance_type: "g5.xlarge",
          min_nodes: 0,
          max_nodes: 4,
          labels: { "workload-type": "training" },
        },
      ],
    });
    const share = podShareOfNode(input, input.node_pools[0]!);
    const room = nodeRoom(nodeShape("aws", "g5.xlarge")!);
    expect(share.memory).toBe("12Gi"); // 85% of 16 GiB is 13, above the ~12.3 GiB room
    expect(memoryGib(share.memory)!).toBeLessThanOrEqual(room.memoryGib);
  });
});

describe("per-node fit on generated plans", () => {
  it("blocks a model server larger than one node of its pool, naming the type and the shortfall", async () => {
    const out = await plan({
      infrastructure_task: "cluster_setup",
      cloud_provider: "aws",
      workload_type: "inference",
      model_server: { memory: "40Gi" },
    });
    const [finding] = findingsOf(out.viability_report.findings, "viability.pod-exceeds-node");
    expect(finding?.severity).toBe("high");
    // Neither the g5.xlarge primary nor its fallbacks (g5.2xlarge, g6.xlarge) hold 40 GiB.
    expect(finding!.message).toMatch(/g5\.xlarge \(memory 40 > 12\.\d+ GiB\)/);
    expect(finding!.message).toMatch(/g5\.2xlarge \(memory 40 > 2\d\.\d+ GiB\)/);
  });

  it("reports a fallback type too small for the pool's pods (medium), naming it", async () => {
    const out = await plan({
      infrastructure_task: "cluster_setup",
      cloud_provider: "aws",
      workload_type: "inference",
      model_server: { cpu: "6", memory: "24Gi" },
      node_pools: [
        {
          name: "inference",
          instance_type: "g5.2xlarge",
          fallback_instance_types: ["g5.xlarge"],
          min_nodes: 1,
          max_nodes: 10,
          labels: { "workload-type": "inference" },
          taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
        },
      ],
    });
    const [finding] = findingsOf(out.viability_report.findings, "viability.fallback-too-small");
    expect(finding?.severity).toBe("medium");
    expect(finding!.message).toContain("g5.xlarge (CPU 6 > ");
    expect(finding!.fix).toContain("Drop g5.xlarge");
  });

  it("a node-provisioning recovery keeps only fallbacks at least as large as the new primary", () => {
    const input = planInputSchema.parse({ infrastructure_task: "auto_scaling" });
    const r = recoverNodeProvisioningFailure(input, { node_pool: "inference", instance_type: "g5.xlarge" });
    const pool = r.plan!.node_pools.find((p) => p.name === "inference")!;
    const primary = nodeShape("aws", pool.instance_type)!;
    // Cheaper 4-vCPU/16-GiB types (g6.xlarge, g4dn.xlarge) are alternatives, but not fallbacks of a g5.2xlarge.
    expect(r.alternatives.some((a) => nodeShape("aws", a.instance_type)!.memoryGib < primary.memoryGib)).toBe(true);
    for (const t of pool.fallback_instance_types) {
      const s = nodeShape("aws", t)!;
      expect([s.vcpu >= primary.vcpu, s.memoryGib >= primary.memoryGib, s.gpus >= primary.gpus]).toEqual([
        true,
        true,
        true,
      ]);
    }
  });

  it("none of the new rules fires on any of the 80 default plans", async () => {
    for (const task of infrastructureTasks)
      for (const cloud of cloudProviders)
        for (const workload of workloadTypes) {
          const out = await plan({ infrastructure_task: task, cloud_provider: cloud, workload_type: workload });
          const found = out.viability_report.findings.filter((f) => newChecks.includes(f.check));
          expect(found.map((f) => `${task}/${cloud}/${workload} ${f.check}: ${f.message}`)).toEqual([]);
        }
  }, 120_000);
});

describe("Karpenter fallback NodePools", () => {
  it("weights the primary highest and lets each NodePool, the primary first, reach max_nodes alone", async () => {
    const out = await plan({ infrastructure_task: "cluster_setup", cloud_provider: "aws", workload_type: "training" });
    const pools = out.deployment_manifests.filter((o) => o.kind === "NodePool") as (KubernetesObject & {
      spec: Any;
    })[];
    for (const name of ["gpu-training", "inference"]) {
      const group = pools.filter((p) => p.metadata.name === name || p.metadata.name.startsWith(`${name}-`));
      expect(group.length).toBeGreaterThan(1);
      const weights = group.map((p) => Number(p.spec.weight));
      expect(new Set(weights).size).toBe(weights.length);
      expect(Math.max(...weights)).toBe(weights[0]);
      const input = planInputSchema.parse({ infrastructure_task: "cluster_setup", cloud_provider: "aws" });
      const pool = input.node_pools.find((p) => p.name === name)!;
      // 20 p4d on the default GPU training pool, not the 8 a three-way split left the primary.
      for (const nodePool of group) {
        const types: string[] = nodePool.spec.template.spec.requirements.find(
          (r: Any) => r.key === "node.kubernetes.io/instance-type",
        ).values;
        const perNode = nodeShape("aws", types[0]!)!.gpus;
        expect(Number(nodePool.spec.limits["nvidia.com/gpu"]) / perNode).toBe(pool.max_nodes - pool.min_nodes);
      }
    }
  });

  it("reports equal weights and a NodePool allowed past the pool's max_nodes", async () => {
    const out = await plan({ infrastructure_task: "cluster_setup", cloud_provider: "aws", workload_type: "training" });
    const widened = out.deployment_manifests.map((o) =>
      o.kind === "NodePool" && o.metadata.name.startsWith("gpu-training")
        ? {
            ...o,
            spec: {
              ...(o.spec as Record<string, unknown>),
              weight: 50,
              limits: { cpu: "3840", memory: "40960Gi", "nvidia.com/gpu": "320" },
            },
          }
        : o,
    );
    const { checkViability } = await import("./viability/check-viability");
    const ctx = buildPlanContext(
      planInputSchema.parse({ infrastructure_task: "cluster_setup", workload_type: "training" }),
    );
    const report = checkViability(widened, viabilityFactsFor(ctx));
    expect(findingsOf(report.findings, "viability.fallback-pool-order")).toHaveLength(1);
    const [limits] = findingsOf(report.findings, "viability.fallback-pool-limits");
    expect(limits!.message).toContain("nvidia.com/gpu 320 GPUs > 160");
  });
});

describe("managed node upgrades", () => {
  const ctxOf = (cloud: "gcp" | "azure") =>
    buildPlanContext(
      planInputSchema.parse({ infrastructure_task: "cluster_setup", cloud_provider: cloud, workload_type: "training" }),
    );

  it("GKE: a maintenance_policy recurring window, surge upgrades on training pools", () => {
    const main = terraformGke(ctxOf("gcp"))["main.tf"] ?? "";
    expect(main).toMatch(
      /maintenance_policy \{\n\s+recurring_window \{\n\s+start_time = "[^"]+"\n\s+end_time\s+= "[^"]+"\n\s+recurrence = "FREQ=WEEKLY;BYDAY=SA,SU"/,
    );
    const training = main.slice(main.indexOf('resource "google_container_node_pool" "gpu_training"'));
    expect(training).toMatch(/upgrade_settings \{\n\s+max_surge\s+= 1\n\s+max_unavailable = 0/);
  });

  it("AKS: node OS upgrades in a weekly maintenance_window_node_os, upgrade_settings on on-demand training pools", () => {
    const main = terraformAks(ctxOf("azure"))["main.tf"] ?? "";
    expect(main).toContain('node_os_upgrade_channel = "NodeImage"');
    expect(main).toMatch(
      /maintenance_window_node_os \{\n\s+frequency\s+= "Weekly"\n\s+interval\s+= 1\n\s+duration\s+= 8/,
    );
    // The default GPU training pool is spot, where AKS takes no upgrade_settings; the CPU training pool has them.
    const cpu = main.slice(main.indexOf('resource "azurerm_kubernetes_cluster_node_pool" "cpu_training"'));
    expect(cpu.slice(0, cpu.indexOf("\n}\n"))).toMatch(
      /upgrade_settings \{\n\s+max_surge\s+= "1"\n\s+drain_timeout_in_minutes\s+= 60/,
    );
    const gpu = main.slice(main.indexOf('resource "azurerm_kubernetes_cluster_node_pool" "gpu_training"'));
    expect(gpu.slice(0, gpu.indexOf("\n}\n"))).not.toContain("upgrade_settings");
  });

  it.each(["gcp", "azure"] as const)("%s: the checker is told what confines the upgrades", (cloud) => {
    const facts = viabilityFactsFor(ctxOf(cloud));
    for (const pool of facts.pools) expect(pool.managedUpgrades?.confinedBy).toBeTruthy();
  });
});

describe("EFA on multi-node p4d/p5 training", () => {
  it("training.efa false: the ranks ask for no EFA and the report says what it costs (medium)", async () => {
    const off = await plan({
      infrastructure_task: "cluster_setup",
      cloud_provider: "aws",
      workload_type: "training",
      training: { nodes: 4, efa: false },
    });
    const job = off.deployment_manifests.find((o) => o.kind === "Job")! as KubernetesObject & { spec: Any };
    expect(job.spec.template.spec.containers[0].resources.requests["vpc.amazonaws.com/efa"]).toBeUndefined();
    const [finding] = findingsOf(off.viability_report.findings, "viability.training-without-efa");
    expect(finding?.severity).toBe("medium");
    expect(finding!.message).toContain("p4d.24xlarge, 4 EFA interfaces");
    expect(finding!.fix).toContain("training.efa: true");

    const on = await plan({
      infrastructure_task: "cluster_setup",
      cloud_provider: "aws",
      workload_type: "training",
      training: { nodes: 4 },
    });
    expect(findingsOf(on.viability_report.findings, "viability.training-without-efa")).toEqual([]);
  });

  it("refuses a training.efa that is not a boolean, naming the field", () => {
    const r = planInputSchema.safeParse({ infrastructure_task: "cluster_setup", training: { efa: "no" } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain("training.efa must be true or false");
  });
});
