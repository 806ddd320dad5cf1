// The platform-engineer review's findings, each checked on generated plans: file-system backups that can read
// Job-only volumes, EFA nodes in the placement group, one Azure identity per role, placeholder identities
// reported, the on-premises rebuild configuration and a pinned Velero chart.
import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { awsBackupCron } from "./build-file-backups";
import { generatePlan } from "./generate-plan";
import { parse } from "yaml";
import { planInputSchema, type PlanInputDraft } from "./schema";

const plan = (draft: PlanInputDraft) => generatePlan(planInputSchema.parse(draft));
const checks = (findings: { check: string }[]) => findings.map((f) => f.check);

describe("file-system backups", () => {
  it("EKS: backs the EFS file system up with AWS Backup on Velero's schedule and retention", async () => {
    const out = await plan({
      infrastructure_task: "disaster_recovery",
      cloud_provider: "aws",
      workload_type: "training",
      disaster_recovery: { backup_schedule: "30 3 * * *", backup_retention_days: 14 },
    });
    const files = (out.infrastructure_config.file_backups as { files: Record<string, string> }).files;
    const tf = files["file-backups.tf"] ?? "";
    expect(tf).toContain(`creation_token = "${String(out.infrastructure_config.cluster_name)}-shared"`);
    expect(tf).toMatch(/schedule\s+= "cron\(30 3 \* \* \? \*\)"/);
    expect(tf).toMatch(/delete_after = 14/);
    expect(tf).toContain("resources    = [data.aws_efs_file_system.shared.arn]");
    // Native backup covers the checkpoints: no reader pod needed.
    expect(out.deployment_manifests.some((o) => o.metadata.name === "backup-volume-reader")).toBe(false);
    expect(checks(out.viability_report.findings)).not.toContain("viability.backup-cannot-read");
  });

  it.each(["gcp", "azure", "on_premise"] as const)(
    "%s: keeps the training plan's Job-only checkpoint claim mounted by a reader on a CPU node",
    async (cloud) => {
      const out = await plan({
        infrastructure_task: "disaster_recovery",
        cloud_provider: cloud,
        workload_type: "training",
      });
      const readers = out.deployment_manifests.filter((o) => o.metadata.name === "backup-volume-reader");
      expect(readers.map((r) => r.metadata.namespace)).toEqual(["ml-training"]);
      const spec = JSON.stringify(readers[0]?.spec);
      expect(spec.match(/"claimName":"[^"]+"/g)).toEqual(['"claimName":"distributed-training-checkpoints"']);
      // Only the CPU pool's labels and taints: no wildcard toleration that would land it on (and keep) a GPU node.
      expect(spec).toContain('"nodeSelector":{"workload-type":"training","accelerator":"cpu"}');
      expect(spec).not.toContain('"operator":"Exists"}');
      // Velero's file-system restore writes the files back through this pod's volumes: none may be read-only.
      expect(spec).not.toContain('"readOnly":true');
      expect(checks(out.viability_report.findings)).not.toContain("viability.backup-cannot-read");
    },
  );

  it.each(["gcp", "azure", "on_premise"] as const)(
    "%s: an inference plan writes no reader for other workloads' namespaces and claims",
    async (cloud) => {
      const out = await plan({
        infrastructure_task: "disaster_recovery",
        cloud_provider: cloud,
        workload_type: "inference",
      });
      expect(out.deployment_manifests.some((o) => o.metadata.name === "backup-volume-reader")).toBe(false);
      const namespaces = new Set(
        out.deployment_manifests.filter((o) => o.kind === "Namespace").map((o) => o.metadata.name),
      );
      const stray = out.deployment_manifests.filter(
        (o) => o.metadata.namespace && !namespaces.has(o.metadata.namespace) && o.metadata.namespace !== "velero",
      );
      expect(stray).toEqual([]);
      expect(checks(out.viability_report.findings)).not.toContain("viability.namespace-missing");
    },
  );

  it("converts Velero's cron to AWS Backup's, with ? in one of the day fields", () => {
    expect(awsBackupCron("0 */6 * * *")).toBe("cron(0 */6 * * ? *)");
    expect(awsBackupCron("0 2 * * 1")).toBe("cron(0 2 ? * MON *)");
  });

  it.each([
    ["0 2 * * 0", "cron(0 2 ? * SUN *)"],
    ["0 2 * * 7", "cron(0 2 ? * SUN *)"],
    ["0 2 * * 6", "cron(0 2 ? * SAT *)"],
    ["0 2 * * 1-5", "cron(0 2 ? * MON-FRI *)"],
    ["0 2 * * 0,3", "cron(0 2 ? * SUN,WED *)"],
    ["0 2 * * 1-5/2", "cron(0 2 ? * MON-FRI/2 *)"],
    ["0 2 * * SUN", "cron(0 2 ? * SUN *)"],
  ])("keeps Velero's weekday %s on the same day in AWS Backup (1 = Sunday there)", (velero, aws) => {
    expect(awsBackupCron(velero)).toBe(aws);
  });
});

describe("EFA training on Karpenter", () => {
  it("launches the EFA training pool's Karpenter nodes into the training placement group", async () => {
    const out = await plan({
      infrastructure_task: "cluster_setup",
      cloud_provider: "aws",
      workload_type: "training",
      training: { nodes: 4 },
    });
    const efaClass = out.deployment_manifests.find(
      (o) => o.kind === "EC2NodeClass" && o.metadata.name.endsWith("-training-efa"),
    ) as KubernetesObject;
    const cluster = out.infrastructure_config.cluster_name as string;
    expect((efaClass.spec as Record<string, unknown>).placementGroupSelector).toEqual({ name: `${cluster}-training` });
    const pool = out.deployment_manifests.find((o) => o.kind === "NodePool" && o.metadata.name === "gpu-training");
    expect(JSON.stringify(pool?.spec)).toContain(`"name":"${efaClass.metadata.name}"`);
    expect(checks(out.viability_report.findings)).not.toContain("viability.efa-outside-placement-group");
  });

  it("on spot, multi-node training may restart every rank once per backoff: checkpoint-restart", async () => {
    const out = await plan({
      infrastructure_task: "cluster_setup",
      cloud_provider: "aws",
      workload_type: "training",
      training: { nodes: 4, backoff_limit: 3 },
    });
    const job = out.deployment_manifests.find((o) => o.kind === "Job") as KubernetesObject;
    expect((job.spec as Record<string, unknown>).backoffLimit).toBe(12);
    expect(checks(out.viability_report.findings)).not.toContain("viability.rendezvous-on-spot");
  });
});

describe("identities", () => {
  it("Azure: one managed identity per role, each checked against the plan's client id", async () => {
    const out = await plan({
      infrastructure_task: "security_hardening",
      cloud_provider: "azure",
      workload_type: "inference",
    });
    const tf =
      (out.infrastructure_config.workload_identity as { files: Record<string, string> }).files["identity.tf"] ?? "";
    expect(tf).toContain('resource "azurerm_user_assigned_identity" "workloads"');
    expect(tf).toContain('resource "azurerm_user_assigned_identity" "external_secrets"');
    expect(tf).toMatch(/principal_id\s+= azurerm_user_assigned_identity\.external_secrets\.principal_id/);
    expect(tf).toContain('check "external_secrets_client_id"');
  });

  it("reports placeholder identities (medium), and none once real ones are given", async () => {
    const draft: PlanInputDraft = {
      infrastructure_task: "auto_scaling",
      cloud_provider: "aws",
      workload_type: "inference",
    };
    const placeholder = await plan(draft);
    const found = placeholder.viability_report.findings.filter((f) => f.check === "viability.placeholder-identity");
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.severity === "medium")).toBe(true);
    const real = await plan({ ...draft, identity: { aws_account_id: "210987654321" } });
    expect(checks(real.viability_report.findings)).not.toContain("viability.placeholder-identity");
    const tf = (real.infrastructure_config.workload_identity as { files: Record<string, string> }).files["identity.tf"];
    expect(tf).toMatch(/condition\s+= data\.aws_caller_identity\.current\.account_id == "210987654321"/);
  });
});

