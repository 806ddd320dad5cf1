// Multi-node training on GKE and AKS gets what AWS's EFA pools get: nodes placed close together (a COMPACT placement
// policy, a proximity placement group, in one zone) and, on ND-series, NCCL over InfiniBand through the Network
// Operator's RDMA device, which the plan lists as a requirement.
import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { generatePlan } from "./generate-plan";
import { clusterSetupSelector } from "./recovery-plans";
import { buildPlanContext } from "./plan-context";
import { planInputSchema, type PlanInputDraft } from "./schema";
import { terraformAks } from "./terraform-aks";
import { terraformGke } from "./terraform-gke";

type Any = Record<string, any>;
const parse = (draft: Omit<PlanInputDraft, "infrastructure_task">) =>
  planInputSchema.parse({ infrastructure_task: "cluster_setup", ...draft });
/** The text of one Terraform resource block. */
const resource = (main: string, type: string, name: string) => {
  const start = main.indexOf(`resource "${type}" "${name}" {`);
  expect(start, `${type}.${name}`).toBeGreaterThanOrEqual(0);
  return main.slice(start, main.indexOf("\n}\n", start));
};
const trainer = (objects: KubernetesObject[]) =>
  (objects.find((o) => o.kind === "Job") as Any).spec.template.spec.containers[0];

