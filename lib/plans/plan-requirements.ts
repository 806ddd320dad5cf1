// What a plan needs on the cluster besides its own objects: the operators and controllers whose APIs its manifests
// use, the exporters and CSI drivers its autoscalers and volumes read from, with the versions the plan is built and
// validated against and the settings its objects rely on. Derived from the generated objects and add-ons, so a
// requirement appears exactly when something in the plan needs it.
import type { KubernetesObject } from "@/lib/k8s/types";
import { asArray, asRecord, findPodSpec, listContainers } from "@/lib/security/pod-specs";
import { addonReleases, dcgmExporterChartVersion } from "./build-addons";
import { installsRedis, redisImage, redisStorageClass } from "./build-redis";
import { kedaNamespace } from "./viability/check-trigger-reach";
import { devicePluginName, devicePluginVersion } from "./build-device-plugin";
import { veleroChartVersion, veleroImageTag, veleroPlugins } from "./build-velero-install";
import { sharedStorageClass, type PlanContext } from "./plan-context";
import { infinibandNodeConfigNamespace, memlockDaemonSetName, memlockDropIn } from "./build-infiniband-node-config";
import { rdmaResource, rdmaSharedDevicePluginConfig } from "./training-interconnect";
import { loaderJobName, trainingDataSource } from "./build-training-loader";

export interface RequirementSetting {
  /** Where the setting lives, e.g. the kube-prometheus-stack value path. */
  key: string;
  value: string;
  why: string;
}

export interface PlanRequirement {
  name: string;
  kind:
    | "operator"
    | "controller"
    | "exporter"
    | "device-plugin"
    | "csi-driver"
    | "node-software"
    | "object-store"
    /** Another plan of the portal whose objects this one uses (the cluster_setup plan's claims). */
    | "plan";
  /** The version (or lowest version) the plan's objects are written and validated against. */
  version: string;
  /**
   * plan: this plan installs it (Helm release, Terraform, or its own manifests); cloud: the managed service runs it;
   * cluster: it must already run on the cluster before the plan is applied; you: the requester runs it outside the
   * cluster (the on-premises backup store) and names it in the input.
   */
  provided_by: "plan" | "cloud" | "cluster" | "you";
  /** The plan's objects ("Kind/namespace/name") or add-ons that need it. */
  needed_by: string[];
  settings: RequirementSetting[];
}

const ref = (o: KubernetesObject) => [o.kind, o.metadata.namespace, o.metadata.name].filter(Boolean).join("/");
const inGroup = (objects: readonly KubernetesObject[], group: string) =>
  objects.filter((o) => o.apiVersion.split("/")[0] === group);

function requestsGpu(o: KubernetesObject): boolean {
  const pod = findPodSpec(o);
  return (
    pod !== undefined &&
    listContainers(pod).some(
      ({ container }) => asRecord(asRecord(container.resources)?.limits)?.["nvidia.com/gpu"] !== undefined,
    )
  );
}

/** The first KEDA whose ScaledObject fallback covers Value-type triggers as well as AverageValue ones. */
export const kedaFallbackMinVersion = "2.18";

function keda(ctx: PlanContext, objects: readonly KubernetesObject[]): PlanRequirement[] {
  const users = inGroup(objects, "keda.sh");
  if (users.length === 0) return [];
  const usesFallback = users.some((o) => asRecord(o.spec)?.fallback !== undefined);
  return [
    {
      name: "KEDA",
      kind: "operator",
      // Before KEDA 2.18, fallback is disabled for triggers whose metric target type is Value (keda-docs 2.17
      // scaledobject-spec), which the GPU-utilization and latency triggers are: 2.18 supports both types.
      version: usesFallback ? `>= ${kedaFallbackMinVersion}` : ">= 2.9",
      provided_by: "cluster",
      needed_by: users.map(ref),
      settings: [],
    },
  ];
}

/**
 * The plan's PodMonitor and the DCGM chart's ServiceMonitor carry no `release` label: kube-prometheus-stack's
 * Prometheus selects only monitors labelled with its release unless the NilUsesHelmValues switches are off.
 */
