// The one input schema of the plan engine: the form, POST /api/v1/plans, the CLI and background jobs all parse with it.
// No Node imports here: the same schema runs in the browser for live previews.
import { z } from "zod";
import { isSystemNamespace, systemNamespaceMessage } from "@/lib/k8s/protected-namespaces";
import { cloudProviders, listInstanceTypes, lookupPrice } from "@/lib/pricing/lookup-price";
import { modelServerKindOfImage, modelServerKinds, triggerAvailable } from "@/lib/scaling/metric-definitions";
import { hpaBehaviorSchema } from "./hpa-behavior-schema";
import { kubernetesVersionProblem } from "./kubernetes-versions";
import { defaultNodePools, defaultRegions } from "./node-pool-defaults";
import { pickWorkloadPool } from "./plan-context";
import { dns1123LabelPattern, dns1123SubdomainSource } from "@/lib/k8s/names";

export const infrastructureTasks = [
  "cluster_setup",
  "auto_scaling",
  "cost_optimization",
  "security_hardening",
  "disaster_recovery",
] as const;
/** A documentation-domain stand-in for the on-premises object store: the requester names theirs. */
export const placeholderObjectStoreUrl = "https://object-store.example.com:9000";
/** The on-premises NFS export behind nfs-client until the requester names theirs. */
export const placeholderNfsExport = "nfs.example.com:/exports/ml";

export const workloadTypes = ["training", "inference", "batch", "streaming"] as const;
export { cloudProviders };

const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const labelKey = new RegExp(`^(${dns1123SubdomainSource}\\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$`);
// repository[:tag][@sha256:digest]; the security checker flags a tag without a digest, so pin by digest in production.
const imageReference =
  /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;
const quantity = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const cronFieldRanges: [string, number, number][] = [
  ["minute", 0, 59],
  ["hour", 0, 23],
  ["day of month", 1, 31],
  ["month", 1, 12],
  ["day of week", 0, 7],
];

/** Why a 5-field cron expression is not one Velero (robfig/cron) accepts, or undefined when it is fine. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    return `has ${fields.length} field(s); it needs 5 (minute hour day-of-month month day-of-week)`;
  for (const [i, field] of fields.entries()) {
    const [name, min, max] = cronFieldRanges[i]!;
    for (const part of field.split(",")) {
      const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!match) return `${name} field "${field}" is not a number, range, list or step`;
      const numbers = [match[2], match[3]].filter((n) => n !== undefined).map(Number);
      if (numbers.some((n) => n < min || n > max)) return `${name} field "${field}" is outside ${min}-${max}`;
      if (numbers.length === 2 && numbers[0]! > numbers[1]!) return `${name} range "${part}" runs backwards`;
      if (match[4] !== undefined && Number(match[4]) === 0) return `${name} step "${part}" may not be 0`;
    }
  }
  return undefined;
}

/**
 * Why an API authorized range is not an IPv4 CIDR AKS and EKS accept as one, or undefined when it is: dotted
 * quad, prefix /8 to /32 (shorter ones open the API to a large part of the internet), no host bits set.
 */
export function cidrProblem(cidr: string): string | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return "is not an IPv4 CIDR: write it as 203.0.113.7/32";
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return "has an octet above 255";
  const bits = Number(match[5]);
  if (bits < 8 || bits > 32)
    return "must have a prefix from /8 to /32: a shorter one opens the API to a large part of the internet";
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - bits);
  if (address % size !== 0) {
    const base = Math.floor(address / size) * size;
    const network = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join(".");
    return `has host bits set: use ${network}/${bits}`;
  }
  return undefined;
}

// Node labels under these domains are set by the kubelet, the cloud or Karpenter; a pool may not claim them.
const reservedLabelDomains = ["kubernetes.io", "k8s.io", "karpenter.sh", "karpenter.k8s.aws"];

/**
 * Objects refuse unknown keys: a misspelt or invented field (`gpu_count`, `budget_usd_month`) would otherwise be
 * dropped without a word and the plan built from defaults the requester never chose.
 */
const strictObject = <T extends z.ZodRawShape>(where: string, shape: T) =>
  z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      const keys = (issue as { keys: string[] }).keys.map((k) => `${where}${k}`);
      return `unknown field${keys.length === 1 ? "" : "s"} ${keys.map((k) => `"${k}"`).join(", ")}: remove ${keys.length === 1 ? "it" : "them"} or check the spelling (the fields are listed in /api/v1/openapi.json)`;
    },
  });

const dnsName = (field: string, max = 63) =>
  z
    .string()
    .max(max, { message: `${field} must be at most ${max} characters: shorten it` })
    .regex(dns1123LabelPattern, {
      message: `${field} must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit): e.g. "ml-inference"`,
    });

