// Runbook and recovery commands that would mislead on a real cluster (issue 15, item 15).
import { describe, expect, it } from "vitest";
import { buildRunbooks } from "./build-runbooks";
import { amiAlias } from "./build-karpenter";
import { colocatedTrainingPool } from "./training-interconnect";
import { buildPlanContext } from "./plan-context";
import { buildRecoveryPlans } from "./recovery-plans";
import { planInputSchema } from "./schema";

const ctxFor = (cloud: string, task = "cluster_setup") =>
  buildPlanContext(
    planInputSchema.parse({ infrastructure_task: task, cloud_provider: cloud, workload_type: "training" }),
  );

describe("runbooks", () => {
  it("aws: multi-node EFA training says the image needs aws-ofi-nccl; other clouds do not", () => {
    const debug = buildRunbooks(ctxFor("aws")).find((r) => r.includes("# Debug checklist"))!;
    expect(debug).toContain("aws-ofi-nccl");
    expect(debug).toContain("NET/OFI Selected Provider is efa");
    expect(buildRunbooks(ctxFor("gcp")).join("\n")).not.toContain("aws-ofi-nccl");
  });

  it.each(["gcp", "azure"])(
    "%s: reads the managed autoscaler's status, not cluster-autoscaler pods that do not exist",
    (cloud) => {
      const [nodes] = buildRunbooks(ctxFor(cloud));
      expect(nodes).not.toContain("app=cluster-autoscaler");
      expect(nodes).toContain("configmap cluster-autoscaler-status -n kube-system");
    },
  );

  it("azure: looks spot GPU quota up as low-priority cores, and names the spot taint AKS adds", () => {
    const [nodes] = buildRunbooks(ctxFor("azure"));
    expect(nodes).toContain("az vm list-usage --location eastus --query \"[?name.value=='lowPriorityCores']\"");
    expect(nodes).not.toContain("$family");
    expect(nodes).not.toMatch(/grep -i "ND96asr"/);
    expect(nodes).toContain("kubernetes.azure.com/scalesetpriority=spot:NoSchedule");
  });

  it("gcp: a Standard spot pool's nodes carry the gke-spot taint only when the pool sets it", () => {
    const [nodes] = buildRunbooks(ctxFor("gcp"));
    expect(nodes).toContain("Confirm pods tolerate nvidia.com/gpu=present:NoSchedule and select");
    expect(nodes).not.toContain("cloud.google.com/gke-spot=true:NoSchedule");
    const input = planInputSchema.parse({
      infrastructure_task: "cluster_setup",
      cloud_provider: "gcp",
      workload_type: "training",
    });
    const tainted = {
      ...input,
      node_pools: input.node_pools.map((p) =>
        p.capacity_type === "spot"
          ? {
              ...p,
              taints: [...p.taints, { key: "cloud.google.com/gke-spot", value: "true", effect: "NoSchedule" as const }],
            }
          : p,
      ),
    };
    expect(buildRunbooks(buildPlanContext(tainted))[0]).toContain("cloud.google.com/gke-spot=true:NoSchedule");
  });

  it("azure: looks on-demand GPU quota up by VM family", () => {
    const input = planInputSchema.parse({
      infrastructure_task: "cluster_setup",
      cloud_provider: "azure",
      workload_type: "training",
    });
    const onDemand = {
      ...input,
      node_pools: input.node_pools.map((p) => ({ ...p, capacity_type: "on_demand" as const })),
    };
    const [nodes] = buildRunbooks(buildPlanContext(onDemand));
    expect(nodes).toContain('--size Standard_ND96asr_v4 --query "[0].family"');
    expect(nodes).toContain("az vm list-usage --location eastus --query \"[?name.value=='$family']\"");
  });

  it.each(["gcp", "azure"])("%s: says fallback types need a second pool, since a pool has one size", (cloud) => {
    const [nodes] = buildRunbooks(ctxFor(cloud));
    expect(nodes).not.toMatch(/Add fallback instance types/);
    expect(nodes).toMatch(/fallback instance types \(now: [^)]*\) are not applied: add a second node pool/);
  });

  it("on premises: no Cluster API commands, since the plan writes none", () => {
    const [nodes] = buildRunbooks(ctxFor("on_premise"));
    expect(nodes).not.toContain("machinedeployments");
  });
});

