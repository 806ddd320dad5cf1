// Backup strategy and recovery plans with RTO/RPO and ordered steps. Steps are argv arrays, not shell strings
// (the reference ran `subprocess.run(cmd, shell=True)`), so a runner can execute them without a shell.
import {
  applyFolder,
  helmUpgradeInstall,
  rolloutStatus,
  terraformIn,
  veleroRestoreStep,
  type RecoveryStep,
} from "./recovery-commands";
import { azureStorageAccount } from "./schema";
import { storageLocationName, veleroLabel } from "./build-velero";
import { buildPlanContext, type PlanContext } from "./plan-context";
import { addonReleases } from "./build-addons";
import { awsReplicaRegion } from "./terraform-identities";
import { batchWorkerName, streamConsumerName } from "./build-queue-workers";
import { veleroChartVersion } from "./build-velero-install";
import { modelCorruptionSteps } from "./model-corruption-recovery";
import { devicePluginName } from "./build-device-plugin";
import { infinibandNodeConfigNamespace, memlockDaemonSetName } from "./build-infiniband-node-config";
import { secretStoreName } from "./build-external-secret";
import { efsRestoreSteps } from "./efs-restore-steps";
import { trainingJobNames } from "./build-training-job";
import { loaderJobName, trainingDataSource } from "./build-training-loader";
import { recoveryFolders } from "./recovery-files";
import { rdmaUsers } from "./plan-requirements";
import { networkOperatorChartVersion, rdmaResource } from "./training-interconnect";
import type { KubernetesObject } from "@/lib/k8s/types";

export interface RecoveryPlan {
  scenario: "cluster_failure" | "model_corruption" | "data_pipeline_failure";
  name: string;
  rto_minutes: number;
  rpo_minutes: number;
  steps: RecoveryStep[];
}

function objectStoreUrl(ctx: PlanContext, path: string): string {
  const bucket = ctx.input.disaster_recovery.backup_bucket;
  return {
    aws: `s3://${bucket}/${path}`,
    gcp: `gs://${bucket}/${path}`,
    azure: `https://${azureStorageAccount(bucket)}.blob.core.windows.net/${bucket}/${path}`,
    on_premise: `s3://${bucket}/${path}`,
  }[ctx.input.cloud_provider];
}

/**
 * What the plan's Terraform really does with the backup store: on AWS an S3 replication rule to a versioned bucket
 * in a second region, on Azure a geo-redundant (GRS) storage account. A GCS bucket in one region and an on-premises
 * store the requester runs are not replicated by the plan.
 */
function replication(ctx: PlanContext): { replication: "cross_region" | "none"; replica_region?: string } {
  switch (ctx.input.cloud_provider) {
    case "aws":
      return { replication: "cross_region", replica_region: awsReplicaRegion(ctx.input.region) };
    case "azure":
      return { replication: "cross_region" };
    case "gcp":
    case "on_premise":
      return { replication: "none" };
  }
}

export function buildBackupStrategy(ctx: PlanContext) {
  const dr = ctx.input.disaster_recovery;
  const secretManager = {
    aws: "AWS Secrets Manager",
    gcp: "Google Secret Manager",
    azure: "Azure Key Vault",
    on_premise: "HashiCorp Vault",
  }[ctx.input.cloud_provider];
  return {
    model_artifacts: {
      storage: objectStoreUrl(ctx, "models"),
      retention_days: dr.model_retention_days,
      ...replication(ctx),
      versioning: true,
    },
    // The object store prefix the loader Job reads is the data's copy of record; the claim is a copy of it that the
    // loader makes again. The bucket keeps overwritten or deleted objects (versioning) for data_retention_days
    // where the plan's Terraform sets the rule (S3, GCS); Azure keeps every version, on premises the store is yours.
    training_data: {
      storage: trainingDataSource(ctx),
      versioning: ctx.input.cloud_provider !== "on_premise",
      ...(ctx.input.cloud_provider === "aws" || ctx.input.cloud_provider === "gcp"
        ? { noncurrent_version_retention_days: dr.data_retention_days }
        : {}),
      in_cluster_copy: `${ctx.input.namespaces.training}/${trainingJobNames(ctx).dataClaim}`,
      restore: `Delete Jobs ${loaderJobName(ctx)} and ${ctx.input.training.job_name} in ${ctx.input.namespaces.training}, apply ${loaderJobName(ctx)} and wait for it to complete, then apply ${ctx.input.training.job_name}: the loader copies the store into the claim and the ranks wait for it.`,
    },
    cluster_state: {
      tool: "velero",
      schedule: dr.backup_schedule,
      retention_days: dr.backup_retention_days,
      storage_location: storageLocationName(ctx),
    },
    secrets: { tool: "external-secrets", source_of_truth: secretManager, replication: "multi_region" },
  };
}