const count = (field: string, min = 0, max = 10_000) =>
  z
    .number({ message: `${field} must be a number` })
    .int({ message: `${field} must be a whole number` })
    .min(min, { message: `${field} must be at least ${min}` })
    .max(max, { message: `${field} must be at most ${max}` });

// A trigger threshold: KEDA takes a decimal string, so fractions (0.5 requests per second per replica) are kept.
const threshold = (field: string, max: number) =>
  z
    .number({ message: `${field} must be a number` })
    .positive({ message: `${field} must be above 0` })
    .max(max, { message: `${field} must be at most ${max}` });

const image = (field: string) =>
  z.string().regex(imageReference, {
    message: `${field} must be an image reference like "registry/repo:tag@sha256:<64 hex>" (lowercase, no spaces)`,
  });

const taintSchema = strictObject("taint.", {
  key: z.string().regex(labelKey, { message: "taint key must be a valid label key, e.g. nvidia.com/gpu" }),
  value: z.string().regex(labelValue, { message: "taint value must be a valid label value" }).default(""),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

export const nodePoolSchema = strictObject("node_pools[].", {
  name: dnsName("node pool name", 40),
  instance_type: z.string().min(1, { message: "instance_type is required: e.g. g5.xlarge" }),
  min_nodes: count("min_nodes", 0, 1000),
  max_nodes: count("max_nodes", 1, 1000),
  capacity_type: z.enum(["on_demand", "spot"]).default("on_demand"),
  labels: z
    .record(
      z.string().regex(labelKey, { message: "label keys must be valid Kubernetes label keys" }),
      z
        .string()
        .regex(labelValue, { message: "label values must be at most 63 alphanumerics, '-', '_' or '.'" })
        .max(63),
    )
    .default({}),
  taints: z.array(taintSchema).max(20).default([]),
  fallback_instance_types: z.array(z.string().min(1)).max(10).default([]),
  disk_size_gib: count("disk_size_gib", 20, 16_000).default(200),
});

const scaleRequirementsSchema = strictObject("scale_requirements.", {
  min_replicas: count("min_replicas", 0, 1000).default(1),
  // Without a value: 100, or what the workload's pool holds at its maximum size when that is less.
  max_replicas: count("max_replicas", 1, 1000).optional(),
  target_gpu_utilization: z
    .number({ message: "target_gpu_utilization must be a number between 0 and 1" })
    // Below 5% the KEDA threshold rounds to 0 or 1 per cent: the scaler would add replicas for any load at all.
    .min(0.05, { message: "target_gpu_utilization must be at least 0.05 (it is a fraction, e.g. 0.8 for 80%)" })
    .max(1, { message: "target_gpu_utilization must be at most 1 (it is a fraction: write 0.8, not 80)" })
    .default(0.8),
});

const namespacesSchema = strictObject("namespaces.", {
  training: dnsName("namespaces.training").default("ml-training"),
  inference: dnsName("namespaces.inference").default("ml-inference"),
  batch: dnsName("namespaces.batch").default("ml-batch"),
  streaming: dnsName("namespaces.streaming").default("ml-streaming"),
  monitoring: dnsName("namespaces.monitoring").default("monitoring"),
  ingress: dnsName("namespaces.ingress").default("ingress-nginx"),
  model_registry: dnsName("namespaces.model_registry").default("mlflow"),
  feature_store: dnsName("namespaces.feature_store").default("feast"),
});

const modelServerSchema = strictObject("model_server.", {
  name: dnsName("model_server.name", 50).default("model-server"),
  // NGC's 25.04 release (Triton release notes rel-25-04); the 25.xx releases need compute capability 7.5 or later,
  // which every GPU type the price list offers (T4 onwards) has.
  image: image("model_server.image").default("nvcr.io/nvidia/tritonserver:25.04-py3"),
  // Which server the image runs; without a value, vLLM when the image names it, else Triton. Command, ports,
  // probes and metrics follow it.
  server: z
    .enum(modelServerKinds, { message: `model_server.server must be one of ${modelServerKinds.join(", ")}` })
    .optional(),
  // The name clients (and the queue workers) address the model by: vLLM's --served-model-name, Triton's model directory.
  model_name: dnsName("model_server.model_name", 63).default("model"),
  // Without a value: 8080 for Triton (metrics on 8002), 8000 for vLLM (which serves /metrics on the same port).
  port: count("model_server.port", 1, 65535).optional(),
  metrics_port: count("model_server.metrics_port", 1, 65535).optional(),
  gpus_per_replica: count("model_server.gpus_per_replica", 1, 8).default(1),
  cpu: z
    .string()
    .regex(quantity, { message: 'model_server.cpu must be a CPU quantity like "4" or "3500m"' })
    .default("3"),
  memory: z
    .string()
    .regex(quantity, { message: 'model_server.memory must be a memory quantity like "12Gi"' })
    .default("12Gi"),
});

// Batch and streaming pods run the model server as a sidecar and a consumer that feeds it from the queue or topic.
// The consumer's default is a shell loop in an image that has the client it needs (redis-cli, kcat) and wget;
// set image and command to run your own consumer instead (both together: a command only exists in its image).
const workersSchema = strictObject("workers.", {
  image: image("workers.image").optional(),
  command: z
    .array(z.string().min(1, { message: "workers.command entries may not be empty" }))
    .min(1, { message: 'workers.command needs at least the program to run, e.g. ["/app/consumer"]' })
    .max(20)
    .optional(),
});

const autoscalingSchema = strictObject("autoscaling.", {
  // Without a value: the Prometheus Operator's prometheus-operated Service in namespaces.monitoring, the Prometheus
  // that selects the plan's PodMonitors. Set it only when that Prometheus is reached at another address.
  prometheus_address: z
    .string()
    .url({
      message: "autoscaling.prometheus_address must be a URL like http://prometheus-operated.monitoring.svc:9090",
    })
    .optional(),
  // The Redis list the batch workers pop and KEDA's redis scaler measures (without a value: <cluster_name>-batch).
  redis_address: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:\d{1,5}$/, {
      message: "autoscaling.redis_address must be host:port, e.g. redis-master.redis.svc:6379",
    })
    .default("redis-master.redis.svc:6379"),
  batch_queue: z
    .string()
    .regex(/^[a-zA-Z0-9._:-]{1,200}$/, {
      message: "autoscaling.batch_queue may contain only letters, digits, '.', '_', ':' and '-'",
    })
    .optional(),
  queue_depth_threshold: count("autoscaling.queue_depth_threshold", 1, 1_000_000).default(100),
  latency_p99_ms_threshold: count("autoscaling.latency_p99_ms_threshold", 1, 600_000).default(200),
  // Leading-indicator triggers (lib/scaling/metric-definitions.ts), each added to the ScaledObject only when set:
  // requests running + waiting per replica, requests completed per second per replica, and the KV-cache use in
  // percent averaged over the ready pods. The first and last read series only vLLM exports.
  concurrency_per_replica_threshold: threshold("autoscaling.concurrency_per_replica_threshold", 100_000).optional(),
  arrival_rate_per_replica_threshold: threshold("autoscaling.arrival_rate_per_replica_threshold", 100_000).optional(),
  kv_cache_usage_percent_threshold: threshold("autoscaling.kv_cache_usage_percent_threshold", 100).optional(),
  polling_interval_seconds: count("autoscaling.polling_interval_seconds", 5, 3600).default(15),
  cooldown_seconds: count("autoscaling.cooldown_seconds", 0, 86_400).default(60),
  kafka_bootstrap_servers: z.string().min(1).default("kafka-bootstrap.kafka.svc:9092"),
  kafka_topic: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,249}$/, {
      message: "autoscaling.kafka_topic may contain only letters, digits, '.', '_' and '-'",
    })
    .default("inference-requests"),
  kafka_consumer_group: z.string().min(1).default("ml-stream-consumers"),
  kafka_lag_threshold: count("autoscaling.kafka_lag_threshold", 1, 10_000_000).default(1000),
  // Optional and without a default: a plan that does not set it deploys referenceInferenceBehavior, as before.
  behavior: hpaBehaviorSchema.optional(),
});

