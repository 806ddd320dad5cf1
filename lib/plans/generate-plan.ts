// The plan engine: parsed input in, the full plan out. Pure (no I/O, no clock); validation runs before anything
// is returned, and a plan whose manifests fail it is never returned: generatePlan throws PlanValidationError.
import type { PriceList } from "@/lib/pricing/price-list";
import type { KubernetesObject } from "@/lib/k8s/types";
import { checkManifests } from "@/lib/security/check-manifests";
import type { SecurityReport } from "@/lib/security/types";
import { buildCostGuardrails } from "./build-cost-guardrails";
import { buildDevicePlugin } from "./build-device-plugin";
import { buildInfinibandNodeConfig } from "./build-infiniband-node-config";
import { stringify } from "yaml";
import { buildExternalSecrets, externalSecretsHelmValues, externalSecretsIdentity } from "./build-external-secret";
import { addonReleases } from "./build-addons";
import { buildRedis } from "./build-redis";
import {
  buildBackupReaders,
  efsClaimDirectories,
  efsRestoreTerraform,
  fileBackupTerraform,
} from "./build-file-backups";
import { buildKarpenter, nodeAutoscalingNote } from "./build-karpenter";
import { buildModelServer, buildWorkloadServiceAccount } from "./build-model-server";
import { buildNamespace, devicePluginNamespace } from "./build-namespaces";
import { buildDefaultDeny, buildWorkloadAllows } from "./build-network-policies";
import {
  batchWorkerName,
  buildBatchJob,
  buildStreamConsumer,
  buildWorkerModelsClaim,
  streamConsumerName,
} from "./build-queue-workers";
import { buildRbac } from "./build-rbac";
import {
  mountedForeignClaims,
  planRequirements,
  rdmaUsers,
  requiredClaims,
  type PlanRequirement,
} from "./plan-requirements";
import { buildRunbooks } from "./build-runbooks";
import {
  buildBatchScaledJob,
  buildInferenceScaledObject,
  buildModelServerPodMonitor,
  buildStreamingScaledObject,
} from "./build-scaled-object";
import { buildTrainingJob, trainingJobNames } from "./build-training-job";
import { nicClusterPolicy } from "./training-interconnect";
import { buildVelero, locationSpec, veleroNamespace } from "./build-velero";
import { veleroChartVersion, veleroIdentity, veleroImageTag, veleroValuesYaml } from "./build-velero-install";
import { estimateCost, type CostEstimate } from "./estimate-cost";
import { onPremClusterPlan } from "./on-prem-cluster-plan";
import { buildPlanContext, type PlanContext } from "./plan-context";
import { buildBackupStrategy, buildRecoveryPlans, type RecoveryPlan } from "./recovery-plans";
import { inFolder, manifestFiles, recoveryFolders } from "./recovery-files";
import type { PlanInput, WorkloadType } from "./schema";
import { terraformAks } from "./terraform-aks";
import { terraformEks } from "./terraform-eks";
import { terraformGke } from "./terraform-gke";
import { identityBindings, terraformIdentities, type IdentityBinding } from "./terraform-identities";
import { checkViability, type ViabilityReport } from "./viability/check-viability";
import { viabilityFactsFor } from "./viability/plan-facts";
import { PlanValidationError, validateManifests, type ManifestValidation } from "./validate-manifests";

export interface PlanOutput {
  infrastructure_config: Record<string, unknown>;
  deployment_manifests: KubernetesObject[];
  cost_estimate: CostEstimate;
  security_report: SecurityReport;
  /** Whether the plan would work once applied (tolerations, storage, commands, backups, egress, sizes); same shape as security_report. */
  viability_report: ViabilityReport;
  /** The operators, controllers, exporters and drivers the plan needs, with versions and the settings it relies on. */
  requires: PlanRequirement[];
  runbooks: string[];
  validation: ManifestValidation;
}

function namespaceFoundation(ctx: PlanContext, workload: WorkloadType): KubernetesObject[] {
  const namespace = ctx.input.namespaces[workload];
  return [buildNamespace(ctx, namespace), ...buildDefaultDeny(ctx, namespace), ...buildWorkloadAllows(ctx, workload)];
}