// Pinned, so a rebuild months later installs what the plan was written against.
export const calicoVersion = "v3.30.2";
export const gpuOperatorChartVersion = "v25.10.1";
export const nfsProvisionerChartVersion = "4.0.18";

/**
 * On premises, between `kubeadm init` and Velero: the pod network (Calico's manifest takes the pod CIDR from the
 * kubeadm configuration), the workers joined with a fresh bootstrap token, the GPU Operator (drivers are on the
 * machines; it brings the device plugin and the DCGM exporter the autoscalers read) and the NFS provisioner that
 * serves nfs-client from the NFS server whose data outlived the cluster.
 */
// 2.18 is the first KEDA whose fallback covers the plan's Value-type triggers (see plan-requirements.ts).
export const kedaChartVersion = "2.18.0";
// 88.2.0 ships the Prometheus Operator 0.93.0 whose CRDs the plan's monitors are validated against.
export const kubePrometheusStackChartVersion = "88.2.0";

// v1.11.0 is the first release whose EC2NodeClass CRD has spec.placementGroupSelector (see plan-requirements.ts).
export const karpenterChartVersion = "1.11.0";

/**
 * What Velero cannot restore without: the Prometheus Operator's CRDs (PodMonitor, ServiceMonitor) and KEDA's
 * (ScaledObject, ScaledJob), which live outside the ML namespaces the Schedule backs up. Velero skips objects whose
 * CRD is missing, so these come back, pinned, before the restore on every cloud.
 */
export function operatorSteps(ctx: PlanContext): RecoveryStep[] {
  const { input } = ctx;
  return [
    {
      name: `Install kube-prometheus-stack ${kubePrometheusStackChartVersion} selecting every PodMonitor and ServiceMonitor`,
      command: helmUpgradeInstall({
        release: "kube-prometheus-stack",
        chart: "kube-prometheus-stack",
        repo: "https://prometheus-community.github.io/helm-charts",
        version: kubePrometheusStackChartVersion,
        namespace: input.namespaces.monitoring,
        set: [
          "prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues=false",
          "prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues=false",
        ],
      }),
      timeout_seconds: 900,
      validation: ["kubectl", "get", "svc", "prometheus-operated", "-n", input.namespaces.monitoring],
    },
    {
      name: `Install KEDA ${kedaChartVersion}`,
      command: helmUpgradeInstall({
        release: "keda",
        chart: "keda",
        repo: "https://kedacore.github.io/charts",
        version: kedaChartVersion,
        namespace: "keda",
      }),
      timeout_seconds: 600,
      validation: rolloutStatus("deployment/keda-operator", "keda"),
    },
  ];
}

/**
 * Selects the cluster plan's Karpenter objects, the NVIDIA device plugin (its DaemonSet and namespace) and, on AKS
 * InfiniBand pools, the containerd memlock DaemonSet and its namespace.
 */
export const clusterSetupSelector = `app.kubernetes.io/name in (karpenter,${devicePluginName},${infinibandNodeConfigNamespace},${memlockDaemonSetName})`;

// 1.0.0 serves external-secrets.io/v1, the API of the security plan's ClusterSecretStore and ExternalSecrets.
export const externalSecretsChartVersion = "1.0.0";

const stateInput = (folder: string, plan: string) => ({
  path: `${folder}/terraform.tfstate`,
  what: `The state the ${plan}'s Terraform apply wrote (or a backend block pointing at it): with it the apply updates what survived instead of creating it twice.`,
});

/** A Terraform root applied again: init, then apply with the state of its first apply. */
function reapplyTerraform(folder: string, plan: string, what: string): RecoveryStep[] {
  return [
    {
      name: `Initialize the ${plan}'s ${what} Terraform (${folder}/)`,
      command: terraformIn(folder, "init"),
      timeout_seconds: 300,
    },
    {
      name: `Apply the ${plan}'s ${what} Terraform (${folder}/), reviewing the changes it shows`,
      command: terraformIn(folder, "apply"),
      timeout_seconds: 2400,
      inputs: [stateInput(folder, plan)],
    },
  ];
}