const trainingSchema = strictObject("training.", {
  job_name: dnsName("training.job_name", 50).default("distributed-training"),
  // The same NGC release as the model server's default image.
  image: image("training.image").default("nvcr.io/nvidia/pytorch:25.04-py3"),
  // The program torchrun starts on every rank. NVIDIA's image ships no training code, so the default reads it
  // from the data volume (mounted at /data), which the plan's loader Job fills from the object store prefix
  // training/<job_name>/ (code/train.py there is /data/code/train.py); an image that bakes the code in names its path.
  script: z
    .string()
    .regex(/^\/[\w./-]+\.py$/, {
      message: "training.script must be an absolute path to a .py file, e.g. /data/code/train.py",
    })
    .default("/data/code/train.py"),
  // Without a value: 4, or as many as the training pool holds at its maximum size when that is less.
  nodes: count("training.nodes", 1, 512).optional(),
  gpus_per_node: count("training.gpus_per_node", 1, 16).default(8),
  master_port: count("training.master_port", 1024, 65535).default(29500),
  data_volume_size: z
    .string()
    .regex(quantity, { message: 'training.data_volume_size must be a quantity like "1Ti"' })
    .default("1Ti"),
  checkpoint_volume_size: z
    .string()
    .regex(quantity, { message: 'training.checkpoint_volume_size must be a quantity like "500Gi"' })
    .default("500Gi"),
  shm_size: z.string().regex(quantity, { message: 'training.shm_size must be a quantity like "64Gi"' }).default("64Gi"),
  backoff_limit: count("training.backoff_limit", 0, 100).default(3),
  // The interconnect switch: multi-node ranks on p4d/p5 talk NCCL over EFA, on Azure ND-series over InfiniBand (the
  // Network Operator's RDMA device); false runs them over TCP (several times slower collectives), for clusters that
  // cannot run the EFA device plugin or the Network Operator. The viability report flags it.
  efa: z.boolean({ message: "training.efa must be true or false" }).default(true),
});