function workloadObjects(ctx: PlanContext, autoscaled: boolean): KubernetesObject[] {
  const { input } = ctx;
  switch (input.workload_type) {
    case "training":
      return buildTrainingJob(ctx);
    case "inference":
      return [
        ...buildModelServer(ctx),
        ...(autoscaled ? [buildModelServerPodMonitor(ctx), buildInferenceScaledObject(ctx)] : []),
      ];
    case "batch":
      return [
        buildWorkloadServiceAccount(ctx, batchWorkerName, input.namespaces.batch),
        buildWorkerModelsClaim(ctx, batchWorkerName, input.namespaces.batch),
        autoscaled ? buildBatchScaledJob(ctx) : buildBatchJob(ctx),
      ];
    case "streaming":
      return [
        buildWorkloadServiceAccount(ctx, streamConsumerName, input.namespaces.streaming),
        buildWorkerModelsClaim(ctx, streamConsumerName, input.namespaces.streaming),
        buildStreamConsumer(ctx),
        ...(autoscaled ? [buildStreamingScaledObject(ctx)] : []),
      ];
  }
}

/** GKE installs and manages the NVIDIA device plugin on GPU nodes itself; a second one would fight over the socket. */
function needsDevicePlugin(ctx: PlanContext): boolean {
  return ctx.gpuPools.length > 0 && ctx.input.cloud_provider !== "gcp";
}

function clusterInfrastructure(ctx: PlanContext, identities: IdentityBinding[]): Record<string, unknown> {
  const identityFiles = terraformIdentities(ctx, identities, false);
  switch (ctx.input.cloud_provider) {
    case "aws":
      return { kind: "terraform", target: "eks", files: { ...terraformEks(ctx), ...identityFiles } };
    case "gcp":
      return {
        kind: "terraform",
        target: "gke",
        files: { ...terraformGke(ctx), ...identityFiles },
        device_plugin: "managed by GKE on GPU node pools",
      };
    case "azure":
      return { kind: "terraform", target: "aks", files: { ...terraformAks(ctx), ...identityFiles } };
    case "on_premise":
      return { kind: "cluster_plan", target: "kubeadm", ...onPremClusterPlan(ctx) };
  }
}

function manifestsFor(ctx: PlanContext): KubernetesObject[] {
  const { input } = ctx;
  const foundation = namespaceFoundation(ctx, input.workload_type);
  switch (input.infrastructure_task) {
    case "cluster_setup":
      return [
        ...foundation,
        ...(needsDevicePlugin(ctx)
          ? [
              buildNamespace(ctx, devicePluginNamespace, "privileged"),
              buildDefaultDeny(ctx, devicePluginNamespace)[0]!,
              buildDevicePlugin(ctx),
            ]
          : []),
        // AKS InfiniBand pools: the locked-memory limit RDMA in the restricted training pods needs.
        ...buildInfinibandNodeConfig(ctx),
        ...workloadObjects(ctx, false),
        ...buildRedis(ctx),
        // On EKS the Terraform keeps only each pool's floor: Karpenter provisions the rest.
        ...(input.cloud_provider === "aws" ? buildKarpenter(ctx) : []),
      ];
    case "auto_scaling":
      return [
        ...foundation,
        ...workloadObjects(ctx, true),
        ...buildRedis(ctx),
        ...(input.cloud_provider === "aws" ? buildKarpenter(ctx) : []),
      ];
    case "cost_optimization":
      return [...foundation, ...buildCostGuardrails(ctx)];
    case "security_hardening": {
      const others = (["training", "inference", "batch", "streaming"] as const).filter(
        (w) => w !== input.workload_type,
      );
      return [
        ...foundation,
        ...others.flatMap((w) => namespaceFoundation(ctx, w)),
        ...buildRbac(ctx),
        buildWorkloadServiceAccount(ctx, input.model_server.name, input.namespaces.inference),
        ...buildExternalSecrets(ctx),
      ];
    }
    case "disaster_recovery":
      return [...foundation, ...buildVelero(ctx), ...buildBackupReaders(ctx)];
  }
}

/**
 * The disaster-recovery plan's recovery steps and the files they read (recovery-files.ts): the cluster plan's
 * Terraform and manifests, this plan's manifests and values, the identity Terraform of this plan and of the security
 * plan (re-applied against a recreated cluster's issuer), and on EKS the file-system backup and restore roots.
 */