/** kubectl, helm and velero talk to the recreated cluster from here on. */
function credentialsStep(ctx: PlanContext): RecoveryStep[] {
  const { input } = ctx;
  const command = {
    aws: ["aws", "eks", "update-kubeconfig", "--name", input.cluster_name, "--region", input.region],
    gcp: [
      "gcloud",
      "container",
      "clusters",
      "get-credentials",
      input.cluster_name,
      "--region",
      input.region,
      "--project",
      input.identity.gcp_project_id,
      // The cluster's IP endpoint is private: its DNS endpoint (IAM-gated) is reachable from where recovery runs.
      "--dns-endpoint",
    ],
    azure: [
      "az",
      "aks",
      "get-credentials",
      "--resource-group",
      `${input.cluster_name}-rg`,
      "--name",
      input.cluster_name,
      "--overwrite-existing",
    ],
    // kubeadm init leaves the administrator's kubeconfig on the first control-plane machine.
    on_premise: undefined,
  }[input.cloud_provider];
  return command
    ? [
        {
          name: "Point kubectl, helm and velero at the recreated cluster",
          command,
          timeout_seconds: 120,
          validation: ["kubectl", "get", "nodes"],
        },
      ]
    : [];
}

/**
 * A recreated cluster has a new OIDC issuer: the identities Velero, External Secrets and the workloads assume
 * trust the old one until their Terraform (which reads the cluster's issuer) is applied again. The cluster
 * plan's own identities are part of its cluster Terraform.
 */
function identitySteps(files: RecoveryFileSet): RecoveryStep[] {
  return [
    ...(files.backupIdentity
      ? reapplyTerraform(recoveryFolders.backupIdentity, "disaster-recovery plan", "backup identity")
      : []),
    ...(files.secretsIdentity
      ? reapplyTerraform(recoveryFolders.secretsIdentity, "security_hardening plan", "workload identity")
      : []),
  ];
}

/**
 * The security plan's ExternalSecrets come back with the ML namespaces, but Velero skips them without the
 * operator's CRDs, and its ClusterSecretStore is cluster-scoped (outside the backup): both come back first, the
 * operator's ServiceAccount bound to its identity through the security plan's values.
 */
function externalSecretsSteps(ctx: PlanContext): RecoveryStep[] {
  return [
    {
      name: `Install External Secrets ${externalSecretsChartVersion} with the security plan's external-secrets-values.yaml`,
      command: helmUpgradeInstall({
        release: "external-secrets",
        chart: "external-secrets",
        repo: "https://charts.external-secrets.io",
        version: externalSecretsChartVersion,
        namespace: "external-secrets",
        values: "external-secrets-values.yaml",
      }),
      timeout_seconds: 600,
      validation: rolloutStatus("deployment/external-secrets", "external-secrets"),
    },
    {
      name: "Re-apply the security plan's ClusterSecretStore",
      command: applyFolder(`${recoveryFolders.secretStore}/`),
      timeout_seconds: 120,
      validation: ["kubectl", "get", `clustersecretstore/${secretStoreName(ctx)}`],
    },
  ];
}

/**
 * The cloud cluster's Terraform brings back the cluster, its node pools, identities and (EKS) Karpenter's IAM roles
 * and interruption queue, the EFS file system and StorageClass; not what runs inside it outside the ML namespaces
 * Velero backs up. Karpenter's controller and CRDs (the Terraform module creates none), Prometheus and KEDA (the
 * autoscalers' inputs), External Secrets, the cluster plan's NodePools and NVIDIA device plugin, and the DCGM
 * exporter come back before the restore, or the restored pods stay Pending on nodes that never launch and their
 * scalers read nothing.
 */