const recoveryTargetSchema = (rto: number, rpo: number, name: string) =>
  strictObject(`${name}.`, {
    rto_minutes: count(`${name}.rto_minutes`, 1, 100_000).default(rto),
    rpo_minutes: count(`${name}.rpo_minutes`, 0, 100_000).default(rpo),
  });

const disasterRecoverySchema = strictObject("disaster_recovery.", {
  backup_schedule: z
    .string()
    .superRefine((v, ctx) => {
      const problem = cronProblem(v);
      if (problem)
        ctx.addIssue({
          code: "custom",
          message: `disaster_recovery.backup_schedule "${v}" ${problem}: use a 5-field cron expression, e.g. "0 */6 * * *"`,
        });
    })
    .default("0 */6 * * *"),
  backup_retention_days: count("disaster_recovery.backup_retention_days", 1, 3650).default(30),
  model_retention_days: count("disaster_recovery.model_retention_days", 1, 3650).default(90),
  data_retention_days: count("disaster_recovery.data_retention_days", 1, 3650).default(365),
  backup_bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
      message: "disaster_recovery.backup_bucket must be 3-63 lowercase letters, digits, '.' or '-'",
    })
    .optional(),
  // On premises: the S3-compatible store (MinIO, Ceph RGW) Velero writes to and the workloads read models from,
  // and the PEM of the CA that signed its certificate when a private CA did (base64, as Velero's caCert takes it).
  // It must live outside the cluster it backs up; the default is a placeholder the viability report flags.
  object_store_url: z
    .string()
    .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?\/?$/, {
      message: `disaster_recovery.object_store_url must be an http(s) URL of host and optional port, e.g. "${placeholderObjectStoreUrl}"`,
    })
    .default(placeholderObjectStoreUrl),
  // On premises: the NFS export (server:/path) the nfs-client StorageClass provisions from. The data outlives the
  // cluster there; a rebuilt cluster's NFS provisioner must serve the claims from the same export.
  nfs_export: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\/\S*$/, {
      message: `disaster_recovery.nfs_export must be server:/path, e.g. "${placeholderNfsExport}"`,
    })
    .default(placeholderNfsExport),
  object_store_ca_cert: z
    .string()
    .regex(/^[A-Za-z0-9+/]+=*$/, {
      message: "disaster_recovery.object_store_ca_cert must be the base64 of the CA's PEM (base64 -w0 ca.crt)",
    })
    .optional(),
  cluster_failure: recoveryTargetSchema(60, 360, "disaster_recovery.cluster_failure").default({
    rto_minutes: 60,
    rpo_minutes: 360,
  }),
  model_corruption: recoveryTargetSchema(15, 60, "disaster_recovery.model_corruption").default({
    rto_minutes: 15,
    rpo_minutes: 60,
  }),
  data_pipeline_failure: recoveryTargetSchema(30, 1440, "disaster_recovery.data_pipeline_failure").default({
    rto_minutes: 30,
    rpo_minutes: 1440,
  }),
});

// Placeholders are clearly fake identifiers: a plan is a proposal, the requester fills in the real account.
const identitySchema = strictObject("identity.", {
  aws_account_id: z
    .string()
    .regex(/^[0-9]{12}$/, { message: "identity.aws_account_id must be 12 digits" })
    .default("123456789012"),
  gcp_project_id: z
    .string()
    .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, {
      message: "identity.gcp_project_id must be 6-30 lowercase letters, digits or '-'",
    })
    .default("ml-platform-project"),
  azure_client_id: z
    .string()
    .uuid({ message: "identity.azure_client_id must be a UUID" })
    .default("00000000-0000-0000-0000-000000000000"),
  // One managed identity per role (terraform-identities.ts creates each): the External Secrets operator reads
  // every secret of the vault and Velero writes the backups, neither of which a model server may do.
  azure_external_secrets_client_id: z
    .string()
    .uuid({ message: "identity.azure_external_secrets_client_id must be a UUID" })
    .default("00000000-0000-4000-8000-000000000001"),
  azure_velero_client_id: z
    .string()
    .uuid({ message: "identity.azure_velero_client_id must be a UUID" })
    .default("00000000-0000-4000-8000-000000000002"),
  azure_tenant_id: z
    .string()
    .uuid({ message: "identity.azure_tenant_id must be a UUID" })
    .default("00000000-0000-0000-0000-000000000000"),
  azure_key_vault_url: z.string().url().default("https://ml-platform-kv.vault.azure.net"),
  vault_address: z.string().url().default("https://vault.vault.svc:8200"),
});