describe("disaster recovery", () => {
  it("on premises, carries the kubeadm configuration its recovery plan runs", async () => {
    const out = await plan({
      infrastructure_task: "disaster_recovery",
      cloud_provider: "on_premise",
      workload_type: "training",
    });
    const rebuild = out.infrastructure_config.cluster_rebuild as { files: Record<string, string> };
    const steps = (out.infrastructure_config.recovery_plans as { steps: { command: string[] }[] }[])[0]?.steps ?? [];
    const init = steps.find((s) => s.command[0] === "kubeadm");
    const file = init?.command[init.command.indexOf("--config") + 1] ?? "";
    expect(rebuild.files[file]).toContain("kind: ClusterConfiguration");
  });

  it("pins the Velero chart and image", async () => {
    const out = await plan({
      infrastructure_task: "disaster_recovery",
      cloud_provider: "gcp",
      workload_type: "training",
    });
    expect(out.infrastructure_config.velero).toMatchObject({ chart_version: "10.1.0", image: "velero/velero:v1.16.2" });
  });
});

describe("second review", () => {
  type Step = { name: string; command: string[] };
  const arg = (step: Step | undefined, flag: string) => step?.command[step.command.indexOf(flag) + 1] ?? "";

  it.each(["aws", "gcp", "azure", "on_premise"] as const)(
    "%s: model_corruption recovery restores the files of the claim the model server mounts",
    async (cloud) => {
      const served = await plan({
        infrastructure_task: "cluster_setup",
        cloud_provider: cloud,
        workload_type: "inference",
      });
      const deployment = served.deployment_manifests.find(
        (o) => o.kind === "Deployment" && o.metadata.name === "model-server",
      )!;
      const podTemplate = (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template;
      const claimName = JSON.stringify(deployment.spec).match(/"claimName":"([^"]+)"/)?.[1] ?? "";
      const claim = served.deployment_manifests.find(
        (o) => o.kind === "PersistentVolumeClaim" && o.metadata.name === claimName,
      )!;
      expect(claim).toBeDefined();

      // The inference plan's recovery: other workloads restore their own claims (recovery-plans.test.ts).
      const dr = await plan({
        infrastructure_task: "disaster_recovery",
        cloud_provider: cloud,
        workload_type: "inference",
      });
      const recovery = (dr.infrastructure_config.recovery_plans as { scenario: string; steps: Step[] }[]).find(
        (p) => p.scenario === "model_corruption",
      )!;
      // The corrupted claim and the Deployment whose pods mount it are deleted, so Velero recreates both.
      const deletion = recovery.steps.find((s) => s.command[0] === "kubectl" && s.command[1] === "delete");
      expect(deletion?.command).toEqual(
        expect.arrayContaining([`deployment/${deployment.metadata.name}`, `persistentvolumeclaim/${claimName}`]),
      );
      expect(arg(deletion, "-n")).toBe(claim.metadata.namespace);
      const restore = recovery.steps.find((s) => s.command.slice(0, 3).join(" ") === "velero restore create");
      expect(recovery.steps.indexOf(restore!)).toBeGreaterThan(recovery.steps.indexOf(deletion!));
      expect(arg(restore, "--include-namespaces")).toBe(claim.metadata.namespace);
      // File-system backup restores a volume through the pods that mount it: both kinds are restored.
      expect(arg(restore, "--include-resources").split(",")).toEqual(
        expect.arrayContaining(["persistentvolumeclaims", "pods"]),
      );
      const [key, value] = arg(restore, "--selector").split("=");
      for (const labels of [claim.metadata.labels, deployment.metadata.labels, podTemplate.metadata.labels])
        expect(labels?.[key!]).toBe(value);
      // And the backup it restores from holds that volume's files.
      const schedule = dr.deployment_manifests.find((o) => o.kind === "Schedule")!;
      const template = (schedule.spec as { template: Record<string, unknown> }).template;
      expect(template.includedNamespaces).toContain(claim.metadata.namespace);
      expect(template.defaultVolumesToFsBackup).toBe(true);
      expect(template.excludedResources).not.toContain("pods");
      expect(arg(restore, "--from-schedule")).toBe(schedule.metadata.name);
    },
  );

  it("batch ScaledJobs scale from zero", async () => {
    const out = await plan({
      infrastructure_task: "auto_scaling",
      cloud_provider: "gcp",
      workload_type: "batch",
      scale_requirements: { min_replicas: 3, max_replicas: 40 },
    });
    const scaledJob = out.deployment_manifests.find((o) => o.kind === "ScaledJob");
    expect(scaledJob?.spec).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 40 });
  });

  it("reports a placeholder GCP project (medium), and none once a real one is given", async () => {
    const draft: PlanInputDraft = {
      infrastructure_task: "auto_scaling",
      cloud_provider: "gcp",
      workload_type: "inference",
    };
    const placeholder = await plan(draft);
    const found = placeholder.viability_report.findings.filter((f) => f.check === "viability.placeholder-identity");
    expect(found.map((f) => f.object.kind)).toContain("ServiceAccount");
    expect(found.every((f) => f.severity === "medium" && f.fix.includes("identity.gcp_project_id"))).toBe(true);
    const real = await plan({ ...draft, identity: { gcp_project_id: "vision-prod-4411" } });
    expect(checks(real.viability_report.findings)).not.toContain("viability.placeholder-identity");
  });

  it("reports the placeholder GCP project on Velero's identity in a disaster-recovery plan", async () => {
    const out = await plan({
      infrastructure_task: "disaster_recovery",
      cloud_provider: "gcp",
      workload_type: "training",
    });
    const found = out.viability_report.findings.filter((f) => f.check === "viability.placeholder-identity");
    expect(found.some((f) => f.message.includes("velero@ml-platform-project.iam.gserviceaccount.com"))).toBe(true);
  });

  it("writes the DCGM exporter's values with the pinned chart's keys, keeping its counters mount on GKE", async () => {
    const out = await plan({ infrastructure_task: "auto_scaling", cloud_provider: "gcp", workload_type: "inference" });
    const release = (out.infrastructure_config.addons as { releases: Record<string, string>[] }).releases.find(
      (r) => r.name === "dcgm-exporter",
    )!;
    expect(release.version).toBe("4.8.2");
    const values = parse(release.values_yaml ?? "") as Record<string, unknown>;
    // Top-level keys of deployment/values.yaml in NVIDIA/dcgm-exporter at chart 4.8.2.
    const chartKeys = [
      "image",
      "arguments",
      "imagePullSecrets",
      "nameOverride",
      "fullnameOverride",
      "namespaceOverride",
      "hostPID",
      "runtimeClassName",
      "priorityClassName",
      "hostNetwork",
      "serviceAccount",
      "rollingUpdate",
      "podLabels",
      "podAnnotations",
      "podSecurityContext",
      "securityContext",
      "service",
      "resources",
      "serviceMonitor",
      "nodeSelector",
      "tolerations",
      "affinity",
      "extraHostVolumes",
      "extraConfigMapVolumes",
      "extraVolumeMounts",
      "extraEnv",
      "kubeletPath",
      "tlsServerConfig",
      "basicAuth",
      "kubernetes",
      "debugDump",
      "kubernetesDRA",
      "livenessProbe",
      "readinessProbe",
    ];
    expect(Object.keys(values).filter((k) => !chartKeys.includes(k))).toEqual([]);
    expect(Object.keys(values.serviceMonitor as object).sort()).toEqual(["enabled", "honorLabels", "interval"]);
    expect(values.extraVolumeMounts).toContainEqual({
      name: "exporter-metrics-volume",
      mountPath: "/etc/dcgm-exporter/default-counters.csv",
      subPath: "default-counters.csv",
    });
  });
});