function prometheusOperator(ctx: PlanContext, objects: readonly KubernetesObject[]): PlanRequirement[] {
  const monitors = inGroup(objects, "monitoring.coreos.com");
  const dcgm = addonReleases(ctx).find((r) => r.name === "dcgm-exporter");
  if (monitors.length === 0 && !dcgm) return [];
  const settings: RequirementSetting[] = [];
  if (monitors.some((o) => o.kind === "PodMonitor"))
    settings.push(
      {
        key: "prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues",
        value: "false",
        why: "The plan's PodMonitor has no release label; with the chart's default Prometheus ignores it and the model server is never scraped.",
      },
      {
        key: "prometheus.prometheusSpec.podMonitorNamespaceSelector",
        value: "{}",
        why: `The PodMonitor lives in ${ctx.input.namespaces.inference}, not in Prometheus's namespace.`,
      },
    );
  if (dcgm)
    settings.push(
      {
        key: "prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues",
        value: "false",
        why: "The DCGM exporter chart's ServiceMonitor has no release label; with the chart's default the GPU series never arrive.",
      },
      {
        key: "prometheus.prometheusSpec.serviceMonitorNamespaceSelector",
        value: "{}",
        why: `The exporter's ServiceMonitor lives in ${dcgm.namespace}.`,
      },
    );
  if (inGroup(objects, "keda.sh").length > 0)
    settings.push({
      key: "autoscaling.prometheus_address",
      value: ctx.input.autoscaling.prometheus_address,
      why: "KEDA's triggers query this Prometheus: it must be the one that reads these monitors.",
    });
  return [
    {
      name: "Prometheus Operator (kube-prometheus-stack)",
      kind: "operator",
      // The monitoring.coreos.com CRDs the plan's monitors are validated against carry operator.prometheus.io/version 0.93.0.
      version: ">= 0.93.0",
      provided_by: "cluster",
      needed_by: [...monitors.map(ref), ...(dcgm ? [`helm/${dcgm.name}`] : [])],
      settings,
    },
  ];
}

function karpenter(ctx: PlanContext, objects: readonly KubernetesObject[]): PlanRequirement[] {
  const users = [...inGroup(objects, "karpenter.sh"), ...inGroup(objects, "karpenter.k8s.aws")];
  if (users.length === 0) return [];
  const { cluster_name } = ctx.input;
  // karpenter.sh/v1 is served from 1.0; EC2NodeClass spec.placementGroupSelector first appears in the CRD of
  // aws/karpenter-provider-aws v1.11.0 (absent in v1.10.0).
  const placementGroups = users.some((o) => asRecord(o.spec)?.placementGroupSelector !== undefined);
  return [
    {
      name: "Karpenter",
      kind: "controller",
      version: placementGroups ? ">= 1.11" : ">= 1.0",
      provided_by: "cluster",
      needed_by: users.map(ref),
      settings: [
        { key: "settings.clusterName", value: cluster_name, why: "The NodePools launch nodes into this cluster." },
        {
          key: "settings.interruptionQueue",
          value: `${cluster_name}-karpenter`,
          why: "The queue the EKS Terraform creates for spot interruptions; without it spot nodes vanish without a drain.",
        },
        {
          key: "serviceAccount.name",
          value: "karpenter",
          why: "Installed in namespace karpenter, the controller gets its IAM role through the Pod Identity association the EKS Terraform creates for karpenter/karpenter; a role-arn annotation would shadow it.",
        },
        {
          key: "controller.env",
          value: `[{ name: AWS_REGION, value: ${ctx.input.region} }]`,
          why: "The nodes' IMDS hop limit is 1, so no pod reaches the instance metadata (and the node role's credentials); without AWS_REGION the controller asks IMDS for its region and fails to start.",
        },
      ],
    },
  ];
}

function velero(ctx: PlanContext, objects: readonly KubernetesObject[]): PlanRequirement[] {
  const users = inGroup(objects, "velero.io");
  if (users.length === 0) return [];
  const installed = ctx.input.infrastructure_task === "disaster_recovery";
  const plugin = veleroPlugins[ctx.input.cloud_provider];
  const [pluginImage = plugin, pluginTag = ""] = plugin.split(":");
  return [
    {
      name: "Velero",
      kind: "operator",
      version: `${veleroImageTag.replace(/^v/, "")} (chart ${veleroChartVersion})`,
      provided_by: installed ? "plan" : "cluster",
      needed_by: users.map(ref),
      settings: [
        {
          key: "deployNodeAgent",
          value: "true",
          why: "File-system backup of the shared volumes runs in the node agent on every node.",
        },
      ],
    },
    {
      name: `Velero plugin ${pluginImage.split("/").at(-1) ?? pluginImage}`,
      kind: "operator",
      version: pluginTag.replace(/^v/, ""),
      provided_by: installed ? "plan" : "cluster",
      needed_by: users.filter((o) => o.kind === "BackupStorageLocation").map(ref),
      settings: [],
    },
  ];
}