const costSchema = strictObject("cost.", {
  expected_load_fraction: z
    .number()
    .min(0)
    .max(1, { message: "cost.expected_load_fraction is a fraction between 0 and 1" })
    .default(0.3),
  business_hours_per_week: count("cost.business_hours_per_week", 0, 168).default(60),
});

const baseSchema = strictObject("", {
  infrastructure_task: z.enum(infrastructureTasks, {
    message: `infrastructure_task must be one of ${infrastructureTasks.join(", ")}`,
  }),
  cloud_provider: z
    .enum(cloudProviders, { message: `cloud_provider must be one of ${cloudProviders.join(", ")}` })
    .default("aws"),
  workload_type: z
    .enum(workloadTypes, { message: `workload_type must be one of ${workloadTypes.join(", ")}` })
    .default("inference"),
  scale_requirements: scaleRequirementsSchema.default({ min_replicas: 1, target_gpu_utilization: 0.8 }),
  cluster_name: dnsName("cluster_name", 40).default("ml-production"),
  region: z
    .string()
    .regex(/^[a-z0-9-]{2,32}$/, { message: "region must be a cloud region such as us-west-2, us-central1 or eastus" })
    .optional(),
  kubernetes_version: z
    .string()
    .regex(/^1\.\d{2}$/, { message: 'kubernetes_version must look like "1.31"' })
    .refine((v) => Number(v.split(".")[1]) >= 29, {
      message: "kubernetes_version must be 1.29 or later: older versions are out of support",
    })
    // 1.35 is in standard support on EKS (released 2026-01-28, standard support to 2027-03-27:
    // https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, https://endoflife.date/amazon-eks),
    // GKE and AKS through 2026; 1.31 left EKS standard support on 2025-11-26.
    .default("1.35"),
  // Where kubectl, helm and the runbooks reach the managed cluster's API from (your office or VPN egress, /32 for
  // one address). Empty: the API stays private (AKS: az aks command invoke; EKS: from inside the VPC only).
  api_authorized_cidrs: z
    .array(
      z.string().superRefine((v, ctx) => {
        const problem = cidrProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: `api_authorized_cidrs entry "${v}" ${problem}` });
      }),
    )
    // AKS takes 200 authorized ranges, one of which the plan gives the NAT gateway; EKS takes 40 (checkCrossFields).
    .max(199, { message: "api_authorized_cidrs takes at most 199 ranges (AKS allows 200; one is the NAT gateway's)" })
    .default([]),
  node_pools: z
    .array(nodePoolSchema)
    .min(1, { message: "node_pools needs at least one pool: omit it to use the defaults" })
    .max(20)
    .optional(),
  namespaces: namespacesSchema.default(() => namespacesSchema.parse({})),
  model_server: modelServerSchema.default(() => modelServerSchema.parse({})),
  workers: workersSchema.default(() => workersSchema.parse({})),
  autoscaling: autoscalingSchema.default(() => autoscalingSchema.parse({})),
  training: trainingSchema.default(() => trainingSchema.parse({})),
  disaster_recovery: disasterRecoverySchema.default(() => disasterRecoverySchema.parse({})),
  identity: identitySchema.default(() => identitySchema.parse({})),
  cost: costSchema.default(() => costSchema.parse({})),
});

type Base = z.output<typeof baseSchema>;

/**
 * The one Prometheus the plan's autoscalers query: the Service the Prometheus Operator creates for every
 * Prometheus it runs (prometheus-operated), in the monitoring namespace, whose Prometheus selects the PodMonitors.
 */
export function defaultPrometheusAddress(monitoringNamespace: string): string {
  return `http://prometheus-operated.${monitoringNamespace}.svc:9090`;
}

/** The model server with its server kind and ports filled in. */
function resolveModelServer(ms: Base["model_server"]) {
  const server = ms.server ?? modelServerKindOfImage(ms.image);
  const port = ms.port ?? (server === "vllm" ? 8000 : 8080);
  return { ...ms, server, port, metrics_port: server === "vllm" ? port : (ms.metrics_port ?? 8002) };
}