describe("the batch queue", () => {
  it.each(["aws", "gcp", "azure", "on_premise"] as const)(
    "%s: runs Redis from the official image on a class the cluster has, reachable by the workers and KEDA",
    async (cloud) => {
      const out = await plan({ infrastructure_task: "auto_scaling", cloud_provider: cloud, workload_type: "batch" });
      const manifests = out.deployment_manifests;
      const releases = ((out.infrastructure_config.addons as { releases?: { chart: string }[] } | undefined)
        ?.releases ?? []) as { chart: string; repository?: string }[];
      expect(releases.map((r) => r.chart)).not.toContain("redis");
      expect(JSON.stringify(out)).not.toContain("bitnami");
      const redis = manifests.find((o) => o.kind === "StatefulSet" && o.metadata.name === "redis-master")!;
      expect(JSON.stringify(redis.spec)).toMatch(/"image":"redis:\d+\.\d+\.\d+-alpine"/);
      const storageClass = {
        aws: "gp3",
        gcp: "standard-rwo",
        azure: "managed-csi",
        on_premise: "nfs-client",
      }[cloud];
      expect(JSON.stringify(redis.spec)).toContain(`"storageClassName":"${storageClass}"`);
      const ingress = manifests.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-redis-clients")!;
      expect(JSON.stringify(ingress.spec)).toContain('"kubernetes.io/metadata.name":"keda"');
      expect(JSON.stringify(ingress.spec)).toContain('"kubernetes.io/metadata.name":"ml-batch"');
      const found = checks(out.viability_report.findings);
      expect(found).not.toContain("viability.trigger-unreachable");
      expect(found).not.toContain("viability.missing-storage-class");
      expect(found).not.toContain("viability.exporter-not-installed");
    },
  );

  it("EKS: the cluster Terraform creates the gp3 class Redis's volume names, through the EBS CSI add-on", async () => {
    const out = await plan({ infrastructure_task: "cluster_setup", cloud_provider: "aws", workload_type: "batch" });
    const files = (out.infrastructure_config.cluster as { files: Record<string, string> }).files;
    const tf = Object.values(files).join("\n");
    expect(tf).toMatch(/resource "kubernetes_storage_class_v1" "gp3" \{\s*metadata \{\s*name = "gp3"/);
    expect(tf).toContain('storage_provisioner    = "ebs.csi.aws.com"');
    expect(tf).toContain("aws-ebs-csi-driver");
    const ebs = out.requires.find((r) => r.name.startsWith("Amazon EBS CSI driver"));
    expect(ebs?.provided_by).toBe("plan");
    expect(ebs?.needed_by).toEqual(["StatefulSet/redis/redis-master"]);
  });
});

describe("GPU metrics on premises", () => {
  it.each(["cluster_setup", "auto_scaling"] as const)(
    "%s: one DCGM exporter, the GPU Operator's, with the labels the autoscaler's query filters on",
    async (task) => {
      const out = await plan({ infrastructure_task: task, cloud_provider: "on_premise", workload_type: "inference" });
      const releases = (out.infrastructure_config.addons as { releases: { chart: string }[] } | undefined)?.releases;
      expect((releases ?? []).map((r) => r.chart)).not.toContain("dcgm-exporter");
      expect(out.requires.map((r) => r.name)).not.toContain("NVIDIA DCGM exporter");
      const operator = out.requires.find((r) => r.name.startsWith("NVIDIA GPU Operator"));
      expect(operator?.settings.map((s) => `${s.key}=${s.value}`)).toEqual([
        "dcgmExporter.serviceMonitor.enabled=true",
        "dcgmExporter.serviceMonitor.honorLabels=true",
      ]);
      expect(checks(out.viability_report.findings)).not.toContain("viability.unscraped-series");
    },
  );
});