/**
 * On premises Velero writes to an S3-compatible store the requester runs outside the cluster: a store inside it
 * (MinIO at minio.minio.svc) is lost with the cluster a cluster-failure recovery rebuilds.
 */
function onPremObjectStore(ctx: PlanContext, objects: readonly KubernetesObject[]): PlanRequirement[] {
  const locations = objects.filter((o) => o.kind === "BackupStorageLocation" && o.apiVersion.startsWith("velero.io/"));
  if (ctx.input.cloud_provider !== "on_premise" || locations.length === 0) return [];
  const dr = ctx.input.disaster_recovery;
  return [
    {
      name: "S3-compatible object store outside the cluster (MinIO, Ceph RGW)",
      kind: "object-store",
      version: "S3 API",
      provided_by: "you",
      needed_by: locations.map(ref),
      settings: [
        {
          key: "disaster_recovery.object_store_url",
          value: dr.object_store_url,
          why: "Velero writes the backups there and a rebuilt cluster restores from there, so it must not run in the cluster it backs up.",
        },
        {
          key: "disaster_recovery.object_store_ca_cert",
          value: dr.object_store_ca_cert ? "set" : "unset",
          why: "The base64 of the CA's PEM when a private CA signed the store's certificate; without it Velero refuses the TLS connection.",
        },
        {
          key: "bucket",
          value: String(dr.backup_bucket),
          why: "Create the bucket before applying, and its keys in the Secret velero/velero-object-store (key cloud).",
        },
      ],
    },
  ];
}

/**
 * The training code and data the loader Job copies into the data claim: the requester uploads them to the plan's
 * models-and-data store before the ranks can start (they wait for the loader, which fails at once on an empty prefix).
 */
function trainingData(ctx: PlanContext, objects: readonly KubernetesObject[]): PlanRequirement[] {
  const loaders = objects.filter((o) => o.kind === "Job" && o.metadata.name === loaderJobName(ctx));
  if (loaders.length === 0) return [];
  const { input } = ctx;
  const source = trainingDataSource(ctx);
  const script = input.training.script;
  return [
    {
      name: "Training code and data in",
      kind: "object-store",
      version: {
        aws: "Amazon S3",
        gcp: "Cloud Storage",
        azure: "Azure Blob Storage",
        on_premise: "the S3-compatible store",
      }[input.cloud_provider],
      provided_by: "you",
      needed_by: loaders.map(ref),
      settings: [
        {
          key: "source",
          value: source,
          why: `Upload the code and data here before applying: the loader mirrors this prefix into /data of every rank${
            script.startsWith("/data/")
              ? `, so training.script ${script} is the object ${script.slice("/data/".length)}`
              : ""
          }.`,
        },
        ...(input.cloud_provider === "on_premise"
          ? [
              {
                key: `Secret ${input.namespaces.training}/model-credentials`,
                value: "object_store_access_key, object_store_secret_key",
                why: "The loader reads the store with these keys (the security plan's ExternalSecret creates the Secret from Vault).",
              },
            ]
          : []),
      ],
    },
  ];
}

function externalSecrets(objects: readonly KubernetesObject[]): PlanRequirement[] {
  const users = inGroup(objects, "external-secrets.io");
  if (users.length === 0) return [];
  return [
    {
      name: "External Secrets Operator",
      kind: "operator",
      // external-secrets.io/v1 is served from 0.16; 0.17 stops serving v1beta1.
      version: ">= 0.16",
      provided_by: "plan",
      needed_by: users.map(ref),
      settings: [],
    },
  ];
}