function checkCrossFields(v: Base, ctx: z.RefinementCtx): void {
  const s = v.scale_requirements;
  if (s.max_replicas !== undefined && s.min_replicas > s.max_replicas) {
    ctx.addIssue({
      code: "custom",
      path: ["scale_requirements", "max_replicas"],
      message: `max_replicas (${s.max_replicas}) is below min_replicas (${s.min_replicas}): raise max_replicas or lower min_replicas`,
    });
  }
  // KEDA wakes a deployment from zero only on a metric that exists while no pod runs; every inference trigger
  // the plan generates reads the model server's own pods (and an empty result is an error, which the fallback
  // answers with a replica), so at 0 the deployment would either never sleep or never wake.
  if (v.infrastructure_task === "auto_scaling" && v.workload_type === "inference" && s.min_replicas === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["scale_requirements", "min_replicas"],
      message:
        "min_replicas 0 needs an activation signal from outside the model server's pods (a gateway's request rate or queue), which the plan does not have: use 1 or more",
    });
  }
  const seen = new Set<string>();
  (v.node_pools ?? []).forEach((pool, i) => {
    if (pool.min_nodes > pool.max_nodes) {
      ctx.addIssue({
        code: "custom",
        path: ["node_pools", i, "max_nodes"],
        message: `max_nodes (${pool.max_nodes}) is below min_nodes (${pool.min_nodes}) in node pool "${pool.name}": raise max_nodes or lower min_nodes`,
      });
    }
    if (seen.has(pool.name))
      ctx.addIssue({
        code: "custom",
        path: ["node_pools", i, "name"],
        message: `node pool name "${pool.name}" is used twice: give each pool a unique name`,
      });
    seen.add(pool.name);
    for (const [j, type] of [pool.instance_type, ...pool.fallback_instance_types].entries()) {
      if (!lookupPrice(v.cloud_provider, type)) {
        const path = j === 0 ? ["node_pools", i, "instance_type"] : ["node_pools", i, "fallback_instance_types", j - 1];
        ctx.addIssue({
          code: "custom",
          path,
          message: `instance type "${type}" is not in the ${v.cloud_provider} price table: use one of ${listInstanceTypes(v.cloud_provider).join(", ")}`,
        });
      }
    }
    for (const key of Object.keys(pool.labels)) {
      const domain = key.includes("/") ? key.split("/")[0] : "";
      if (reservedLabelDomains.some((d) => domain === d || domain!.endsWith(`.${d}`))) {
        ctx.addIssue({
          code: "custom",
          path: ["node_pools", i, "labels", key],
          message: `label "${key}" uses a reserved domain (${domain}) that kubelets and Karpenter refuse to set: use your own prefix, e.g. ml-platform/${key.split("/")[1]}`,
        });
      }
    }
    if (pool.capacity_type === "spot" && v.cloud_provider === "on_premise") {
      ctx.addIssue({
        code: "custom",
        path: ["node_pools", i, "capacity_type"],
        message: "capacity_type spot does not exist on premises: use on_demand",
      });
    }
  });
  const ns = Object.entries(v.namespaces);
  for (const [role, name] of ns) {
    if (isSystemNamespace(name))
      ctx.addIssue({ code: "custom", path: ["namespaces", role], message: systemNamespaceMessage(role, name) });
  }
  const dup = ns.find(([k, name], i) => ns.findIndex(([, other]) => other === name) !== i && k);
  if (dup)
    ctx.addIssue({
      code: "custom",
      path: ["namespaces", dup[0]],
      message: `namespace "${dup[1]}" is used for two roles: give each role its own namespace`,
    });
  const server = v.model_server.server ?? modelServerKindOfImage(v.model_server.image);
  if (v.model_server.server === "triton" && modelServerKindOfImage(v.model_server.image) === "vllm") {
    ctx.addIssue({
      code: "custom",
      path: ["model_server", "server"],
      message: `model_server.server is triton, but ${v.model_server.image} is a vLLM image, which has no tritonserver: set server to vllm or omit it`,
    });
  }
  for (const [field, trigger] of [
    ["concurrency_per_replica_threshold", "concurrency_per_replica"],
    ["kv_cache_usage_percent_threshold", "kv_cache_usage_percent"],
  ] as const) {
    if (v.autoscaling[field] !== undefined && !triggerAvailable(trigger, server))
      ctx.addIssue({
        code: "custom",
        path: ["autoscaling", field],
        message: `autoscaling.${field} reads a series only vLLM exports, and this plan runs ${server}: remove it or serve the model with vLLM`,
      });
  }
  const port = v.model_server.port ?? (server === "vllm" ? 8000 : 8080);
  if (server === "triton" && port === (v.model_server.metrics_port ?? 8002)) {
    ctx.addIssue({
      code: "custom",
      path: ["model_server", "metrics_port"],
      message: `metrics_port (${port}) equals port: Triton serves metrics on a port of its own, use a different one`,
    });
  }
  if (server === "vllm" && v.model_server.metrics_port !== undefined && v.model_server.metrics_port !== port) {
    ctx.addIssue({
      code: "custom",
      path: ["model_server", "metrics_port"],
      message: `vLLM serves /metrics on its API port (${port}), not on ${v.model_server.metrics_port}: omit model_server.metrics_port or set it to ${port}`,
    });
  }
  if ((v.workers.image === undefined) !== (v.workers.command === undefined)) {
    const missing = v.workers.image === undefined ? "image" : "command";
    ctx.addIssue({
      code: "custom",
      path: ["workers", missing],
      message: `workers.${missing} is missing: a command exists only in the image that ships it, so set workers.image and workers.command together (or neither, for the default consumer)`,
    });
  }
  // The model server admits scrapes only from namespaces.monitoring, so the Prometheus the triggers ask must be the
  // one running there: any other has no series, and the scaler would never move.
  const prometheus = v.autoscaling.prometheus_address;
  if (prometheus !== undefined) {
    const host = /^https?:\/\/([^/:?#]+)/.exec(prometheus)?.[1];
    const parts = host?.split(".") ?? [];
    if (!host || parts.length < 3 || parts[1] !== v.namespaces.monitoring || parts[2] !== "svc") {
      ctx.addIssue({
        code: "custom",
        path: ["autoscaling", "prometheus_address"],
        message: `autoscaling.prometheus_address (${prometheus}) must be an http(s) URL of a Service in namespaces.monitoring (${v.namespaces.monitoring}), the only namespace the plan lets scrape the model server: e.g. ${defaultPrometheusAddress(v.namespaces.monitoring)}, or omit it`,
      });
    }
  }
  // Only AKS and EKS plans open their API to authorized ranges; GKE's is reached through its IAM-gated DNS endpoint.
  if (v.api_authorized_cidrs.length > 0 && (v.cloud_provider === "gcp" || v.cloud_provider === "on_premise")) {
    ctx.addIssue({
      code: "custom",
      path: ["api_authorized_cidrs"],
      message:
        v.cloud_provider === "gcp"
          ? "api_authorized_cidrs applies to AKS and EKS only: a GKE plan's API is reached through its DNS endpoint, which IAM gates (gcloud container clusters get-credentials --dns-endpoint); remove it"
          : "api_authorized_cidrs applies to AKS and EKS only: on premises the API server is reached wherever your network routes it; remove it",
    });
  }
  if (v.cloud_provider === "aws" && v.api_authorized_cidrs.length > 40) {
    ctx.addIssue({
      code: "custom",
      path: ["api_authorized_cidrs"],
      message: `api_authorized_cidrs has ${v.api_authorized_cidrs.length} ranges; EKS takes at most 40 public access CIDRs: merge them into wider ranges`,
    });
  }
  const versionProblem = /^1\.\d{2}$/.test(v.kubernetes_version)
    ? kubernetesVersionProblem(v.cloud_provider, v.kubernetes_version)
    : undefined;
  if (versionProblem) ctx.addIssue({ code: "custom", path: ["kubernetes_version"], message: versionProblem });
}

/** GPUs the workload asks per pod must fit on one node of the pool it is scheduled on. */
function checkGpuFit(v: PlanInputShape, ctx: z.RefinementCtx): void {
  const pool = pickWorkloadPool(v);
  const perNode = lookupPrice(v.cloud_provider, pool.instance_type)?.gpuCount ?? 0;
  const wanted = v.workload_type === "training" ? v.training.gpus_per_node : v.model_server.gpus_per_replica;
  const field = v.workload_type === "training" ? ["training", "gpus_per_node"] : ["model_server", "gpus_per_replica"];
  if (perNode > 0 && wanted > perNode) {
    ctx.addIssue({
      code: "custom",
      path: field,
      message: `${field.join(".")} (${wanted}) exceeds the ${perNode} GPU(s) of ${pool.instance_type} in node pool "${pool.name}": lower it or use a larger instance type`,
    });
  }
  if (perNode === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["node_pools"],
      message: `no node pool has GPUs for the ${v.workload_type} workload: add a pool with a GPU instance type`,
    });
    return;
  }
  // The most the workload can ever ask for must fit the pool at its maximum size, or the excess stays Pending
  // (and an Indexed training Job, which needs every rank at once, never starts).
  const podsPerNode = Math.floor(perNode / wanted);
  if (podsPerNode === 0) return;
  if (v.workload_type === "training") {
    const nodesNeeded = Math.ceil(v.training.nodes / podsPerNode);
    if (nodesNeeded > pool.max_nodes) {
      ctx.addIssue({
        code: "custom",
        path: ["training", "nodes"],
        message: `training.nodes (${v.training.nodes}) needs ${nodesNeeded} ${pool.instance_type} nodes, but node pool "${pool.name}" has max_nodes ${pool.max_nodes}: lower training.nodes or raise that pool's max_nodes`,
      });
    }
  } else {
    const capacity = podsPerNode * pool.max_nodes;
    // A defaulted max_replicas is raised to min_replicas, so when min_replicas alone is over the pool, that is the
    // field the user set and the one the message must name.
    if (v.scale_requirements.min_replicas > capacity) {
      ctx.addIssue({
        code: "custom",
        path: ["scale_requirements", "min_replicas"],
        message: `min_replicas (${v.scale_requirements.min_replicas}) × ${wanted} GPU(s) does not fit node pool "${pool.name}" (${pool.max_nodes} × ${pool.instance_type}, ${capacity} replicas at most): lower min_replicas to ${capacity} or raise that pool's max_nodes`,
      });
    } else if (v.scale_requirements.max_replicas > capacity) {
      ctx.addIssue({
        code: "custom",
        path: ["scale_requirements", "max_replicas"],
        message: `max_replicas (${v.scale_requirements.max_replicas}) × ${wanted} GPU(s) does not fit node pool "${pool.name}" (${pool.max_nodes} × ${pool.instance_type}, ${capacity} replicas at most): lower max_replicas to ${capacity} or raise that pool's max_nodes`,
      });
    }
  }
}