function cloudRebuildSteps(ctx: PlanContext, clusterPlanObjects: readonly KubernetesObject[]): RecoveryStep[] {
  const { input } = ctx;
  const setup = buildPlanContext({ ...input, infrastructure_task: "cluster_setup" });
  const dcgm = addonReleases(setup).find((r) => r.name === "dcgm-exporter");
  const reapplied = clusterPlanObjects.filter((o) => selects(clusterSetupSelector, o));
  const karpenter: RecoveryStep[] =
    input.cloud_provider !== "aws"
      ? []
      : [
          {
            name: "Read Karpenter's interruption queue from the cluster Terraform's outputs",
            command: terraformIn(recoveryFolders.cluster, "output", "-raw", "karpenter_interruption_queue"),
            timeout_seconds: 60,
            output: "KARPENTER_INTERRUPTION_QUEUE",
          },
          {
            // Its IAM role reaches the pods through the Pod Identity association the EKS Terraform creates for
            // karpenter/karpenter (the release's service account): no role annotation, which would shadow it.
            name: `Install the Karpenter controller and CRDs ${karpenterChartVersion}`,
            command: helmUpgradeInstall({
              release: "karpenter",
              chart: "oci://public.ecr.aws/karpenter/karpenter",
              version: karpenterChartVersion,
              namespace: "karpenter",
              set: [
                `settings.clusterName=${input.cluster_name}`,
                "settings.interruptionQueue=$(KARPENTER_INTERRUPTION_QUEUE)",
              ],
            }),
            timeout_seconds: 600,
            validation: rolloutStatus("deployment/karpenter", "karpenter"),
          },
        ];
  return [
    ...karpenter,
    ...operatorSteps(ctx),
    ...externalSecretsSteps(ctx),
    ...(reapplied.length > 0
      ? [
          {
            name: `Re-apply the cluster plan's ${[...new Set(reapplied.map((o) => o.kind))].join(", ")} from ${recoveryFolders.clusterSetup}/`,
            // Only these objects: the folder also holds the claims and workloads, which applied before the
            // restore come back empty and make Velero skip the backed-up ones.
            command: applyFolder(`${recoveryFolders.clusterSetup}/`, clusterSetupSelector),
            timeout_seconds: 300,
            validation:
              input.cloud_provider === "aws"
                ? ["kubectl", "get", "nodepools,ec2nodeclasses"]
                : ["kubectl", "get", "daemonsets", "-A", "-l", `app.kubernetes.io/name=${devicePluginName}`],
          },
        ]
      : []),
    ...(rdmaUsers(clusterPlanObjects).length > 0 ? networkOperatorSteps() : []),
    ...(dcgm
      ? [
          {
            name: `Reinstall the DCGM exporter (chart ${dcgm.version}) with the cluster plan's ${dcgm.name}-values.yaml`,
            command: dcgm.command,
            timeout_seconds: 600,
          },
        ]
      : []),
  ];
}

/**
 * AKS InfiniBand training: the ranks ask for the RDMA device, which exists only once the Network Operator runs its
 * OFED driver and RDMA shared device plugin on the ND-series nodes. Neither it nor its cluster-scoped
 * NicClusterPolicy is in what Velero restores, so a rebuilt cluster gets both before the training Job returns.
 */
function networkOperatorSteps(): RecoveryStep[] {
  return [
    {
      name: `Reinstall the NVIDIA Network Operator ${networkOperatorChartVersion}`,
      command: helmUpgradeInstall({
        release: "network-operator",
        chart: "network-operator",
        repo: "https://helm.ngc.nvidia.com/nvidia",
        version: networkOperatorChartVersion,
        namespace: "nvidia-network-operator",
      }),
      timeout_seconds: 600,
    },
    {
      name: `Apply the NicClusterPolicy (OFED driver, RDMA shared device plugin for ${rdmaResource})`,
      command: ["kubectl", "apply", "-f", `${recoveryFolders.networkOperator}/nic-cluster-policy.yaml`],
      timeout_seconds: 60,
    },
    {
      // The OFED driver builds and loads on each ND-series node before the device plugin advertises the device.
      name: "Wait for the NicClusterPolicy to be ready on the InfiniBand nodes",
      command: ["kubectl", "get", "nicclusterpolicy/nic-cluster-policy", "-o", "jsonpath={.status.state}"],
      until_output: "ready",
      timeout_seconds: 1800,
    },
  ];
}

/** Whether a `key in (a,b)` selector picks the object. */
function selects(selector: string, o: KubernetesObject): boolean {
  const match = /^(\S+) in \((.*)\)$/.exec(selector);
  return !!match && match[2]!.split(",").includes(o.metadata.labels?.[match[1]!] ?? "");
}