function gpuSoftware(ctx: PlanContext, objects: readonly KubernetesObject[]): PlanRequirement[] {
  const { input } = ctx;
  const gpuUsers = objects.filter(requestsGpu).map(ref);
  const out: PlanRequirement[] = [];
  const dcgm = addonReleases(ctx).find((r) => r.name === "dcgm-exporter");
  if (dcgm)
    out.push({
      name: "NVIDIA DCGM exporter",
      kind: "exporter",
      version: `chart ${dcgmExporterChartVersion}`,
      provided_by: "plan",
      // The autoscaler's GPU trigger reads its series; without one, the GPU workloads it measures.
      needed_by: (() => {
        const scalers = objects.filter((o) => o.kind === "ScaledObject").map(ref);
        return scalers.length > 0 ? scalers : objects.filter(requestsGpu).map(ref);
      })(),
      settings: [
        {
          key: "serviceMonitor.honorLabels",
          value: "true",
          why: "Keeps the GPU's pod/namespace labels, which the autoscaler's GPU query filters on.",
        },
      ],
    });
  if (gpuUsers.length === 0) return out;
  if (input.cloud_provider === "on_premise") {
    out.push({
      name: "NVIDIA GPU Operator (driver, container toolkit, device plugin, DCGM exporter)",
      kind: "node-software",
      version: "a driver that meets the NGC 25.04 images' driver requirements (release notes)",
      provided_by: "cluster",
      needed_by: gpuUsers,
      settings: [
        {
          key: "dcgmExporter.serviceMonitor.enabled",
          value: "true",
          why: "The inference autoscaler reads DCGM GPU utilization from Prometheus.",
        },
        {
          key: "dcgmExporter.serviceMonitor.honorLabels",
          value: "true",
          why: "Keeps the GPU's pod/namespace labels, which the autoscaler's GPU query filters on; the plan installs no exporter of its own beside the operator's.",
        },
      ],
    });
    return out;
  }
  const pluginInSet = objects.some((o) => o.kind === "DaemonSet" && o.metadata.name === devicePluginName);
  out.push({
    name: "NVIDIA device plugin",
    kind: "device-plugin",
    version: input.cloud_provider === "gcp" ? "GKE-managed" : devicePluginVersion,
    provided_by: input.cloud_provider === "gcp" ? "cloud" : pluginInSet ? "plan" : "cluster",
    needed_by: gpuUsers,
    settings: [],
  });
  return out;
}

/** The objects whose pods ask for the RDMA device (AKS InfiniBand training ranks). */
export function rdmaUsers(objects: readonly KubernetesObject[]): KubernetesObject[] {
  return objects.filter((o) => {
    const pod = findPodSpec(o);
    return (
      pod !== undefined &&
      listContainers(pod).some(({ container }) =>
        Object.keys(asRecord(asRecord(container.resources)?.limits) ?? {}).includes(rdmaResource),
      )
    );
  });
}

/**
 * AKS InfiniBand training: the ranks ask for the RDMA device, which exists only once the NVIDIA Network Operator
 * runs the OFED driver and the RDMA shared device plugin on the ND-series nodes (AKS installs neither).
 */
function networkOperator(objects: readonly KubernetesObject[]): PlanRequirement[] {
  const users = rdmaUsers(objects);
  if (users.length === 0) return [];
  return [
    {
      name: "NVIDIA Network Operator (OFED driver, RDMA shared device plugin)",
      kind: "device-plugin",
      // The release Azure's AKS InfiniBand guide (Azure/aks-rdma-infiniband) is written and tested against.
      version: ">= 25.1.0",
      provided_by: "cluster",
      needed_by: users.map(ref),
      settings: [
        {
          key: "NicClusterPolicy spec.rdmaSharedDevicePlugin.config",
          value: rdmaSharedDevicePluginConfig,
          why: `Advertises ${rdmaResource}, which each training rank asks for; without it the ranks stay Pending.`,
        },
        {
          key: "NicClusterPolicy spec.ofedDriver",
          value: "enabled",
          why: "The ND-series nodes' AKS image has no InfiniBand driver of its own.",
        },
      ],
    },
    // The Network Operator installs drivers and device plugins but sets no process limits: the locked-memory limit
    // comes from the cluster plan's DaemonSet (build-infiniband-node-config.ts).
    {
      name: "Unlimited locked memory for containers on the InfiniBand nodes",
      kind: "node-software",
      version: `DaemonSet ${infinibandNodeConfigNamespace}/${memlockDaemonSetName}`,
      provided_by: objects.some((o) => o.kind === "DaemonSet" && o.metadata.name === memlockDaemonSetName)
        ? "plan"
        : "cluster",
      needed_by: users.map(ref),
      settings: [
        {
          key: `containerd drop-in ${memlockDropIn}`,
          value: "[Service] LimitMEMLOCK=infinity",
          why: "NCCL pins its buffers with the HCAs, counted against RLIMIT_MEMLOCK, and the ranks run under the restricted profile without IPC_LOCK; containers inherit containerd's limit, which AKS leaves at systemd's default (KiB to a few MiB), so memory registration fails and NCCL falls back to sockets.",
        },
        {
          key: "order",
          value: `kubectl rollout status -n ${infinibandNodeConfigNamespace} daemonset/${memlockDaemonSetName} before the training Job`,
          why: "A container keeps the limit it started with: a rank started on a node before the DaemonSet restarted containerd there must be restarted.",
        },
      ],
    },
  ];
}