const withPools = baseSchema.superRefine(checkCrossFields).transform((v) => ({
  ...v,
  model_server: resolveModelServer(v.model_server),
  autoscaling: {
    ...v.autoscaling,
    prometheus_address: v.autoscaling.prometheus_address ?? defaultPrometheusAddress(v.namespaces.monitoring),
    batch_queue: v.autoscaling.batch_queue ?? `${v.cluster_name}-batch`,
  },
  region: v.region ?? defaultRegions[v.cloud_provider],
  node_pools: v.node_pools ?? defaultNodePools(v.cloud_provider).map((p) => nodePoolSchema.parse(p)),
}));

/**
 * Bucket names are global per cloud, so a fixed default ("ml-platform-backups") belongs to whoever created it
 * first: derive one from what identifies this cluster (cloud, account or project, region, name) instead.
 */
export function uniqueBucketName(
  v: Pick<z.output<typeof withPools>, "cloud_provider" | "cluster_name" | "region" | "identity">,
  purpose: "backups" | "models",
): string {
  const owner =
    v.cloud_provider === "aws"
      ? v.identity.aws_account_id
      : v.cloud_provider === "gcp"
        ? v.identity.gcp_project_id
        : v.identity.azure_tenant_id;
  return `${v.cluster_name}-${purpose}-${fnv1a(`${v.cloud_provider}/${owner}/${v.region}/${v.cluster_name}`)}`;
}