/** The last step of a full recovery: the plan's own workload is back, not the model server of another plan. */
function workloadReadyStep(ctx: PlanContext): RecoveryStep {
  const { input } = ctx;
  const ns = ctx.workloadNamespace;
  switch (input.workload_type) {
    case "inference":
      return {
        name: "Wait for the model server to be ready",
        command: rolloutStatus(`deployment/${input.model_server.name}`, ns, "600s"),
        timeout_seconds: 660,
      };
    case "streaming":
      return {
        name: "Wait for the stream consumers to be ready",
        command: rolloutStatus(`deployment/${streamConsumerName}`, ns, "600s"),
        timeout_seconds: 660,
      };
    case "batch":
      return {
        // The cluster plan, which this recovery rebuilds, runs the batch workers as a Job (the ScaledJob, named
        // <worker>-scaler, belongs to the auto-scaling plan).
        name: "Check the restored batch Job",
        command: ["kubectl", "get", `job/${batchWorkerName}`, "-n", ns, "-o", "wide"],
        timeout_seconds: 60,
      };
    case "training":
      return {
        name: "Check the restored training Job resumes from its last checkpoint",
        command: ["kubectl", "get", `job/${input.training.job_name}`, "-n", ns, "-o", "wide"],
        timeout_seconds: 60,
      };
  }
}

const labelSelector = (labels: Record<string, string>) => {
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return selector ? ["-l", selector] : [];
};

function onPremRebuildSteps(ctx: PlanContext): RecoveryStep[] {
  const { input } = ctx;
  const [nfsServer, ...path] = input.disaster_recovery.nfs_export.split(":");
  const nfsPath = path.join(":");
  return [
    {
      name: `Install the Calico pod network ${calicoVersion}`,
      command: [
        "kubectl",
        "apply",
        "-f",
        `https://raw.githubusercontent.com/projectcalico/calico/${calicoVersion}/manifests/calico.yaml`,
      ],
      timeout_seconds: 600,
      validation: rolloutStatus("daemonset/calico-node", "kube-system", "600s"),
    },
    {
      // The token is a secret made at recovery time, so no plan holds it: it goes into the pools' join files.
      name: `Create a bootstrap token and write its token and CA hash into ${input.node_pools.map((p) => `kubeadm/join-${p.name}.yaml`).join(", ")}`,
      command: ["kubeadm", "token", "create", "--print-join-command", "--ttl", "2h"],
      timeout_seconds: 60,
    },
    ...input.node_pools.map((p): RecoveryStep => ({
      name: `On each machine of pool ${p.name}, join the cluster with its labels and taints`,
      command: ["kubeadm", "join", "--config", `kubeadm/join-${p.name}.yaml`],
      timeout_seconds: 900,
      validation: ["kubectl", "get", "nodes", ...labelSelector(p.labels)],
    })),
    ...operatorSteps(ctx),
    {
      name: `Install the NVIDIA GPU Operator ${gpuOperatorChartVersion} (device plugin and DCGM exporter; drivers on the machines)`,
      command: helmUpgradeInstall({
        release: "gpu-operator",
        chart: "gpu-operator",
        repo: "https://helm.ngc.nvidia.com/nvidia",
        version: gpuOperatorChartVersion,
        namespace: "gpu-operator",
        set: ["driver.enabled=false", "dcgmExporter.serviceMonitor.enabled=true"],
      }),
      timeout_seconds: 900,
      validation: [
        "kubectl",
        "get",
        "nodes",
        "-o",
        "custom-columns=NAME:.metadata.name,GPU:.status.allocatable.nvidia\\.com/gpu",
      ],
    },
    {
      name: `Install the NFS provisioner (chart ${nfsProvisionerChartVersion}) serving nfs-client from ${input.disaster_recovery.nfs_export}, where the claims' data outlived the cluster`,
      command: helmUpgradeInstall({
        release: "nfs-subdir-external-provisioner",
        chart: "nfs-subdir-external-provisioner",
        repo: "https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/",
        version: nfsProvisionerChartVersion,
        namespace: "nfs-provisioner",
        set: [
          `nfs.server=${nfsServer}`,
          `nfs.path=${nfsPath}`,
          "storageClass.name=nfs-client",
          "storageClass.accessModes=ReadWriteMany",
        ],
      }),
      timeout_seconds: 600,
      validation: ["kubectl", "get", "storageclass", "nfs-client"],
    },
    {
      name: "Create Velero's namespace for its object-store keys",
      command: ["kubectl", "create", "namespace", "velero"],
      timeout_seconds: 60,
    },
    {
      name: "Give Velero the keys of the object store outside the cluster (file credentials-velero, [default] profile)",
      command: [
        "kubectl",
        "create",
        "secret",
        "generic",
        "velero-object-store",
        "--namespace",
        "velero",
        "--from-file=cloud=credentials-velero",
      ],
      timeout_seconds: 60,
      inputs: [
        {
          path: "credentials-velero",
          what: "The object store's access keys in AWS credentials-file form ([default] with aws_access_key_id and aws_secret_access_key): secrets no plan holds.",
        },
      ],
    },
  ];
}