describe("recovery plans", () => {
  it.each(["aws", "gcp", "azure", "on_premise"])(
    "%s: reinstall Velero with its node agent after recreating the cluster, restore over existing objects",
    (cloud) => {
      const plans = buildRecoveryPlans(ctxFor(cloud, "disaster_recovery"), {
        clusterPlanObjects: [],
        backupIdentity: cloud !== "on_premise",
        secretsIdentity: cloud !== "on_premise",
      });
      const steps = plans.find((p) => p.scenario === "cluster_failure")!.steps;
      const install = steps.findIndex((s) => s.command[0] === "helm" && s.command.includes("velero"));
      // After recreating the cluster and the add-ons whose CRDs the restore needs; on premises also after the
      // network, workers, GPU stack and NFS class (recovery-plans.test.ts checks the orders).
      expect(install).toBeGreaterThan(1);
      // The backups are listed by the new cluster's Velero, after it is reinstalled: the failed one cannot answer.
      const listBackups = steps.findIndex((s) => s.command.join(" ").startsWith("velero backup get"));
      expect(listBackups).toBeGreaterThan(install);
      expect(steps[install]!.command).toEqual(expect.arrayContaining(["--version", "10.1.0"]));
      expect(steps[install]!.command).toEqual(expect.arrayContaining(["--values", "velero-values.yaml"]));
      expect(steps[install]!.validation).toEqual([
        "kubectl",
        "rollout",
        "status",
        "daemonset/node-agent",
        "-n",
        "velero",
        "--timeout=300s",
      ]);
      // The whole Terraform, so GKE and AKS node pools (resources of their own) come back with the cluster.
      // On premises after the audit policy is put in place; on the clouds after terraform init.
      const recreate = steps[1]!;
      expect(recreate.command).toEqual(
        cloud === "on_premise" ? expect.arrayContaining(["kubeadm", "init"]) : ["terraform", "-chdir=cluster", "apply"],
      );
      expect(recreate.validation?.join(" ")).toMatch(
        cloud === "gcp" ? /node-pools list/ : cloud === "azure" ? /nodepool list/ : /./,
      );
      const restores = plans
        .flatMap((p) => p.steps)
        .filter((s) => s.command.slice(0, 3).join(" ") === "velero restore create");
      // Training: the full restore, the checkpoints claim through the backup reader (off EKS, where AWS Backup
      // holds it instead), the training Job, the model registry, the feature store.
      expect(restores.length).toBe(cloud === "aws" ? 4 : 5);
      for (const r of restores) expect(r.command).toContain("--existing-resource-policy=update");
      expect(JSON.stringify(plans)).not.toContain("cluster-api/");
    },
  );
});

const runbooksFor = (cloud: string, workload_type: string) =>
  buildRunbooks(
    buildPlanContext(
      planInputSchema.parse({ infrastructure_task: "cluster_setup", cloud_provider: cloud, workload_type }),
    ),
  );

describe("runbook wording per plan", () => {
  it.each(["training", "batch", "streaming"])("%s plans carry no inference runbook or model server step", (w) => {
    for (const cloud of ["aws", "gcp", "azure", "on_premise"]) {
      const text = runbooksFor(cloud, w).join("\n");
      expect(text).not.toContain("high inference latency");
      expect(text).not.toContain("model server's PodMonitor");
      expect(text).not.toContain("deploy/model-server");
    }
  });

  it("only training plans are told to read NCCL logs", () => {
    expect(runbooksFor("aws", "inference").join("\n")).not.toContain("NCCL:");
    expect(runbooksFor("aws", "training").join("\n")).toContain("NCCL:");
  });

  it.each(["gcp", "azure"])("%s: a colocated training pool is checked in its one zone, not every zone", (cloud) => {
    const ctx = ctxFor(cloud);
    const text = buildRunbooks(ctx)[0]!;
    if (colocatedTrainingPool(ctx.input, ctx.workloadPool)) {
      expect(text).toContain("in the one training zone (Terraform variable training_zone)");
      expect(text).not.toContain("every zone");
    } else {
      expect(text).toMatch(/every zone|zones 1, 2 and 3/);
    }
  });

  it("aws: an EFA training pool is checked in its placement group's zone", () => {
    const text = runbooksFor("aws", "training")[0]!;
    expect(text).toContain("zone of the training placement group's subnet");
  });

  it.each(["gcp", "azure"])(
    "%s: a second pool of another GPU model gets its own accelerator label, not a copy of this pool's",
    (cloud) => {
      const text = runbooksFor(cloud, "inference")[0]!;
      expect(text).toContain("remove accelerator from the workload's nodeSelector");
      expect(text).not.toMatch(/with \S+'s labels and taints/);
    },
  );

  it("training fallback advice keeps one GPU model per run", () => {
    expect(runbooksFor("gcp", "training")[0]).toContain("Keep one GPU model and GPU count per training run");
  });

  it("aws: says Karpenter's pinned AMI and the node groups' release must match, and how to align them", () => {
    const checklist = runbooksFor("aws", "inference")[3]!;
    expect(checklist).toContain(`pinned to ${amiAlias}`);
    expect(checklist).toContain(`--release-version <Kubernetes version>-${amiAlias.split("@v")[1]}`);
    expect(runbooksFor("gcp", "inference")[3]).not.toContain("update-nodegroup-version");
  });
});