describe("GKE: compact placement for GPU training pools", () => {
  const tf = terraformGke(buildPlanContext(parse({ cloud_provider: "gcp", workload_type: "training" })));
  const main = tf["main.tf"]!;

  it("places the GPU training pool's nodes with a COMPACT policy in the one training zone", () => {
    const pool = resource(main, "google_container_node_pool", "gpu_training");
    expect(pool).toMatch(/placement_policy \{\n\s+type = "COMPACT"\n\s+\}/);
    expect(pool).toMatch(/node_locations = \[var\.training_zone\]/);
    expect(tf["variables.tf"]).toMatch(/variable "training_zone" \{\n\s+type\s+= string\n\s+default = "us-central1-a"/);
  });

  it("leaves the CPU training and inference pools spread over the region", () => {
    for (const name of ["cpu_training", "inference"]) {
      const pool = resource(main, "google_container_node_pool", name);
      expect(pool).not.toContain("placement_policy");
      expect(pool).not.toContain("node_locations");
    }
  });
});

describe("AKS: proximity placement group and InfiniBand for ND-series training", () => {
  const tf = terraformAks(buildPlanContext(parse({ cloud_provider: "azure", workload_type: "training" })));
  const main = tf["main.tf"]!;

  it("puts the ND96asr_v4 training pool in one proximity placement group, in a single zone", () => {
    expect(resource(main, "azurerm_proximity_placement_group", "training")).toContain(
      'name                = "${var.cluster_name}-training"',
    );
    const pool = resource(main, "azurerm_kubernetes_cluster_node_pool", "gpu_training");
    expect(pool).toMatch(/proximity_placement_group_id = azurerm_proximity_placement_group\.training\.id/);
    expect(pool).toMatch(/zones\s+= \[var\.training_zone\]/);
    const inference = resource(main, "azurerm_kubernetes_cluster_node_pool", "inference");
    expect(inference).not.toContain("proximity_placement_group_id");
    expect(inference).toMatch(/zones\s+= \["1", "2", "3"\]/);
  });

  it("creates no placement group when no training pool has InfiniBand", () => {
    const plain = terraformAks(
      buildPlanContext(
        parse({
          cloud_provider: "azure",
          workload_type: "training",
          training: { gpus_per_node: 1 },
          node_pools: [
            {
              name: "gpu-training",
              instance_type: "Standard_NC24ads_A100_v4",
              min_nodes: 0,
              max_nodes: 4,
              labels: { "workload-type": "training" },
            },
          ],
        }),
      ),
    );
    expect(plain["main.tf"]).not.toContain("azurerm_proximity_placement_group");
    expect(plain["variables.tf"]).not.toContain("training_zone");
  });

  it("multi-node ranks ask for the RDMA device and set NCCL for InfiniBand; the plan requires the Network Operator", async () => {
    const plan = await generatePlan(
      parse({ cloud_provider: "azure", workload_type: "training", training: { nodes: 4 } }),
    );
    const c = trainer(plan.deployment_manifests);
    expect(c.resources.limits["rdma/shared_ib"]).toBe("1");
    expect(c.resources.requests["rdma/shared_ib"]).toBe("1");
    const env = Object.fromEntries(c.env.map((e: Any) => [e.name, e.value]));
    expect(env).toMatchObject({ NCCL_IB_DISABLE: "0", NCCL_IB_HCA: "mlx5" });
    // Restricted profile kept: no IPC_LOCK; the memlock limit is the nodes' (the plan's containerd-memlock DaemonSet).
    expect(c.securityContext.capabilities).toEqual({ drop: ["ALL"] });
    const operator = plan.requires.find((r) => r.name.startsWith("NVIDIA Network Operator"));
    expect(operator?.provided_by).toBe("cluster");
    expect(operator?.needed_by).toEqual([expect.stringMatching(/^Job\//)]);
    expect(operator?.settings.map((s) => s.value).join(" ")).toContain('"resourceName":"shared_ib"');
    expect(plan.viability_report.findings.map((f) => f.check)).not.toContain("viability.training-without-infiniband");
    expect(plan.runbooks.join("\n")).toContain("AKSInfinibandSupport");
  });

  it("training.efa: false (the interconnect switch) keeps the ranks on TCP, reported as medium", async () => {
    const plan = await generatePlan(
      parse({ cloud_provider: "azure", workload_type: "training", training: { nodes: 4, efa: false } }),
    );
    expect(trainer(plan.deployment_manifests).resources.limits["rdma/shared_ib"]).toBeUndefined();
    expect(plan.requires.map((r) => r.name).join()).not.toContain("Network Operator");
    const finding = plan.viability_report.findings.find((f) => f.check === "viability.training-without-infiniband");
    expect(finding?.severity).toBe("medium");
  });

  it("sets the InfiniBand nodes' containerd to unlimited locked memory, in a namespace of its own, with the risk named", async () => {
    const plan = await generatePlan(
      parse({
        cloud_provider: "azure",
        workload_type: "training",
        training: { nodes: 4 },
        node_pools: [
          {
            name: "gpu-training",
            instance_type: "Standard_ND96asr_v4",
            min_nodes: 0,
            max_nodes: 4,
            capacity_type: "spot",
            labels: { "workload-type": "training" },
            taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
          },
        ],
      }),
    );
    const objects = plan.deployment_manifests;
    const ds = objects.find((o) => o.kind === "DaemonSet" && o.metadata.name === "containerd-memlock") as Any;
    expect(ds?.metadata.namespace).toBe("infiniband-node-config");
    const ns = objects.find((o) => o.kind === "Namespace" && o.metadata.name === "infiniband-node-config");
    expect(ns?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    // The training namespace keeps the restricted profile: the privilege lives only in the node-config namespace.
    const training = objects.find((o) => o.kind === "Namespace" && o.metadata.name === "ml-training");
    expect(training?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const pod = ds.spec.template.spec;
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      {
        matchExpressions: [
          { key: "node.kubernetes.io/instance-type", operator: "In", values: ["Standard_ND96asr_v4"] },
        ],
      },
    ]);
    // The pool's taint and the one AKS adds to spot nodes, or the DaemonSet never lands there.
    expect(pod.tolerations).toEqual(
      expect.arrayContaining([
        { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
        { key: "kubernetes.azure.com/scalesetpriority", operator: "Exists", effect: "NoSchedule" },
      ]),
    );
    const command = pod.containers[0].command.join(" ");
    expect(command).toContain("nsenter --target 1 --mount --pid");
    expect(command).toContain("LimitMEMLOCK=infinity");
    expect(command).toContain("/etc/systemd/system/containerd.service.d/60-memlock.conf");
    // Only a node not yet at infinity restarts containerd: a restarted pod leaves its node alone.
    expect(command).toMatch(
      /if \[ "\$\(systemctl show containerd --property=LimitMEMLOCK --value\)" != "infinity" \]; then[^]*systemctl restart containerd[^]*fi/,
    );
    // The security report keeps the accepted risks, as information with the reason; nothing high or critical.
    const mine = plan.security_report.findings.filter((f) => f.object.name === "containerd-memlock");
    expect(mine.map((f) => f.check)).toEqual(expect.arrayContaining(["pss.privileged", "pss.host-namespaces"]));
    expect(mine.filter((f) => f.severity === "critical" || f.severity === "high")).toEqual([]);
    expect(mine.find((f) => f.check === "pss.privileged")?.message).toContain("Accepted (was critical)");
    // The requirement now says which object provides the limit, and what to wait for.
    const memlock = plan.requires.find((r) => r.name.startsWith("Unlimited locked memory"));
    expect(memlock).toMatchObject({ provided_by: "plan", needed_by: [expect.stringMatching(/^Job\//)] });
    expect(memlock?.settings.map((s) => s.value).join(" ")).toContain("LimitMEMLOCK=infinity");
    expect(plan.requires.flatMap((r) => r.settings.map((s) => s.key))).not.toContain(
      "node memlock limit (containerd LimitMEMLOCK)",
    );
    expect(plan.viability_report.findings.filter((f) => f.object.name === "containerd-memlock")).toEqual([]);
  });

  it("a cluster recovery re-applies the memlock DaemonSet and its namespace with the cluster plan's node software", async () => {
    const plan = await generatePlan(parse({ cloud_provider: "azure", workload_type: "training" }));
    const names = clusterSetupSelector.match(/in \(([^)]*)\)/)![1]!.split(",");
    const selected = plan.deployment_manifests.filter((o) =>
      names.includes(o.metadata.labels?.["app.kubernetes.io/name"] ?? ""),
    );
    expect(selected.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining(["Namespace/infiniband-node-config", "DaemonSet/containerd-memlock"]),
    );
  });

  it("adds no node configuration where no pool has InfiniBand", async () => {
    for (const draft of [
      { cloud_provider: "aws" as const, workload_type: "training" as const },
      { cloud_provider: "gcp" as const, workload_type: "training" as const },
      {
        cloud_provider: "azure" as const,
        workload_type: "inference" as const,
        node_pools: [{ name: "serving", instance_type: "Standard_NC4as_T4_v3", min_nodes: 1, max_nodes: 4 }],
      },
    ]) {
      const plan = await generatePlan(parse(draft));
      expect(plan.deployment_manifests.map((o) => o.metadata.name)).not.toContain("containerd-memlock");
    }
  });

  it("one-node training asks for no RDMA device", async () => {
    const plan = await generatePlan(
      parse({ cloud_provider: "azure", workload_type: "training", training: { nodes: 1 } }),
    );
    expect(trainer(plan.deployment_manifests).resources.limits["rdma/shared_ib"]).toBeUndefined();
  });
});

describe("GKE A3 High: GPUDirect-TCPX is not generated, and the plan says so", () => {
  it("reports it as information and in the runbook", async () => {
    const plan = await generatePlan(
      parse({
        cloud_provider: "gcp",
        workload_type: "training",
        training: { nodes: 4 },
        node_pools: [
          {
            name: "h100",
            instance_type: "a3-highgpu-8g",
            min_nodes: 0,
            max_nodes: 8,
            labels: { "workload-type": "training" },
            taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }],
          },
        ],
      }),
    );
    const finding = plan.viability_report.findings.find((f) => f.check === "viability.gpudirect-not-configured");
    expect(finding?.severity).toBe("info");
    expect(plan.runbooks.join("\n")).toContain("GPUDirect-TCPX is not generated");
  });
});

describe("EKS multi-node training", () => {
  it("keeps every rank on one instance type, though several NodePools carry the labels it selects", async () => {
    const plan = await generatePlan(
      parse({ cloud_provider: "aws", workload_type: "training", training: { nodes: 4 } }),
    );
    // The NodePools a rank's nodeSelector admits: the plan writes several, of different GPU types.
    const job = plan.deployment_manifests.find((o) => o.kind === "Job") as Any;
    const pod = job.spec.template;
    const admitting = plan.deployment_manifests.filter(
      (o) =>
        o.kind === "NodePool" &&
        Object.entries(pod.spec.nodeSelector as Record<string, string>).every(
          ([k, v]) => (o.spec as Any).template.metadata.labels[k] === v,
        ),
    );
    expect(admitting.length).toBeGreaterThan(1);
    const terms = pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    expect(terms).toHaveLength(1);
    expect(terms[0].topologyKey).toBe("node.kubernetes.io/instance-type");
    // The term selects the ranks themselves (so the first may schedule alone), and nothing wider.
    for (const [k, v] of Object.entries(terms[0].labelSelector.matchLabels)) expect(pod.metadata.labels[k]).toBe(v);
    expect(terms[0].labelSelector.matchLabels["app.kubernetes.io/component"]).toBe("trainer");
  });
});