const csiDrivers: Record<PlanContext["input"]["cloud_provider"], { name: string; version: string }> = {
  aws: { name: "Amazon EFS CSI driver (EKS add-on aws-efs-csi-driver)", version: "EKS add-on, most recent" },
  gcp: { name: "Filestore CSI driver (GKE add-on)", version: "GKE-managed" },
  azure: { name: "Azure Files CSI driver (built into AKS)", version: "AKS-managed" },
  on_premise: { name: "NFS provisioner for StorageClass nfs-client", version: "any" },
};

function sharedStorage(ctx: PlanContext, objects: readonly KubernetesObject[]): PlanRequirement[] {
  const { input } = ctx;
  const shared = sharedStorageClass[input.cloud_provider];
  const claims = claimsOf(objects, shared);
  const block = redisStorageClass[input.cloud_provider];
  const blockClaims = block === shared ? [] : claimsOf(objects, block);
  const blockDriver = blockDrivers[input.cloud_provider];
  const driver = csiDrivers[input.cloud_provider];
  // The EKS Terraform installs the EFS add-on and GKE's enables the Filestore one; AKS ships Azure Files itself.
  const builtByPlan =
    input.infrastructure_task === "cluster_setup" && (input.cloud_provider === "aws" || input.cloud_provider === "gcp");
  return [
    ...(claims.length > 0
      ? [
          {
            name: driver.name,
            kind: "csi-driver" as const,
            version: driver.version,
            provided_by: builtByPlan ? ("plan" as const) : input.cloud_provider === "azure" ? "cloud" : "cluster",
            needed_by: claims,
            settings: [{ key: "storageClassName", value: shared, why: "The ReadWriteMany class the claims name." }],
          } satisfies PlanRequirement,
        ]
      : []),
    ...(blockClaims.length > 0 && blockDriver
      ? [
          {
            name: blockDriver.name,
            kind: "csi-driver" as const,
            version: blockDriver.version,
            // The EKS cluster Terraform installs the EBS add-on and its gp3 class; GKE and AKS ship their disk classes.
            provided_by:
              input.cloud_provider !== "aws"
                ? "cloud"
                : input.infrastructure_task === "cluster_setup"
                  ? "plan"
                  : "cluster",
            needed_by: blockClaims,
            settings: [{ key: "storageClassName", value: block, why: "The ReadWriteOnce class Redis's volume names." }],
          } satisfies PlanRequirement,
        ]
      : []),
  ];
}

const blockDrivers: Partial<Record<PlanContext["input"]["cloud_provider"], { name: string; version: string }>> = {
  aws: {
    name: "Amazon EBS CSI driver (EKS add-on aws-ebs-csi-driver) with StorageClass gp3",
    version: "EKS add-on, most recent",
  },
  gcp: { name: "Compute Engine persistent disk CSI driver (GKE)", version: "GKE-managed" },
  azure: { name: "Azure Disk CSI driver (built into AKS)", version: "AKS-managed" },
};

/** The PersistentVolumeClaims and StatefulSets (by their volumeClaimTemplates) that name a StorageClass. */
function claimsOf(objects: readonly KubernetesObject[], storageClass: string): string[] {
  return objects
    .filter((o) =>
      o.kind === "PersistentVolumeClaim"
        ? asRecord(o.spec)?.storageClassName === storageClass
        : o.kind === "StatefulSet" &&
          asArray(asRecord(o.spec)?.volumeClaimTemplates).some(
            (t) => asRecord(asRecord(t)?.spec)?.storageClassName === storageClass,
          ),
    )
    .map(ref);
}