/**
 * The Azure storage account holding the bucket's container: 3-24 lowercase letters and digits, globally unique,
 * so a long name keeps its tail (the derived names' hash) rather than only its head.
 */
export function azureStorageAccount(bucket: string): string {
  const alnum = bucket.replace(/[^a-z0-9]/g, "");
  return alnum.length <= 24 ? alnum : `${alnum.slice(0, 16)}${alnum.slice(-8)}`;
}

/** 8 hex digits of FNV-1a: stable across runtimes (the form runs this schema in the browser too). */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/** Replicas of the workload that the pool it runs on holds at its maximum size (undefined without GPUs). */
function poolReplicaCapacity(v: z.output<typeof withPools>): number | undefined {
  const pool = pickWorkloadPool(v);
  const perNode = lookupPrice(v.cloud_provider, pool.instance_type)?.gpuCount ?? 0;
  const podsPerNode = Math.floor(perNode / v.model_server.gpus_per_replica);
  return podsPerNode > 0 ? podsPerNode * pool.max_nodes : undefined;
}

/** Training ranks (one per node) the training pool holds at its maximum size. */
function poolRankCapacity(v: z.output<typeof withPools>): number {
  const pool = pickWorkloadPool(v, "training");
  const perNode = lookupPrice(v.cloud_provider, pool.instance_type)?.gpuCount ?? 0;
  const ranksPerNode = Math.floor(perNode / v.training.gpus_per_node);
  return ranksPerNode > 0 ? ranksPerNode * pool.max_nodes : 4;
}

const withDefaults = withPools.transform((v) => ({
  ...v,
  disaster_recovery: {
    ...v.disaster_recovery,
    backup_bucket: v.disaster_recovery.backup_bucket ?? uniqueBucketName(v, "backups"),
  },
  training: { ...v.training, nodes: v.training.nodes ?? Math.max(1, Math.min(4, poolRankCapacity(v))) },
  scale_requirements: {
    ...v.scale_requirements,
    max_replicas:
      v.scale_requirements.max_replicas ??
      Math.max(v.scale_requirements.min_replicas, 1, Math.min(100, poolReplicaCapacity(v) ?? 100)),
  },
}));
type PlanInputShape = z.output<typeof withDefaults>;

export const planInputSchema = withDefaults.superRefine(checkGpuFit);

export type PlanInput = z.output<typeof planInputSchema>;
export type PlanInputDraft = z.input<typeof planInputSchema>;
export type NodePool = PlanInput["node_pools"][number];
export type InfrastructureTask = (typeof infrastructureTasks)[number];
export type WorkloadType = (typeof workloadTypes)[number];

/** Flattens zod issues into "field path: message" pairs for forms, API 422 bodies and CLI stderr. */
export function formatPlanInputErrors(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path:
      issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`)).join("") ||
      "(root)",
    message: issue.message,
  }));
}