function disasterRecovery(
  ctx: PlanContext,
  objects: readonly KubernetesObject[],
  identities: IdentityBinding[],
  clusterPlanObjects: readonly KubernetesObject[],
): { recovery_plans: RecoveryPlan[]; recovery_files: Record<string, string> } {
  const { input } = ctx;
  const setup = buildPlanContext({ ...input, infrastructure_task: "cluster_setup" });
  const cluster = clusterInfrastructure(setup, identityBindings(clusterPlanObjects)) as {
    files?: Record<string, string>;
  };
  const security = buildPlanContext({ ...input, infrastructure_task: "security_hardening" });
  const securityObjects = manifestsFor(security);
  const securityIdentity = externalSecretsIdentity(security);
  const secretsIdentityFiles = terraformIdentities(
    security,
    [...identityBindings(securityObjects), ...(securityIdentity ? [securityIdentity] : [])],
    true,
  );
  const backupIdentityFiles = terraformIdentities(ctx, identities, true);
  const addonValues = Object.fromEntries(addonReleases(setup).map((r) => [`${r.name}-values.yaml`, r.values_yaml]));
  const recovery_files: Record<string, string> = {
    // On premises the kubeadm files keep their own paths (kubeadm/...), which the join commands name.
    ...(input.cloud_provider === "on_premise"
      ? onPremClusterPlan(ctx).files
      : inFolder(recoveryFolders.cluster, cluster.files)),
    ...manifestFiles(recoveryFolders.clusterSetup, clusterPlanObjects),
    ...manifestFiles(recoveryFolders.disasterRecovery, objects),
    ...inFolder(recoveryFolders.backupIdentity, backupIdentityFiles),
    ...inFolder(recoveryFolders.secretsIdentity, secretsIdentityFiles),
    ...manifestFiles(
      recoveryFolders.secretStore,
      securityObjects.filter((o) => o.kind === "ClusterSecretStore"),
    ),
    "velero-values.yaml": veleroValuesYaml(ctx, locationSpec(ctx)),
    "external-secrets-values.yaml": stringify(externalSecretsHelmValues(security)),
    ...addonValues,
    ...inFolder(recoveryFolders.fileBackups, fileBackupTerraform(ctx)),
    ...(input.cloud_provider === "aws"
      ? inFolder(recoveryFolders.efsRestore, efsRestoreTerraform(ctx, efsClaimDirectories(clusterPlanObjects)))
      : {}),
    ...(rdmaUsers(clusterPlanObjects).length > 0
      ? { [`${recoveryFolders.networkOperator}/nic-cluster-policy.yaml`]: stringify(nicClusterPolicy()) }
      : {}),
  };
  const recovery_plans = buildRecoveryPlans(ctx, {
    clusterPlanObjects,
    backupIdentity: Object.keys(backupIdentityFiles).length > 0,
    secretsIdentity: Object.keys(secretsIdentityFiles).length > 0,
  });
  return { recovery_plans, recovery_files };
}