function redisQueue(ctx: PlanContext, objects: readonly KubernetesObject[]): PlanRequirement[] {
  if (!installsRedis(ctx)) return [];
  const workers = objects
    .filter((o) => (o.kind === "ScaledJob" || o.kind === "Job") && o.metadata.namespace === ctx.input.namespaces.batch)
    .map(ref);
  return [
    {
      name: "Redis (queue of the batch workers)",
      kind: "operator" as const,
      version: `image ${redisImage}`,
      provided_by: "plan" as const,
      needed_by: workers,
      settings: [
        {
          key: "autoscaling.redis_address",
          value: ctx.input.autoscaling.redis_address,
          why: "The workers pop this queue and KEDA reads its length.",
        },
        {
          key: "KEDA namespace",
          value: kedaNamespace,
          why: "Redis's NetworkPolicy admits KEDA's operator from this namespace only (with the batch workers').",
        },
      ],
    },
  ];
}

/** "namespace/name" of every claim the objects' pod templates mount that the objects do not create themselves. */
export function mountedForeignClaims(objects: readonly KubernetesObject[]): Map<string, string[]> {
  const created = new Set(
    objects
      .filter((o) => o.kind === "PersistentVolumeClaim")
      .map((o) => `${o.metadata.namespace ?? "default"}/${o.metadata.name}`),
  );
  const users = new Map<string, string[]>();
  for (const o of objects) {
    const pod = findPodSpec(o);
    if (!pod) continue;
    for (const v of asArray(pod.spec.volumes)) {
      const claim = asRecord(asRecord(v)?.persistentVolumeClaim)?.claimName;
      const key = `${o.metadata.namespace ?? "default"}/${String(claim)}`;
      if (typeof claim === "string" && !created.has(key)) users.set(key, [...(users.get(key) ?? []), ref(o)]);
    }
  }
  return users;
}

/**
 * Claims the plan mounts but another plan creates: the disaster-recovery plan's backup readers mount the claims of
 * the cluster_setup plan's workload. Only claims that plan really creates are named here; a claim nobody creates
 * stays out, and the viability checker reports its pods.
 */
function clusterPlanClaims(
  ctx: PlanContext,
  objects: readonly KubernetesObject[],
  clusterPlanObjects: readonly KubernetesObject[],
): PlanRequirement[] {
  if (ctx.input.infrastructure_task === "cluster_setup") return [];
  const claims = new Map(
    clusterPlanObjects
      .filter((o) => o.kind === "PersistentVolumeClaim")
      .map((o) => [`${o.metadata.namespace ?? "default"}/${o.metadata.name}`, o]),
  );
  const used = [...mountedForeignClaims(objects)].filter(([key]) => claims.has(key));
  if (used.length === 0) return [];
  return [
    {
      name: `PersistentVolumeClaims of the ${ctx.input.workload_type} plan`,
      kind: "plan",
      version: "cluster_setup",
      provided_by: "cluster",
      needed_by: [...new Set(used.flatMap(([, users]) => users))],
      settings: used.map(([key]) => ({
        key: `PersistentVolumeClaim/${key}`,
        value: String(asRecord(claims.get(key)?.spec)?.storageClassName ?? ""),
        why: "Created by the cluster_setup plan for this workload: apply that plan first, or these pods stay Pending.",
      })),
    },
  ];
}

/** The claims ("namespace/name") a plan's requires names as created by another plan. */
export function requiredClaims(requires: readonly PlanRequirement[]): string[] {
  return requires
    .filter((r) => r.kind === "plan")
    .flatMap((r) => r.settings.map((s) => s.key.replace(/^PersistentVolumeClaim\//, "")));
}

/** `clusterPlanObjects`: the manifests of the cluster_setup plan for the same input, whose claims others mount. */
export function planRequirements(
  ctx: PlanContext,
  objects: readonly KubernetesObject[],
  clusterPlanObjects: readonly KubernetesObject[] = [],
): PlanRequirement[] {
  return [
    ...clusterPlanClaims(ctx, objects, clusterPlanObjects),
    ...keda(ctx, objects),
    ...prometheusOperator(ctx, objects),
    ...karpenter(ctx, objects),
    ...velero(ctx, objects),
    ...onPremObjectStore(ctx, objects),
    ...trainingData(ctx, objects),
    ...externalSecrets(objects),
    ...gpuSoftware(ctx, objects),
    ...networkOperator(objects),
    ...sharedStorage(ctx, objects),
    ...redisQueue(ctx, objects),
  ];
}
