import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildManifests, generatePlan } from "./generate-plan";
import { clusterSetupSelector, karpenterChartVersion, type RecoveryPlan } from "./recovery-plans";
import { veleroRestoreStep } from "./recovery-commands";
import { buildPlanContext } from "./plan-context";
import type { KubernetesObject } from "@/lib/k8s/types";
import { planInputSchema, type PlanInputDraft } from "./schema";

const recoveryPlans = async (draft: Omit<PlanInputDraft, "infrastructure_task">) =>
  (await generatePlan(planInputSchema.parse({ infrastructure_task: "disaster_recovery", ...draft })))
    .infrastructure_config.recovery_plans as RecoveryPlan[];

describe("on-premises cluster-failure recovery", () => {
  it("rebuilds network, workers, GPU stack and NFS class between kubeadm init and Velero", async () => {
    const plans = await recoveryPlans({ cloud_provider: "on_premise", workload_type: "training" });
    const steps = plans.find((p) => p.scenario === "cluster_failure")!.steps.map((s) => s.command.join(" "));
    const at = (pattern: RegExp) => {
      const i = steps.findIndex((s) => pattern.test(s));
      expect(i, String(pattern)).toBeGreaterThanOrEqual(0);
      return i;
    };
    const order = [
      at(/^kubeadm init /),
      at(
        /^kubectl apply -f https:\/\/raw\.githubusercontent\.com\/projectcalico\/calico\/v\d+\.\d+\.\d+\/manifests\/calico\.yaml$/,
      ),
      at(/^kubeadm token create --print-join-command/),
      at(/^kubeadm join --config kubeadm\/join-gpu-training\.yaml$/),
      at(/^helm upgrade --install gpu-operator .* --version v\d+\.\d+\.\d+ /),
      at(
        /^helm upgrade --install nfs-subdir-external-provisioner .* --version \d+\.\d+\.\d+ .*storageClass\.name=nfs-client/,
      ),
      at(/^kubectl create secret generic velero-object-store /),
      at(/^helm upgrade --install velero /),
      at(/^velero restore create --from-schedule /),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it("on EKS re-installs the cluster add-ons and restores EFS through AWS Backup before velero restore", async () => {
    const plans = await recoveryPlans({ cloud_provider: "aws", workload_type: "training" });
    const steps = plans.find((p) => p.scenario === "cluster_failure")!.steps.map((s) => s.command.join(" "));
    const at = (pattern: RegExp) => {
      const i = steps.findIndex((s) => pattern.test(s));
      expect(i, String(pattern)).toBeGreaterThanOrEqual(0);
      return i;
    };
    const restore = at(/^velero restore create --from-schedule /);
    const before = [
      at(/^terraform -chdir=cluster init$/),
      at(/^terraform -chdir=cluster apply$/),
      at(/^aws eks update-kubeconfig --name ml-production --region us-west-2$/),
      at(/^terraform -chdir=backup-identity apply$/),
      at(/^terraform -chdir=secrets-identity apply$/),
      at(/^terraform -chdir=cluster output -raw karpenter_interruption_queue$/),
      at(
        /^helm upgrade --install karpenter oci:\/\/public\.ecr\.aws\/karpenter\/karpenter --version \d+\.\d+\.\d+ .*settings\.clusterName=ml-production .*settings\.interruptionQueue=\$\(KARPENTER_INTERRUPTION_QUEUE\)(?!.*role-arn)/,
      ),
      at(/^helm upgrade --install kube-prometheus-stack .* --version \d+\.\d+\.\d+ /),
      at(/^helm upgrade --install keda .* --version \d+\.\d+\.\d+ /),
      at(/^helm upgrade --install external-secrets .* --version \d+\.\d+\.\d+ /),
      at(/^kubectl apply --server-side --recursive -f cluster-setup\/ -l /),
      at(/^helm upgrade --install dcgm-exporter /),
      at(/^aws backup list-recovery-points-by-backup-vault --backup-vault-name ml-production-file-shares /),
      at(
        /^aws backup start-restore-job .*--recovery-point-arn \$\(RECOVERY_POINT_ARN\) --iam-role-arn arn:aws:iam::\d{12}:role\/ml-production-file-backups --resource-type EFS --metadata newFileSystem=true,/,
      ),
      at(/^aws backup describe-restore-job .*--restore-job-id \$\(RESTORE_JOB_ID\)/),
      at(
        /^terraform -chdir=efs-restore apply -auto-approve -var restored_file_system_id=\$\(RESTORED_FILE_SYSTEM_ID\)$/,
      ),
      at(/^terraform -chdir=efs-restore destroy -auto-approve /),
    ];
    expect(before).toEqual([...before].sort((a, b) => a - b));
    expect(Math.max(...before)).toBeLessThan(restore);
  });

  it("installs a Karpenter the cluster plan's NodePools and EC2NodeClasses accept", async () => {
    const setup = await generatePlan(
      planInputSchema.parse({ infrastructure_task: "cluster_setup", cloud_provider: "aws", workload_type: "training" }),
    );
    const min = setup.requires.find((r) => r.name === "Karpenter")!.version.replace(/^>=\s*/, "");
    const [major, minor] = karpenterChartVersion.split(".").map(Number);
    const [minMajor, minMinor] = min.split(".").map(Number);
    expect(major! * 1000 + minor!).toBeGreaterThanOrEqual(minMajor! * 1000 + minMinor!);
  });

  it.each(["gcp", "azure", "on_premise"] as const)(
    "on %s reinstalls KEDA and the Prometheus Operator CRDs before velero restore",
    async (cloud_provider) => {
      const plans = await recoveryPlans({ cloud_provider, workload_type: "batch" });
      const steps = plans.find((p) => p.scenario === "cluster_failure")!.steps.map((s) => s.command.join(" "));
      const restore = steps.findIndex((s) => s.startsWith("velero restore create --from-schedule "));
      const prometheus = steps.findIndex((s) =>
        /^helm upgrade --install kube-prometheus-stack .* --version \d/.test(s),
      );
      const keda = steps.findIndex((s) => /^helm upgrade --install keda .* --version \d/.test(s));
      expect(prometheus).toBeGreaterThan(0);
      expect(keda).toBeGreaterThan(0);
      expect(Math.max(prometheus, keda)).toBeLessThan(restore);
    },
  );
});

/** The objects a `kubectl -l` selector of `key in (a,b)` or `key=value` form picks. */
function selectObjects(objects: KubernetesObject[], selector: string): KubernetesObject[] {
  const set = /^(\S+) in \((.*)\)$/.exec(selector);
  const [key, values] = set ? [set[1]!, set[2]!.split(",")] : [selector.split("=")[0]!, [selector.split("=")[1]!]];
  return objects.filter((o) => values.includes(o.metadata?.labels?.[key] ?? ""));
}

describe("the cluster plan's re-apply before velero restore", () => {
  it("applies only Karpenter objects and the device plugin, never the claims or workloads Velero restores", async () => {
    const plans = await recoveryPlans({ cloud_provider: "aws", workload_type: "training" });
    const step = plans
      .find((p) => p.scenario === "cluster_failure")!
      .steps.find((s) => s.command.includes("cluster-setup/"))!;
    const selector = step.command[step.command.indexOf("-l") + 1]!;
    expect(selector).toBe(clusterSetupSelector);
    const setup = buildManifests(
      planInputSchema.parse({ infrastructure_task: "cluster_setup", cloud_provider: "aws", workload_type: "training" }),
    );
    const kinds = new Set(selectObjects(setup, selector).map((o) => o.kind));
    expect([...kinds].sort()).toEqual(["DaemonSet", "EC2NodeClass", "Namespace", "NodePool"]);
  });
});

describe("the Velero Schedule", () => {
  const includedNamespaces = async (workload_type: "batch" | "inference") => {
    const out = await generatePlan(
      planInputSchema.parse({ infrastructure_task: "disaster_recovery", cloud_provider: "gcp", workload_type }),
    );
    const schedule = out.deployment_manifests.find((o) => o.kind === "Schedule")!;
    return (schedule.spec as { template: { includedNamespaces: string[] } }).template.includedNamespaces;
  };

  it("backs up the batch queue's Redis namespace when the cluster plan runs Redis", async () => {
    expect(await includedNamespaces("batch")).toContain("redis");
    expect(await includedNamespaces("inference")).not.toContain("redis");
  });
});

describe("the end of a full recovery", () => {
  it.each([
    ["training", "kubectl get job/distributed-training -n ml-training -o wide"],
    ["inference", "kubectl rollout status deployment/model-server -n ml-inference --timeout=600s"],
  ] as const)("%s: waits for the plan's own workload", async (workload_type, last) => {
    const plans = await recoveryPlans({ cloud_provider: "gcp", workload_type });
    const steps = plans.find((p) => p.scenario === "cluster_failure")!.steps;
    expect(steps.at(-2)!.command.join(" ")).toBe(last);
  });

  it.each(["aws", "gcp", "azure", "on_premise"] as const)(
    "on %s re-applies the plan's BackupStorageLocation and Schedule last, so backups continue",
    async (cloud_provider) => {
      const input = planInputSchema.parse({ infrastructure_task: "disaster_recovery", cloud_provider });
      const out = await generatePlan(input);
      const steps = (out.infrastructure_config.recovery_plans as RecoveryPlan[]).find(
        (p) => p.scenario === "cluster_failure",
      )!.steps;
      const last = steps.at(-1)!.command;
      expect(last.slice(0, 6)).toEqual([
        "kubectl",
        "apply",
        "--server-side",
        "--recursive",
        "-f",
        "disaster-recovery/",
      ]);
      const selected = selectObjects(out.deployment_manifests, last[last.indexOf("-l") + 1]!);
      expect(selected.map((o) => o.kind).sort()).toEqual(["BackupStorageLocation", "Schedule"]);
    },
  );
});

describe("on-premises backup store", () => {
  it("defaults to a placeholder outside the cluster, flagged and listed as provided by you", async () => {
    const out = await generatePlan(
      planInputSchema.parse({ infrastructure_task: "disaster_recovery", cloud_provider: "on_premise" }),
    );
    const location = out.deployment_manifests.find((o) => o.kind === "BackupStorageLocation")!;
    const url = (location.spec as { config: { s3Url: string } }).config.s3Url;
    expect(url).not.toMatch(/\.svc(\.|:|$)/);
    expect(out.viability_report.findings.map((f) => f.check)).toContain("viability.placeholder-object-store");
    const store = out.requires.find((r) => r.kind === "object-store")!;
    expect(store.provided_by).toBe("you");
    expect(store.settings.find((s) => s.key === "disaster_recovery.object_store_url")?.value).toBe(url);
  });

  it("blocks a store inside the cluster it backs up", async () => {
    const out = await generatePlan(
      planInputSchema.parse({
        infrastructure_task: "disaster_recovery",
        cloud_provider: "on_premise",
        disaster_recovery: { object_store_url: "https://minio.minio.svc:9000" },
      }),
    );
    const finding = out.viability_report.findings.find((f) => f.check === "viability.backup-store-in-cluster");
    expect(finding?.severity).toBe("high");
  });
});

describe("backup replication", () => {
  const drPlan = (cloud_provider: "aws" | "gcp" | "azure") =>
    generatePlan(planInputSchema.parse({ infrastructure_task: "disaster_recovery", cloud_provider }));

  it("on AWS replicates the backup bucket to a versioned bucket in a second region, as the strategy says", async () => {
    const out = await drPlan("aws");
    const strategy = out.infrastructure_config.backup_strategy as { model_artifacts: Record<string, unknown> };
    expect(strategy.model_artifacts).toMatchObject({ replication: "cross_region", replica_region: "us-east-1" });
    const files = (out.infrastructure_config.workload_identity as { files: Record<string, string> }).files;
    const tf = Object.values(files).join("\n");
    expect(tf).toMatch(/provider "aws" \{\n\s+alias\s+= "replica"\n\s+region = "us-east-1"/);
    expect(tf).toMatch(/resource "aws_s3_bucket_versioning" "backups_replica" \{\n\s+provider = aws\.replica/);
    const rule = tf.slice(tf.indexOf('resource "aws_s3_bucket_replication_configuration" "backups"'));
    expect(rule).toContain("bucket     = aws_s3_bucket.backups.id");
    expect(rule).toContain("bucket        = aws_s3_bucket.backups_replica.arn");
    expect(rule).toMatch(
      /depends_on = \[aws_s3_bucket_versioning\.backups, aws_s3_bucket_versioning\.backups_replica\]/,
    );
  });

  it("claims no replication where the plan's Terraform creates none", async () => {
    const out = await drPlan("gcp");
    const strategy = out.infrastructure_config.backup_strategy as { model_artifacts: Record<string, unknown> };
    expect(strategy.model_artifacts.replication).toBe("none");
  });
});

describe("velero restore steps", () => {
  it("restore from the plan's Schedule, update what exists and wait, with only the filters asked for", () => {
    const ctx = buildPlanContext(planInputSchema.parse({ infrastructure_task: "disaster_recovery" }));
    expect(veleroRestoreStep(ctx, { name: "all", timeout_seconds: 60 }).command).toEqual([
      "velero",
      "restore",
      "create",
      "--from-schedule",
      "ml-production-ml-platform",
      "--existing-resource-policy=update",
      "--wait",
    ]);
    const step = veleroRestoreStep(ctx, {
      name: "some",
      namespaces: ["a", "b"],
      resources: ["pods", "deployments.apps"],
      selector: "app.kubernetes.io/name=x",
      timeout_seconds: 60,
    });
    expect(step.command.slice(5, 11)).toEqual([
      "--include-namespaces",
      "a,b",
      "--include-resources",
      "pods,deployments.apps",
      "--selector",
      "app.kubernetes.io/name=x",
    ]);
    expect(step).not.toHaveProperty("validation");
  });

  it.each(["aws", "gcp", "azure", "on_premise"] as const)(
    "on %s every restore of every scenario updates existing objects and waits",
    async (cloud_provider) => {
      const plans = await recoveryPlans({ cloud_provider, workload_type: "inference" });
      const restores = plans
        .flatMap((p) => p.steps)
        .filter((s) => s.command.slice(0, 3).join(" ") === "velero restore create");
      expect(restores.length).toBe(4);
      for (const r of restores) expect(r.command.slice(-2)).toEqual(["--existing-resource-policy=update", "--wait"]);
    },
  );
});

describe("objects a recovery step names", () => {
  // `kubectl get|rollout status|wait <kind>/<name> -n <ns>`: a name the plans do not create fails the step (NotFound)
  // in the middle of a recovery.
  const named = (command: string[]) => {
    const n = command.indexOf("-n");
    if (command[0] !== "kubectl" || n < 0) return [];
    return command
      .slice(1)
      .filter((a) => /^[a-z.]+\/[a-z0-9][a-z0-9.-]*$/.test(a))
      .map((target) => ({ target, namespace: command[n + 1]! }));
  };

  it.each(["aws", "gcp", "azure", "on_premise"] as const)(
    "on %s exist in the cluster plan or the recovery plan, for every workload",
    async (cloud_provider) => {
      for (const workload_type of ["training", "inference", "batch", "streaming"] as const) {
        const input = planInputSchema.parse({
          infrastructure_task: "disaster_recovery",
          cloud_provider,
          workload_type,
        });
        const out = await generatePlan(input);
        const objects = [
          ...out.deployment_manifests,
          ...buildManifests({ ...input, infrastructure_task: "cluster_setup" }),
        ];
        const exists = new Set(
          objects.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name} ${o.metadata.namespace ?? ""}`),
        );
        // Objects the recovery's own Terraform creates (resource "kubernetes_<kind>_v1" with metadata { name }), in
        // the namespace that Terraform also creates.
        const files = (out.infrastructure_config as { recovery_files: Record<string, string> }).recovery_files;
        for (const text of Object.values(files)) {
          const namespace = /resource "kubernetes_namespace_v1" "[^"]+" \{\s*metadata \{\s*name\s*= "([^"]+)"/.exec(
            text,
          );
          for (const m of text.matchAll(
            /resource "kubernetes_([a-z_]+?)_v1" "[^"]+" \{\s*metadata \{\s*name\s*= "([^"]+)"/g,
          ))
            exists.add(`${m[1]!.replace(/_/g, "")}/${m[2]!} ${namespace?.[1] ?? ""}`);
        }
        const steps = (out.infrastructure_config.recovery_plans as RecoveryPlan[]).flatMap((p) => p.steps);
        const checked = steps.flatMap((s) => named(s.command));
        expect(checked.length, workload_type).toBeGreaterThan(0);
        for (const { target, namespace } of checked) {
          const [kind, name] = target.split("/") as [string, string];
          expect(exists, `${workload_type}: ${target} -n ${namespace}`).toContain(
            `${kind.split(".")[0]}/${name} ${namespace}`,
          );
        }
      }
    },
  );
});

describe("AKS InfiniBand training recovery", () => {
  it("reinstalls the Network Operator and applies its NicClusterPolicy before velero restore", async () => {
    const input = planInputSchema.parse({
      infrastructure_task: "disaster_recovery",
      cloud_provider: "azure",
      workload_type: "training",
      training: { nodes: 4 },
    });
    const out = await generatePlan(input);
    const steps = (out.infrastructure_config.recovery_plans as RecoveryPlan[])
      .find((p) => p.scenario === "cluster_failure")!
      .steps.map((s) => s.command.join(" "));
    const install = steps.findIndex((s) =>
      /^helm upgrade --install network-operator .* --version v\d+\.\d+\.\d+ /.test(s),
    );
    const apply = steps.indexOf("kubectl apply -f network-operator/nic-cluster-policy.yaml");
    const restore = steps.findIndex((s) => s.startsWith("velero restore create --from-schedule "));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(apply).toBeGreaterThan(install);
    expect(restore).toBeGreaterThan(apply);
    // The policy the step applies advertises the device the ranks ask for, with the settings the plan requires.
    const files = (out.infrastructure_config as { recovery_files: Record<string, string> }).recovery_files;
    const policy = parse(files["network-operator/nic-cluster-policy.yaml"]!);
    expect(policy.kind).toBe("NicClusterPolicy");
    const clusterPlan = await generatePlan({ ...input, infrastructure_task: "cluster_setup" });
    const required = clusterPlan.requires.find((r) => r.name.startsWith("NVIDIA Network Operator"))!;
    const config = required.settings.find((s) => s.key === "NicClusterPolicy spec.rdmaSharedDevicePlugin.config")!;
    expect(policy.spec.rdmaSharedDevicePlugin.config).toBe(config.value);
    expect(policy.spec.ofedDriver).toBeDefined();
  });

  it("is not installed where no rank asks for the RDMA device", async () => {
    const out = await generatePlan(
      planInputSchema.parse({
        infrastructure_task: "disaster_recovery",
        cloud_provider: "azure",
        workload_type: "inference",
      }),
    );
    const commands = (out.infrastructure_config.recovery_plans as RecoveryPlan[]).flatMap((p) =>
      p.steps.map((s) => s.command.join(" ")),
    );
    expect(commands.some((c) => c.includes("network-operator"))).toBe(false);
  });
});

describe("model_corruption recovery", () => {
  const modelSteps = async (cloud_provider: "aws" | "gcp", workload_type: string) =>
    (await recoveryPlans({ cloud_provider, workload_type } as PlanInputDraft))
      .find((p) => p.scenario === "model_corruption")!
      .steps.map((s) => s.command.join(" "));

  it.each([
    ["training", "model-server"],
    ["batch", "model-server"],
    ["streaming", "model-server"],
  ])("on %s plans never names the inference plan's %s", async (workload, absent) => {
    for (const cloud of ["aws", "gcp"] as const)
      expect((await modelSteps(cloud, workload)).join("\n")).not.toContain(absent);
  });

  it("streaming: restores the consumers' models claim with the consumer Deployment whose pods back it up", async () => {
    const steps = await modelSteps("gcp", "streaming");
    expect(steps[0]).toMatch(
      /^kubectl delete deployment\/stream-consumer persistentvolumeclaim\/stream-consumer-models -n ml-streaming/,
    );
    expect(steps[1]).toContain("--selector app.kubernetes.io/name=stream-consumer");
    expect(steps[2]).toBe("kubectl rollout status deployment/stream-consumer -n ml-streaming --timeout=600s");
  });

  it("training off EKS: stops the Job, restores the checkpoints through the backup reader, then the Job", async () => {
    const steps = await modelSteps("gcp", "training");
    expect(steps[0]).toMatch(
      /^kubectl delete job\/distributed-training -n ml-training --ignore-not-found --cascade=foreground/,
    );
    expect(steps[1]).toMatch(
      /^kubectl delete deployment\/backup-volume-reader persistentvolumeclaim\/distributed-training-checkpoints -n ml-training/,
    );
    // The ranks' pods stay out of the claim's restore: only their Job brings them back.
    expect(steps[2]).toContain(
      "--selector app.kubernetes.io/name in (distributed-training,backup-volume-reader),app.kubernetes.io/component notin (trainer)",
    );
    expect(steps[3]).toContain("--include-resources jobs.batch --selector app.kubernetes.io/name=distributed-training");
  });

  it("batch on EKS: stops the ScaledJob's and the Job's workers, replaces the claim's directory from AWS Backup", async () => {
    const steps = await modelSteps("aws", "batch");
    expect(steps[0]).toMatch(
      /^kubectl delete scaledjobs.keda.sh,jobs.batch -n ml-batch -l app.kubernetes.io\/name=batch-inference --ignore-not-found/,
    );
    expect(steps.find((s) => s.startsWith("terraform -chdir=efs-restore apply"))).toContain(
      'replace_claims=["ml-batch/batch-inference-models"]',
    );
    expect(steps.at(-2)).toContain(
      "--include-resources scaledjobs.keda.sh,jobs.batch --selector app.kubernetes.io/name=batch-inference,!scaledjob.keda.sh/name",
    );
  });
});