function infrastructureConfig(
  ctx: PlanContext,
  objects: readonly KubernetesObject[],
  identities: IdentityBinding[],
  clusterPlanObjects: readonly KubernetesObject[],
): Record<string, unknown> {
  const { input } = ctx;
  const base: Record<string, unknown> = {
    task: input.infrastructure_task,
    cluster_name: input.cluster_name,
    cloud_provider: input.cloud_provider,
    region: input.region,
    kubernetes_version: input.kubernetes_version,
    workload_type: input.workload_type,
    workload_namespace: ctx.workloadNamespace,
    workload_node_pool: ctx.workloadPool.name,
    node_pools: input.node_pools,
  };
  if (input.workload_type === "training") {
    const names = trainingJobNames(ctx);
    base.training = {
      job: names.job,
      headless_service: names.service,
      master_addr: names.masterAddress,
      world_size: names.worldSize,
    };
  }
  // Outside cluster_setup the cluster exists: the identities the ServiceAccounts name come as Terraform of their own.
  const identityFiles = terraformIdentities(ctx, identities, true);
  if (input.infrastructure_task !== "cluster_setup" && Object.keys(identityFiles).length > 0) {
    base.workload_identity = { kind: "terraform", files: identityFiles };
  }
  const addons = addonReleases(ctx);
  if (addons.length > 0) base.addons = { kind: "helm", releases: addons };
  switch (input.infrastructure_task) {
    case "cluster_setup":
      return { ...base, cluster: clusterInfrastructure(ctx, identities) };
    case "auto_scaling":
      return {
        ...base,
        node_autoscaling: nodeAutoscalingNote(input.cloud_provider),
        pod_autoscaling:
          input.workload_type === "training"
            ? "Training runs to completion: no pod autoscaler; Karpenter or the cluster autoscaler adds GPU nodes for pending ranks."
            : "KEDA",
      };
    case "security_hardening":
      return {
        ...base,
        external_secrets: {
          chart: "external-secrets/external-secrets",
          repository: "https://charts.external-secrets.io",
          namespace: "external-secrets",
          values_file: "external-secrets-values.yaml",
          values_yaml: stringify(externalSecretsHelmValues(ctx)),
        },
      };
    case "disaster_recovery":
      return {
        ...base,
        backup_strategy: buildBackupStrategy(ctx),
        velero: {
          chart: "vmware-tanzu/velero",
          chart_version: veleroChartVersion,
          image: `velero/velero:${veleroImageTag}`,
          repository: "https://vmware-tanzu.github.io/helm-charts",
          namespace: veleroNamespace,
          values_file: "velero-values.yaml",
          values_yaml: veleroValuesYaml(ctx, locationSpec(ctx)),
        },
        ...disasterRecovery(ctx, objects, identities, clusterPlanObjects),
        // Velero reads volumes only through running pods: the shared file system is backed up natively too.
        ...(fileBackupTerraform(ctx) ? { file_backups: { kind: "terraform", files: fileBackupTerraform(ctx) } } : {}),
        // The recovery plan's first on-premises step runs kubeadm init with this configuration.
        ...(input.cloud_provider === "on_premise" ? { cluster_rebuild: onPremClusterPlan(ctx) } : {}),
      };
    default:
      return base;
  }
}

/**
 * Builds every part of the plan and validates the manifests; throws PlanValidationError if any object is invalid.
 * `prices`: the live price list of the cluster's cloud and region, loaded by the caller; without one the cost
 * estimate uses the offline table and says so.
 */
export async function generatePlan(input: PlanInput, prices: PriceList | null = null): Promise<PlanOutput> {
  const ctx = buildPlanContext(input);
  const deployment_manifests = manifestsFor(ctx);
  const validation = await validateManifests(deployment_manifests);
  if (!validation.valid) throw new PlanValidationError(validation.errors);
  // Velero's and External Secrets' ServiceAccounts come from their Helm charts, not the manifests: their identities
  // (bound through the charts' values in infrastructure_config) are added here.
  const chartIdentity =
    input.infrastructure_task === "disaster_recovery"
      ? veleroIdentity(ctx)
      : input.infrastructure_task === "security_hardening"
        ? externalSecretsIdentity(ctx)
        : undefined;
  const identities = [...identityBindings(deployment_manifests), ...(chartIdentity ? [chartIdentity] : [])];
  // The cluster_setup plan for the same input: the other plans run on the cluster it builds and use its claims,
  // and the disaster-recovery plan rebuilds it. Built only when one of those needs it.
  const clusterPlanObjects =
    input.infrastructure_task === "cluster_setup"
      ? deployment_manifests
      : input.infrastructure_task === "disaster_recovery" || mountedForeignClaims(deployment_manifests).size > 0
        ? manifestsFor(buildPlanContext({ ...input, infrastructure_task: "cluster_setup" }))
        : [];
  const requires = planRequirements(ctx, deployment_manifests, clusterPlanObjects);
  return {
    infrastructure_config: infrastructureConfig(ctx, deployment_manifests, identities, clusterPlanObjects),
    deployment_manifests,
    cost_estimate: estimateCost(input, prices),
    security_report: checkManifests(deployment_manifests),
    viability_report: checkViability(deployment_manifests, {
      ...viabilityFactsFor(ctx, identities),
      requiredClaims: requiredClaims(requires),
    }),
    requires,
    runbooks: buildRunbooks(ctx, requires),
    validation,
  };
}

/** The manifests alone, unvalidated: for callers (tests, recoveries) that validate or transform them themselves. */
export function buildManifests(input: PlanInput): KubernetesObject[] {
  return manifestsFor(buildPlanContext(input));
}