/** What the plan's recovery files hold beyond what every plan has (recovery-files.ts, generate-plan.ts). */
export interface RecoveryFileSet {
  /** The cluster_setup plan's manifests (in cluster-setup/), whose Karpenter objects and device plugin come back. */
  clusterPlanObjects: readonly KubernetesObject[];
  /** backup-identity/: this plan's identity Terraform (Velero's). */
  backupIdentity: boolean;
  /** secrets-identity/: the security plan's identity Terraform (External Secrets' and the workloads'). */
  secretsIdentity: boolean;
}

export function buildRecoveryPlans(ctx: PlanContext, files: RecoveryFileSet): RecoveryPlan[] {
  const { input } = ctx;
  const dr = input.disaster_recovery;
  const ns = input.namespaces;
  // The whole cluster Terraform, not only the cluster resource: a cluster without its node pools (GKE and AKS
  // pools are resources of their own), StorageClass, identities and device plugins has nowhere to run GPU pods.
  const poolCheck: Record<PlanContext["input"]["cloud_provider"], string[]> = {
    aws: ["aws", "eks", "list-nodegroups", "--cluster-name", input.cluster_name, "--region", input.region],
    gcp: ["gcloud", "container", "node-pools", "list", "--cluster", input.cluster_name, "--region", input.region],
    azure: [
      "az",
      "aks",
      "nodepool",
      "list",
      "--cluster-name",
      input.cluster_name,
      "--resource-group",
      `${input.cluster_name}-rg`,
      "--output",
      "table",
    ],
    on_premise: ["kubectl", "get", "nodes", "-L", "workload-type"],
  };
  const cloudCluster = (what: string): RecoveryStep[] => [
    {
      name: `Initialize the cluster plan's Terraform (${recoveryFolders.cluster}/)`,
      command: terraformIn(recoveryFolders.cluster, "init"),
      timeout_seconds: 300,
    },
    {
      name: `Recreate ${what} from the cluster plan's Terraform, reviewing the changes it shows`,
      command: terraformIn(recoveryFolders.cluster, "apply"),
      timeout_seconds: 2400,
      validation: poolCheck[input.cloud_provider],
      inputs: [stateInput(recoveryFolders.cluster, "cluster_setup plan")],
    },
  ];
  const clusterSteps: RecoveryStep[] = {
    aws: () => cloudCluster("the EKS cluster with its node groups, Karpenter's roles and queue, EFS and identities"),
    gcp: () => cloudCluster("the GKE cluster with its GPU node pools and identities"),
    azure: () => cloudCluster("the AKS cluster with its GPU node pools and identities"),
    // The disaster-recovery plan carries the kubeadm configuration (its cluster_rebuild), not Cluster API
    // manifests: the first control-plane machine runs it, the others join with the printed command, the pools'
    // machines with their kubeadm/join-<pool>.yaml.
    on_premise: () => [
      {
        name: "Recreate the control plane with kubeadm from the plan's configuration",
        command: ["kubeadm", "init", "--config", "kubeadm/cluster-configuration.yaml", "--upload-certs"],
        timeout_seconds: 3600,
        validation: poolCheck.on_premise,
      },
    ],
  }[input.cloud_provider]();
  // kubeadm init leaves a control plane with no pod network, no workers, no GPU stack and no nfs-client class:
  // Velero's own pods would not start, and the restored claims and GPU pods would stay Pending.
  const rebuildSteps =
    input.cloud_provider === "on_premise"
      ? [...onPremRebuildSteps(ctx), ...externalSecretsSteps(ctx)]
      : [...credentialsStep(ctx), ...identitySteps(files), ...cloudRebuildSteps(ctx, files.clusterPlanObjects)];
  // A recreated cluster has no Velero: install it from the plan's Helm values (node agent on every node, the
  // backup identity on its ServiceAccount), pointing at the same bucket and prefix, so it finds the existing backups.
  const reinstallVelero: RecoveryStep = {
    name: "Reinstall Velero with its node agent against the existing backup bucket",
    command: helmUpgradeInstall({
      release: "velero",
      chart: "velero",
      repo: "https://vmware-tanzu.github.io/helm-charts",
      version: veleroChartVersion,
      namespace: "velero",
      values: "velero-values.yaml",
    }),
    timeout_seconds: 600,
    validation: rolloutStatus("daemonset/node-agent", "velero"),
  };
  return [
    {
      scenario: "cluster_failure",
      name: "Full cluster recovery",
      rto_minutes: dr.cluster_failure.rto_minutes,
      rpo_minutes: dr.cluster_failure.rpo_minutes,
      steps: [
        ...clusterSteps,
        ...rebuildSteps,
        reinstallVelero,
        {
          name: "Check the reinstalled Velero sees the backup storage location as Available",
          command: ["velero", "backup-location", "get"],
          timeout_seconds: 300,
        },
        // Asked of the new cluster's Velero, which lists the backups it found in the bucket: the failed cluster's
        // API server cannot answer.
        {
          name: "Verify the latest backup is complete",
          command: [
            "velero",
            "backup",
            "get",
            "--selector",
            "velero.io/schedule-name=" + `${input.cluster_name}-ml-platform`,
          ],
          timeout_seconds: 300,
        },
        ...(input.cloud_provider === "aws" ? efsRestoreSteps(ctx) : []),
        veleroRestoreStep(ctx, {
          name: "Restore the ML namespaces from the latest scheduled backup",
          timeout_seconds: 1200,
          validation: ["kubectl", "get", "pods", "-n", ctx.workloadNamespace, "--field-selector=status.phase!=Running"],
        }),
        workloadReadyStep(ctx),
        // Last, so the Schedule's first backup (taken when it is created) does not race the restore: without it
        // the rebuilt cluster takes no further backups.
        {
          name: `Re-apply this plan's BackupStorageLocation and Schedule from ${recoveryFolders.disasterRecovery}/ so backups continue`,
          command: applyFolder(`${recoveryFolders.disasterRecovery}/`, `app.kubernetes.io/name=${veleroLabel}`),
          timeout_seconds: 120,
          validation: ["velero", "schedule", "get", `${input.cluster_name}-ml-platform`],
        },
      ],
    },
    {
      scenario: "model_corruption",
      name: "Model artifact recovery",
      rto_minutes: dr.model_corruption.rto_minutes,
      rpo_minutes: dr.model_corruption.rpo_minutes,
      steps: [
        ...modelCorruptionSteps(ctx),
        veleroRestoreStep(ctx, {
          name: "Restore the model registry namespace from the latest backup",
          namespaces: [ns.model_registry],
          timeout_seconds: 600,
        }),
      ],
    },
    {
      scenario: "data_pipeline_failure",
      name: "Data pipeline recovery",
      rto_minutes: dr.data_pipeline_failure.rto_minutes,
      rpo_minutes: dr.data_pipeline_failure.rpo_minutes,
      steps: [
        {
          name: "List failed jobs",
          command: ["kubectl", "get", "jobs", "-n", ns.batch, "--field-selector=status.successful=0"],
          timeout_seconds: 30,
        },
        veleroRestoreStep(ctx, {
          name: "Restore the feature store namespace",
          namespaces: [ns.feature_store],
          timeout_seconds: 900,
        }),
        {
          name: "Check the feature store is serving",
          // No plan deploys the feature store (it is yours): wait for whatever Deployments its namespace holds.
          command: [
            "kubectl",
            "wait",
            "deployment",
            "--all",
            "--for=condition=Available",
            "-n",
            ns.feature_store,
            "--timeout=300s",
          ],
          timeout_seconds: 330,
        },
      ],
    },
  ];
}
