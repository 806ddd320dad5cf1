// One table row per rule: a set of objects (and facts) that breaks it, and the same set made right.
import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import type { ApiAccess } from "../api-access";
import { blockingFindings } from "./blocking-findings";
import { checkViability } from "./check-viability";
import { seriesOf } from "./check-metrics";
import { noFacts, type PoolFact, type ViabilityFacts } from "./facts";

const ns = "ml";
const gpu = (n: number) => ({ requests: { "nvidia.com/gpu": String(n) }, limits: { "nvidia.com/gpu": String(n) } });

function deployment(pod: Record<string, unknown>, replicas = 1, name = "server"): KubernetesObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: pod },
    },
  };
}
function job(
  pod: Record<string, unknown>,
  spec: Record<string, unknown> = {},
  annotations: Record<string, string> = {},
): KubernetesObject {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "train", namespace: ns },
    spec: {
      completionMode: "Indexed",
      completions: 4,
      parallelism: 4,
      ...spec,
      template: { metadata: { labels: { app: "train" }, annotations }, spec: { restartPolicy: "Never", ...pod } },
    },
  };
}
const serving = { name: "server", image: "nvcr.io/nvidia/tritonserver:24.08-py3", command: ["tritonserver"] };
const spotPool: PoolFact = {
  name: "gpu-spot",
  source: "node_pools[0] gpu-spot",
  labels: { pool: "gpu" },
  taints: [
    { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" },
    { key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" },
  ],
  maxNodes: 20,
  gpusPerNode: 8,
};
const poolFacts = (pools: PoolFact[], extra: Partial<ViabilityFacts> = {}): ViabilityFacts => ({
  ...noFacts,
  pools,
  poolsComplete: true,
  ...extra,
});
const gpuToleration = { key: "nvidia.com/gpu", operator: "Equal", value: "present", effect: "NoSchedule" };
const spotToleration = {
  key: "kubernetes.azure.com/scalesetpriority",
  operator: "Equal",
  value: "spot",
  effect: "NoSchedule",
};
const gkeSpotTaint = { key: "cloud.google.com/gke-spot", value: "true", effect: "NoSchedule" };
const gkeSpotToleration = { ...gkeSpotTaint, operator: "Equal" };
/** A GKE Standard spot pool: GKE labels its nodes gke-spot=true; the taint is there only when the pool sets it. */
const gkeSpotPool = (tainted: boolean): PoolFact => ({
  name: "batch-spot",
  source: 'node_pools[0] "batch-spot"',
  labels: { "cloud.google.com/gke-spot": "true" },
  taints: tainted ? [gkeSpotTaint] : [],
  maxNodes: 10,
  gpusPerNode: 0,
  spot: true,
});
const gkeSpotPod = (tolerations: Record<string, unknown>[]) =>
  deployment({ nodeSelector: { "cloud.google.com/gke-spot": "true" }, tolerations, containers: [serving] });
const pvc = (storageClassName: string, name = "data"): KubernetesObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: ns },
  spec: { accessModes: ["ReadWriteMany"], storageClassName, resources: { requests: { storage: "1Ti" } } },
});
const mountsClaim = (claimName: string) =>
  deployment(
    {
      containers: [{ name: "reader", image: "python:3.12-slim", command: ["sleep", "infinity"] }],
      volumes: [{ name: "v0", persistentVolumeClaim: { claimName, readOnly: true } }],
    },
    1,
    "backup-volume-reader",
  );
const schedule = (template: Record<string, unknown>): KubernetesObject => ({
  apiVersion: "velero.io/v1",
  kind: "Schedule",
  metadata: { name: "nightly", namespace: "velero" },
  spec: { schedule: "0 2 * * *", template: { includedNamespaces: [ns], ...template } },
});
const karpenterPool = (expireAfter: string, consolidationPolicy: string): KubernetesObject => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "gpu-training" },
  spec: {
    template: { metadata: { labels: { pool: "training" } }, spec: { expireAfter, taints: [] } },
    disruption: { consolidationPolicy, consolidateAfter: "10m" },
    limits: { "nvidia.com/gpu": "160" },
  },
});
const denyAll: KubernetesObject = {
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "default-deny-all", namespace: ns },
  spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
};
const allowHttps: KubernetesObject = {
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "allow-cloud", namespace: ns },
  spec: {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] },
    ],
  },
};
const allowMetadata: KubernetesObject = {
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "allow-metadata", namespace: ns },
  spec: {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [
      { to: [{ ipBlock: { cidr: "169.254.169.254/32" } }], ports: [{ protocol: "TCP", port: 80 }] },
      { to: [{ ipBlock: { cidr: "169.254.169.252/32" } }], ports: [{ protocol: "TCP", port: 988 }] },
    ],
  },
};
// The old rule: port 988 on 169.254.169.254, where Dataplane V2's metadata server does not answer.
const allowMetadataWrongAddress: KubernetesObject = {
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "allow-metadata", namespace: ns },
  spec: {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [
      {
        to: [{ ipBlock: { cidr: "169.254.169.254/32" } }],
        ports: [
          { protocol: "TCP", port: 80 },
          { protocol: "TCP", port: 988 },
        ],
      },
    ],
  },
};
const account = (annotations: Record<string, string>): KubernetesObject => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name: "server-sa", namespace: ns, annotations },
});

const efaPlugin: KubernetesObject = {
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: { name: "efa", namespace: "kube-system" },
  spec: {
    selector: { matchLabels: { app: "efa" } },
    template: {
      metadata: { labels: { app: "efa" } },
      spec: {
        containers: [
          { name: "efa", image: "602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/aws-efa-k8s-device-plugin:v0.5.8" },
        ],
      },
    },
  },
};
const tritonServer = deployment({
  containers: [
    {
      ...serving,
      ports: [
        { name: "http", containerPort: 8080 },
        { name: "metrics", containerPort: 8002 },
      ],
    },
  ],
});
const podMonitor = (port: string): KubernetesObject => ({
  apiVersion: "monitoring.coreos.com/v1",
  kind: "PodMonitor",
  metadata: { name: "server", namespace: ns },
  spec: { selector: { matchLabels: { app: "server" } }, podMetricsEndpoints: [{ port, path: "/metrics" }] },
});
const scaledObject = (
  series: string,
  serverAddress = "http://prometheus-operated.monitoring.svc:9090",
  { minReplicaCount = 1, labels = 'namespace="ml", pod=~"server-.*"' } = {},
): KubernetesObject => ({
  apiVersion: "keda.sh/v1alpha1",
  kind: "ScaledObject",
  metadata: { name: "server-scaler", namespace: ns },
  spec: {
    scaleTargetRef: { name: "server" },
    minReplicaCount,
    triggers: [
      {
        type: "prometheus",
        name: "t",
        metadata: {
          serverAddress,
          query: `sum(rate(${series}{${labels}}[1m]))`,
          threshold: "5",
        },
      },
    ],
  },
});
const allowScrape: KubernetesObject = {
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "allow-ingress-monitoring", namespace: ns },
  spec: {
    podSelector: {},
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
        ports: [{ protocol: "TCP", port: 8002 }],
      },
    ],
  },
};

const efaNodeClass = (placement: boolean): KubernetesObject => ({
  apiVersion: "karpenter.k8s.aws/v1",
  kind: "EC2NodeClass",
  metadata: { name: "training-efa" },
  spec: { role: "r", ...(placement ? { placementGroupSelector: { name: "c-training" } } : {}) },
});
const efaKarpenterPool: KubernetesObject = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "gpu-training" },
  spec: {
    template: {
      metadata: { labels: { pool: "training" } },
      spec: {
        expireAfter: "Never",
        taints: [],
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "training-efa" },
      },
    },
    disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: "10m" },
  },
};
/** The same pool limited to instance types without EFA: a rank asking for EFA devices never lands there. */
const nonEfaKarpenterPool: KubernetesObject = {
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "gpu-training" },
  spec: {
    template: {
      metadata: { labels: { pool: "training" } },
      spec: {
        expireAfter: "Never",
        taints: [],
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "training-efa" },
        requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["g6.xlarge"] }],
      },
    },
    disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: "10m" },
  },
};
const efaJob = job({
  nodeSelector: { pool: "training" },
  containers: [{ ...serving, resources: { limits: { "nvidia.com/gpu": "8", "vpc.amazonaws.com/efa": "4" } } }],
});
const trainer = (checkpoints: boolean) => ({
  name: "trainer",
  image: "nvcr.io/nvidia/pytorch:24.08-py3",
  command: ["torchrun"],
  resources: gpu(8),
  ...(checkpoints ? { volumeMounts: [{ name: "checkpoints", mountPath: "/checkpoints" }] } : {}),
});
const checkpointVolume = { namespace: ns, claim: "train-checkpoints", storageClass: "efs-sc", jobOnly: true };

const redisScaledJob: KubernetesObject = {
  apiVersion: "keda.sh/v1alpha1",
  kind: "ScaledJob",
  metadata: { name: "batch", namespace: ns },
  spec: {
    jobTargetRef: { template: { spec: { restartPolicy: "Never", containers: [serving] } } },
    triggers: [
      { type: "redis", metadata: { address: "redis-master.redis.svc:6379", listName: "q", listLength: "10" } },
    ],
  },
};

const namespace = (name: string): KubernetesObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });

// Redis's own Service and an ingress policy admitting the given namespaces (the Bitnami values admitted ml-batch only).
const redisService: KubernetesObject = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "redis-master", namespace: "redis" },
  spec: { selector: { app: "redis" }, ports: [{ port: 6379, targetPort: "redis" }] },
};
const redisIngress = (namespaces: string[], port = 6379): KubernetesObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "allow-redis-clients", namespace: "redis" },
  spec: {
    podSelector: { matchLabels: { app: "redis" } },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: namespaces.map((n) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } } })),
        ports: [{ protocol: "TCP", port }],
      },
    ],
  },
});
const redisStatefulSet = (storageClassName: string): KubernetesObject => ({
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  metadata: { name: "redis-master", namespace: "redis" },
  spec: {
    serviceName: "redis-master",
    selector: { matchLabels: { app: "redis" } },
    template: {
      metadata: { labels: { app: "redis" } },
      spec: { containers: [{ name: "redis", image: "redis:7.4.1-alpine", command: ["redis-server"] }] },
    },
    volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { storageClassName, accessModes: ["ReadWriteOnce"] } }],
  },
});

// Karpenter NodePools as the plan writes them: instance types, limits, weight.
const trainingNodePool = (
  name: string,
  types: string[],
  limits: Record<string, string>,
  weight = 50,
  labels: Record<string, string> = { pool: "training" },
): KubernetesObject => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name },
  spec: {
    template: {
      metadata: { labels },
      spec: {
        expireAfter: "Never",
        taints: [],
        requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: types }],
      },
    },
    disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: "10m" },
    limits,
    weight,
  },
});
const p4d = { instanceType: "p4d.24xlarge", vcpu: 96, memoryGib: 1152, gpus: 8, efa: 4 };
const g5 = { instanceType: "g5.xlarge", vcpu: 4, memoryGib: 16, gpus: 1, efa: 0 };
const g52 = { instanceType: "g5.2xlarge", vcpu: 8, memoryGib: 32, gpus: 1, efa: 0 };
const sized = (cpu: string, memory: string, gpus = 1) => ({
  requests: { cpu, memory, "nvidia.com/gpu": String(gpus) },
  limits: { memory, "nvidia.com/gpu": String(gpus) },
});
const servingPool: PoolFact = {
  name: "inference",
  source: 'node_pools[1] "inference"',
  labels: { pool: "inference" },
  taints: [],
  maxNodes: 10,
  gpusPerNode: 1,
  nodeShapes: [g5],
};
const trainingPool: PoolFact = {
  name: "training",
  source: 'node_pools[0] "training"',
  labels: { pool: "training" },
  taints: [],
  maxNodes: 20,
  minNodes: 0,
  gpusPerNode: 8,
  nodeShapes: [p4d],
};
const ndTrainingPool: PoolFact = {
  ...trainingPool,
  nodeShapes: [
    { instanceType: "Standard_ND96isr_H100_v5", vcpu: 96, memoryGib: 1900, gpus: 8, efa: 0, infiniband: true },
  ],
};
const a2TrainingPool: PoolFact = {
  ...trainingPool,
  nodeShapes: [{ instanceType: "a2-highgpu-8g", vcpu: 96, memoryGib: 680, gpus: 8, efa: 0 }],
};
const rankJob = (resources: Record<string, unknown>) =>
  job(
    { nodeSelector: { pool: "training" }, containers: [{ ...serving, resources }] },
    {},
    { "karpenter.sh/do-not-disrupt": "true" },
  );
const ranks = (n: number) => {
  const base = rankJob(gpu(8));
  return { ...base, spec: { ...(base.spec as Record<string, unknown>), parallelism: n, completions: n } };
};

const backupLocation = (s3Url: string): KubernetesObject => ({
  apiVersion: "velero.io/v1",
  kind: "BackupStorageLocation",
  metadata: { name: "backups", namespace: "velero" },
  spec: { provider: "aws", objectStorage: { bucket: "backups" }, config: { region: "minio", s3Url } },
});

const trainingData = { name: "training-data", persistentVolumeClaim: { claimName: "train-data", readOnly: true } };
const seedingTrainer = job({
  containers: [
    {
      name: "trainer",
      image: "nvcr.io/nvidia/pytorch:25.04-py3",
      command: ["torchrun"],
      args: ["--nnodes=4", "--nproc-per-node=8", "/data/code/train.py"],
      volumeMounts: [{ name: "training-data", mountPath: "/data", readOnly: true }],
    },
  ],
  volumes: [trainingData],
});
// Mounts the claim writable, as Velero's restore needs, but writes nothing.
const sleepingReader = deployment(
  {
    containers: [
      {
        name: "reader",
        image: "python:3.12-slim",
        command: ["sleep", "infinity"],
        volumeMounts: [{ name: "v0", mountPath: "/backup/train-data" }],
      },
    ],
    volumes: [{ name: "v0", persistentVolumeClaim: { claimName: "train-data" } }],
  },
  1,
  "backup-volume-reader",
);
const seedingLoader: KubernetesObject = {
  ...job({
    containers: [
      {
        name: "loader",
        image: "rclone/rclone:1.75.1",
        command: ["sh", "-c", "rclone sync source:bucket/training/train/ /data"],
        volumeMounts: [{ name: "training-data", mountPath: "/data" }],
      },
    ],
    volumes: [{ name: "training-data", persistentVolumeClaim: { claimName: "train-data" } }],
  }),
  metadata: { name: "train-loader", namespace: ns },
};

interface Row {
  rule: string;
  breaks: KubernetesObject[];
  satisfies: KubernetesObject[];
  facts?: ViabilityFacts;
  /** Facts of the satisfying set when the fix is in the cluster, not in the objects. */
  fixedFacts?: ViabilityFacts;
}

const rows: Row[] = [
  {
    rule: "viability.untolerated-taint",
    breaks: [
      job({
        nodeSelector: { pool: "gpu" },
        tolerations: [gpuToleration],
        containers: [{ ...serving, resources: gpu(8) }],
      }),
    ],
    satisfies: [
      job({
        nodeSelector: { pool: "gpu" },
        tolerations: [gpuToleration, spotToleration],
        containers: [{ ...serving, resources: gpu(8) }],
      }),
    ],
    facts: poolFacts([spotPool]),
  },
  {
    rule: "viability.no-matching-pool",
    breaks: [
      deployment({
        nodeSelector: { pool: "a100" },
        tolerations: [gpuToleration, spotToleration],
        containers: [serving],
      }),
    ],
    satisfies: [
      deployment({
        nodeSelector: { pool: "gpu" },
        tolerations: [gpuToleration, spotToleration],
        containers: [serving],
      }),
    ],
    facts: poolFacts([spotPool]),
  },
  {
    rule: "viability.exceeds-pool",
    breaks: [
      job(
        {
          nodeSelector: { pool: "gpu" },
          tolerations: [gpuToleration, spotToleration],
          containers: [{ ...serving, resources: gpu(8) }],
        },
        { completions: 21, parallelism: 21 },
      ),
    ],
    satisfies: [
      job(
        {
          nodeSelector: { pool: "gpu" },
          tolerations: [gpuToleration, spotToleration],
          containers: [{ ...serving, resources: gpu(8) }],
        },
        { completions: 20, parallelism: 20 },
      ),
    ],
    facts: poolFacts([spotPool]),
  },
  {
    rule: "viability.missing-storage-class",
    breaks: [pvc("efs-sc")],
    satisfies: [
      pvc("efs-sc"),
      {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: "efs-sc" },
        provisioner: "efs.csi.aws.com",
      } as KubernetesObject,
    ],
    facts: poolFacts([], { providedStorageClasses: ["gp2"] }),
  },
  {
    rule: "viability.nothing-to-run",
    breaks: [deployment({ containers: [{ name: "worker", image: "nvcr.io/nvidia/tritonserver:24.08-py3" }] })],
    satisfies: [
      deployment({
        containers: [
          {
            name: "worker",
            image: "nvcr.io/nvidia/tritonserver:24.08-py3",
            command: ["tritonserver"],
            args: ["--model-repository=/models"],
          },
        ],
      }),
    ],
  },
  {
    rule: "viability.backup-misses-data",
    breaks: [
      pvc("nfs-client"),
      schedule({ excludedResources: ["pods", "events"], defaultVolumesToFsBackup: true, snapshotVolumes: false }),
    ],
    satisfies: [
      pvc("nfs-client"),
      schedule({ excludedResources: ["events"], defaultVolumesToFsBackup: true, snapshotVolumes: false }),
    ],
  },
  {
    rule: "viability.backup-misses-data",
    breaks: [pvc("efs-sc"), schedule({ snapshotVolumes: true })],
    satisfies: [pvc("efs-sc"), schedule({ snapshotVolumes: false, defaultVolumesToFsBackup: true })],
  },
  {
    rule: "viability.training-disrupted",
    breaks: [
      karpenterPool("720h", "WhenEmpty"),
      job({ nodeSelector: { pool: "training" }, containers: [{ ...serving, resources: gpu(8) }] }),
    ],
    satisfies: [
      karpenterPool("Never", "WhenEmpty"),
      job({ nodeSelector: { pool: "training" }, containers: [{ ...serving, resources: gpu(8) }] }),
    ],
  },
  {
    rule: "viability.training-disrupted",
    breaks: [
      karpenterPool("720h", "WhenEmptyOrUnderutilized"),
      job({ nodeSelector: { pool: "training" }, containers: [{ ...serving, resources: gpu(8) }] }),
    ],
    satisfies: [
      karpenterPool("720h", "WhenEmptyOrUnderutilized"),
      job(
        { nodeSelector: { pool: "training" }, containers: [{ ...serving, resources: gpu(8) }] },
        {},
        { "karpenter.sh/do-not-disrupt": "true" },
      ),
    ],
  },
  {
    rule: "viability.egress-blocks-identity",
    breaks: [
      denyAll,
      account({ "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/x" }),
      deployment({ serviceAccountName: "server-sa", containers: [serving] }),
    ],
    satisfies: [
      denyAll,
      allowHttps,
      account({ "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/x" }),
      deployment({ serviceAccountName: "server-sa", containers: [serving] }),
    ],
  },
  {
    rule: "viability.egress-blocks-identity",
    // HTTPS alone is not enough on GKE: tokens come from the metadata server, which the 443 rule excepts.
    breaks: [
      denyAll,
      allowHttps,
      account({ "iam.gke.io/gcp-service-account": "x@p.iam.gserviceaccount.com" }),
      deployment({ serviceAccountName: "server-sa", containers: [serving] }),
    ],
    satisfies: [
      denyAll,
      allowHttps,
      allowMetadata,
      account({ "iam.gke.io/gcp-service-account": "x@p.iam.gserviceaccount.com" }),
      deployment({ serviceAccountName: "server-sa", containers: [serving] }),
    ],
  },
  {
    rule: "viability.egress-blocks-identity",
    // GKE Dataplane V2 serves Workload Identity tokens at 169.254.169.252:988.
    breaks: [
      denyAll,
      allowHttps,
      allowMetadataWrongAddress,
      account({ "iam.gke.io/gcp-service-account": "x@p.iam.gserviceaccount.com" }),
      deployment({ serviceAccountName: "server-sa", containers: [serving] }),
    ],
    satisfies: [
      denyAll,
      allowHttps,
      allowMetadata,
      account({ "iam.gke.io/gcp-service-account": "x@p.iam.gserviceaccount.com" }),
      deployment({ serviceAccountName: "server-sa", containers: [serving] }),
    ],
  },
  {
    rule: "viability.unprovided-resource",
    breaks: [
      job({
        containers: [{ ...serving, resources: { limits: { "nvidia.com/gpu": "8", "vpc.amazonaws.com/efa": "4" } } }],
      }),
    ],
    satisfies: [
      efaPlugin,
      job({
        containers: [{ ...serving, resources: { limits: { "nvidia.com/gpu": "8", "vpc.amazonaws.com/efa": "4" } } }],
      }),
    ],
    facts: { ...noFacts, providedResources: ["nvidia.com/gpu"] },
  },
  {
    rule: "viability.unprovided-resource",
    breaks: [deployment({ containers: [{ ...serving, resources: gpu(1) }] })],
    satisfies: [deployment({ containers: [{ ...serving, resources: gpu(1) }] })],
    facts: { ...noFacts, providedResources: [] },
    fixedFacts: { ...noFacts, providedResources: ["nvidia.com/gpu"] },
  },
  {
    rule: "viability.command-not-in-image",
    // The review's batch worker: a script no image or volume has.
    breaks: [
      deployment({
        containers: [
          {
            name: "worker",
            image: "nvcr.io/nvidia/tritonserver:24.08-py3",
            command: ["python3", "/workspace/worker.py"],
          },
        ],
      }),
    ],
    satisfies: [
      deployment({
        containers: [
          {
            name: "worker",
            image: "nvcr.io/nvidia/tritonserver:24.08-py3",
            command: ["python3", "/code/worker.py"],
            volumeMounts: [{ name: "code", mountPath: "/code" }],
          },
        ],
        volumes: [{ name: "code", configMap: { name: "worker" } }],
      }),
    ],
  },
  {
    rule: "viability.command-not-in-image",
    // A vLLM deployment still running Triton's command.
    breaks: [
      deployment({
        containers: [
          {
            name: "server",
            image: "vllm/vllm-openai:v0.11.0",
            command: ["tritonserver"],
            args: ["--model-repository=/models"],
          },
        ],
      }),
    ],
    satisfies: [
      deployment({
        containers: [
          { name: "server", image: "vllm/vllm-openai:v0.11.0", command: ["vllm", "serve"], args: ["/models"] },
        ],
      }),
    ],
  },
  {
    rule: "viability.script-on-unseeded-claim",
    // The review's training Job: torchrun runs /data/code/train.py from a claim the plan creates and nothing fills
    // (the backup reader that also mounts it only sleeps).
    breaks: [pvc("efs-sc", "train-data"), seedingTrainer, sleepingReader],
    // A loader Job copies the code into the claim (and the ranks wait for it).
    satisfies: [pvc("efs-sc", "train-data"), seedingTrainer, seedingLoader],
  },
  {
    rule: "viability.script-on-unseeded-claim",
    breaks: [pvc("efs-sc", "train-data"), seedingTrainer],
    // A claim cloned from a populated one brings its files.
    satisfies: [
      {
        ...pvc("efs-sc", "train-data"),
        spec: {
          accessModes: ["ReadWriteMany"],
          storageClassName: "efs-sc",
          resources: { requests: { storage: "1Ti" } },
          dataSource: { kind: "PersistentVolumeClaim", name: "golden" },
        },
      },
      seedingTrainer,
    ],
  },
  {
    rule: "viability.home-not-writable",
    breaks: [
      deployment({
        containers: [
          {
            name: "server",
            image: "vllm/vllm-openai:v0.11.0",
            command: ["vllm", "serve"],
            securityContext: { readOnlyRootFilesystem: true },
          },
        ],
      }),
    ],
    satisfies: [
      deployment({
        containers: [
          {
            name: "server",
            image: "vllm/vllm-openai:v0.11.0",
            command: ["vllm", "serve"],
            securityContext: { readOnlyRootFilesystem: true },
            env: [{ name: "HOME", value: "/home/app" }],
            volumeMounts: [{ name: "home", mountPath: "/home/app" }],
          },
        ],
        volumes: [{ name: "home", emptyDir: {} }],
      }),
    ],
  },
  {
    rule: "viability.unscraped-series",
    // The review's trigger: a series Triton does not export.
    breaks: [tritonServer, podMonitor("metrics"), scaledObject("inference_request_duration_seconds_bucket")],
    satisfies: [tritonServer, podMonitor("metrics"), scaledObject("nv_inference_pending_request_count")],
  },
  {
    rule: "viability.unscraped-series",
    // Exported, but nothing scrapes the metrics port.
    breaks: [tritonServer, podMonitor("http"), scaledObject("nv_inference_pending_request_count")],
    satisfies: [tritonServer, podMonitor("metrics"), scaledObject("nv_inference_pending_request_count")],
  },
  {
    rule: "viability.unscraped-series",
    breaks: [
      tritonServer,
      podMonitor("metrics"),
      scaledObject("DCGM_FI_DEV_GPU_UTIL", "http://prometheus-operated.monitoring.svc:9090", {
        labels: 'exported_namespace="ml", exported_pod=~"server-.*"',
      }),
    ],
    satisfies: [
      tritonServer,
      podMonitor("metrics"),
      scaledObject("DCGM_FI_DEV_GPU_UTIL", "http://prometheus-operated.monitoring.svc:9090", {
        labels: 'exported_namespace="ml", exported_pod=~"server-.*"',
      }),
    ],
    facts: { ...noFacts, scrapedExporters: [] },
    fixedFacts: { ...noFacts, scrapedExporters: ["dcgm"] },
  },
  {
    rule: "viability.unscraped-series",
    // A Triton-looking name Triton does not export.
    breaks: [tritonServer, podMonitor("metrics"), scaledObject("nv_inference_queue_depth")],
    satisfies: [tritonServer, podMonitor("metrics"), scaledObject("nv_inference_queue_duration_us")],
  },
  {
    rule: "viability.unscraped-series",
    // The latency histogram exists only with histogram_latencies=true.
    breaks: [tritonServer, podMonitor("metrics"), scaledObject("nv_inference_first_response_histogram_ms_bucket")],
    satisfies: [
      deployment({
        containers: [
          {
            ...serving,
            args: ["--metrics-config=histogram_latencies=true"],
            ports: [
              { name: "http", containerPort: 8080 },
              { name: "metrics", containerPort: 8002 },
            ],
          },
        ],
      }),
      podMonitor("metrics"),
      scaledObject("nv_inference_first_response_histogram_ms_bucket"),
    ],
  },
  {
    rule: "viability.unscraped-series",
    // A DCGM field the exporter's default counters do not include.
    breaks: [
      tritonServer,
      podMonitor("metrics"),
      scaledObject("DCGM_FI_DEV_GPU_UTILIZATION", "http://prometheus-operated.monitoring.svc:9090", {
        labels: 'exported_namespace="ml", exported_pod=~"server-.*"',
      }),
    ],
    satisfies: [
      tritonServer,
      podMonitor("metrics"),
      scaledObject("DCGM_FI_DEV_GPU_UTIL", "http://prometheus-operated.monitoring.svc:9090", {
        labels: 'exported_namespace="ml", exported_pod=~"server-.*"',
      }),
    ],
    facts: { ...noFacts, scrapedExporters: ["dcgm"] },
  },
  {
    rule: "viability.unscraped-series",
    // DCGM's workload labels arrive as exported_pod/exported_namespace unless the scrape honors them.
    breaks: [tritonServer, podMonitor("metrics"), scaledObject("DCGM_FI_DEV_GPU_UTIL")],
    satisfies: [tritonServer, podMonitor("metrics"), scaledObject("DCGM_FI_DEV_GPU_UTIL")],
    facts: { ...noFacts, scrapedExporters: ["dcgm"] },
    fixedFacts: { ...noFacts, scrapedExporters: ["dcgm"], dcgmHonorLabels: true },
  },
  {
    rule: "viability.unscraped-series",
    // At 0 replicas the only trigger's series (the pods' own) does not exist: the scaler never wakes.
    breaks: [
      tritonServer,
      podMonitor("metrics"),
      scaledObject("nv_inference_pending_request_count", "http://prometheus-operated.monitoring.svc:9090", {
        minReplicaCount: 0,
      }),
    ],
    satisfies: [
      tritonServer,
      podMonitor("metrics"),
      scaledObject("nv_inference_pending_request_count", "http://prometheus-operated.monitoring.svc:9090", {
        minReplicaCount: 1,
      }),
    ],
  },
  {
    rule: "viability.wrong-prometheus",
    breaks: [
      tritonServer,
      podMonitor("metrics"),
      scaledObject("nv_inference_pending_request_count", "http://prometheus-server.monitoring.svc:9090"),
    ],
    satisfies: [
      tritonServer,
      podMonitor("metrics"),
      scaledObject("nv_inference_pending_request_count", "http://prometheus-operated.monitoring.svc:9090"),
    ],
    facts: { ...noFacts, prometheusAddress: "http://prometheus-operated.monitoring.svc:9090" },
  },
  {
    rule: "viability.wrong-prometheus",
    // Only namespace monitoring may scrape the metrics port, so a Prometheus in "observability" has no series.
    breaks: [
      tritonServer,
      podMonitor("metrics"),
      denyAll,
      allowScrape,
      scaledObject("nv_inference_pending_request_count", "http://prometheus-operated.observability.svc:9090"),
    ],
    satisfies: [
      tritonServer,
      podMonitor("metrics"),
      denyAll,
      allowScrape,
      scaledObject("nv_inference_pending_request_count", "http://prometheus-operated.monitoring.svc:9090"),
    ],
  },
  {
    rule: "viability.identity-not-created",
    breaks: [account({ "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/x" })],
    satisfies: [account({ "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/x" })],
    facts: { ...noFacts, createdIdentities: [] },
    fixedFacts: {
      ...noFacts,
      createdIdentities: [{ identity: "arn:aws:iam::123456789012:role/x", serviceAccounts: ["ml/server-sa"] }],
    },
  },
  {
    rule: "viability.identity-not-created",
    // Created, but bound to another ServiceAccount: the token exchange is refused.
    breaks: [account({ "iam.gke.io/gcp-service-account": "x@p.iam.gserviceaccount.com" })],
    satisfies: [account({ "iam.gke.io/gcp-service-account": "x@p.iam.gserviceaccount.com" })],
    facts: {
      ...noFacts,
      createdIdentities: [{ identity: "x@p.iam.gserviceaccount.com", serviceAccounts: ["other/server-sa"] }],
    },
    fixedFacts: {
      ...noFacts,
      createdIdentities: [
        { identity: "x@p.iam.gserviceaccount.com", serviceAccounts: ["other/server-sa", "ml/server-sa"] },
      ],
    },
  },
  {
    rule: "viability.workload-reads-backups",
    // The model server shares the identity Velero writes the backups with (one Azure client id for every account).
    breaks: [account({ "azure.workload.identity/client-id": "11111111-1111-1111-1111-111111111111" })],
    satisfies: [account({ "azure.workload.identity/client-id": "22222222-2222-2222-2222-222222222222" })],
    facts: {
      ...noFacts,
      createdIdentities: [
        {
          identity: "11111111-1111-1111-1111-111111111111",
          serviceAccounts: ["velero/velero", "ml/server-sa"],
          readsBackups: true,
        },
      ],
    },
    fixedFacts: {
      ...noFacts,
      createdIdentities: [
        { identity: "11111111-1111-1111-1111-111111111111", serviceAccounts: ["velero/velero"], readsBackups: true },
        { identity: "22222222-2222-2222-2222-222222222222", serviceAccounts: ["ml/server-sa"], readsBackups: false },
      ],
    },
  },
  {
    rule: "viability.untolerated-taint",
    // Bare manifests (portal scan): no pools known, but AKS taints every node its spot label marks.
    breaks: [deployment({ nodeSelector: { "kubernetes.azure.com/scalesetpriority": "spot" }, containers: [serving] })],
    satisfies: [
      deployment({
        nodeSelector: { "kubernetes.azure.com/scalesetpriority": "spot" },
        tolerations: [spotToleration],
        containers: [serving],
      }),
    ],
  },
  {
    rule: "viability.untolerated-taint",
    // A GKE spot pool that sets the gke-spot taint itself.
    breaks: [gkeSpotPod([])],
    satisfies: [gkeSpotPod([gkeSpotToleration])],
    facts: poolFacts([gkeSpotPool(true)]),
  },
  {
    rule: "viability.efa-outside-placement-group",
    breaks: [efaNodeClass(false), efaKarpenterPool, efaJob],
    satisfies: [efaNodeClass(true), efaKarpenterPool, efaJob],
  },
  {
    rule: "viability.efa-outside-placement-group",
    breaks: [efaNodeClass(false), efaKarpenterPool, efaJob],
    satisfies: [efaNodeClass(false), nonEfaKarpenterPool, efaJob],
  },
  {
    rule: "viability.rendezvous-on-spot",
    breaks: [
      job(
        { nodeSelector: { pool: "gpu" }, tolerations: [gpuToleration, spotToleration], containers: [trainer(false)] },
        { backoffLimit: 3 },
      ),
    ],
    satisfies: [
      job(
        {
          nodeSelector: { pool: "gpu" },
          tolerations: [gpuToleration, spotToleration],
          containers: [trainer(true)],
          volumes: [{ name: "checkpoints", persistentVolumeClaim: { claimName: "train-checkpoints" } }],
        },
        { backoffLimit: 4 },
      ),
    ],
    facts: poolFacts([{ ...spotPool, spot: true }]),
  },
  {
    rule: "viability.backup-cannot-read",
    breaks: [schedule({ defaultVolumesToFsBackup: true, snapshotVolumes: false })],
    satisfies: [schedule({ defaultVolumesToFsBackup: true, snapshotVolumes: false })],
    facts: { ...noFacts, externalVolumes: [checkpointVolume], nativeBackupClasses: [] },
    fixedFacts: { ...noFacts, externalVolumes: [checkpointVolume], nativeBackupClasses: ["efs-sc"] },
  },
  {
    rule: "viability.backup-cannot-read",
    breaks: [schedule({ defaultVolumesToFsBackup: true, snapshotVolumes: false })],
    satisfies: [
      schedule({ defaultVolumesToFsBackup: true, snapshotVolumes: false }),
      deployment({
        containers: [{ name: "reader", image: "python:3.12-slim", command: ["sleep", "infinity"] }],
        volumes: [{ name: "v0", persistentVolumeClaim: { claimName: "train-checkpoints", readOnly: true } }],
      }),
    ],
    facts: { ...noFacts, externalVolumes: [checkpointVolume], nativeBackupClasses: [] },
  },
  {
    rule: "viability.exceeds-pool",
    // A pod asking for more GPUs than one node has fits on no node of the pool.
    breaks: [
      job(
        {
          nodeSelector: { pool: "gpu" },
          tolerations: [gpuToleration, spotToleration],
          containers: [{ ...serving, resources: gpu(16) }],
        },
        { completions: 1, parallelism: 1 },
      ),
    ],
    satisfies: [
      job(
        {
          nodeSelector: { pool: "gpu" },
          tolerations: [gpuToleration, spotToleration],
          containers: [{ ...serving, resources: gpu(8) }],
        },
        { completions: 1, parallelism: 1 },
      ),
    ],
    facts: poolFacts([spotPool]),
  },
  {
    rule: "viability.pod-exceeds-node",
    // 14 GiB on a 16 GiB g5.xlarge: the kubelet keeps ~2.7 GiB and the DaemonSets 1 GiB.
    breaks: [
      deployment({ nodeSelector: { pool: "inference" }, containers: [{ ...serving, resources: sized("3", "14Gi") }] }),
    ],
    satisfies: [
      deployment({ nodeSelector: { pool: "inference" }, containers: [{ ...serving, resources: sized("3", "12Gi") }] }),
    ],
    facts: poolFacts([servingPool]),
  },
  {
    rule: "viability.pod-exceeds-node",
    // More EFA interfaces than the p4d has (4): no node ever advertises 8.
    breaks: [
      rankJob({
        ...sized("90", "1000Gi", 8),
        requests: { ...sized("90", "1000Gi", 8).requests, "vpc.amazonaws.com/efa": "8" },
      }),
    ],
    satisfies: [
      rankJob({
        ...sized("90", "1000Gi", 8),
        requests: { ...sized("90", "1000Gi", 8).requests, "vpc.amazonaws.com/efa": "4" },
      }),
    ],
    facts: poolFacts([trainingPool]),
  },
  {
    rule: "viability.pod-exceeds-node",
    // A DaemonSet of the set on the same nodes takes its share of the node too.
    breaks: [
      deployment({ nodeSelector: { pool: "inference" }, containers: [{ ...serving, resources: sized("3", "12Gi") }] }),
      {
        ...efaPlugin,
        spec: {
          ...(efaPlugin.spec as Record<string, unknown>),
          template: {
            metadata: { labels: { app: "efa" } },
            spec: {
              containers: [
                {
                  name: "agent",
                  image: "registry.example/agent:1",
                  resources: { requests: { cpu: "100m", memory: "1Gi" } },
                },
              ],
            },
          },
        },
      },
    ],
    satisfies: [
      deployment({ nodeSelector: { pool: "inference" }, containers: [{ ...serving, resources: sized("3", "12Gi") }] }),
      {
        ...efaPlugin,
        spec: {
          ...(efaPlugin.spec as Record<string, unknown>),
          template: {
            metadata: { labels: { app: "efa" } },
            spec: {
              containers: [
                {
                  name: "agent",
                  image: "registry.example/agent:1",
                  resources: { requests: { cpu: "100m", memory: "64Mi" } },
                },
              ],
            },
          },
        },
      },
    ],
    facts: poolFacts([servingPool]),
  },
  {
    rule: "viability.exceeds-pool",
    // 512 ranks on a Karpenter NodePool whose limits hold 20 p4d nodes (160 GPUs): no longer unbounded.
    breaks: [
      trainingNodePool("gpu-training", ["p4d.24xlarge"], { cpu: "1920", memory: "23040Gi", "nvidia.com/gpu": "160" }),
      ranks(512),
    ],
    satisfies: [
      trainingNodePool("gpu-training", ["p4d.24xlarge"], { cpu: "1920", memory: "23040Gi", "nvidia.com/gpu": "160" }),
      ranks(20),
    ],
  },
  {
    rule: "viability.training-node-upgrade",
    breaks: [rankJob(gpu(8))],
    satisfies: [rankJob(gpu(8))],
    facts: poolFacts([{ ...trainingPool, managedUpgrades: { by: "GKE node auto-upgrade" } }]),
    fixedFacts: poolFacts([
      {
        ...trainingPool,
        managedUpgrades: { by: "GKE node auto-upgrade", confinedBy: "maintenance_policy.recurring_window" },
      },
    ]),
  },
  {
    rule: "viability.backup-misses-data",
    // A claim in a namespace the only Schedule leaves out.
    breaks: [
      schedule({ defaultVolumesToFsBackup: true }),
      { ...pvc("gp3"), metadata: { name: "data", namespace: "other" } },
    ],
    satisfies: [
      schedule({ defaultVolumesToFsBackup: true, includedNamespaces: [ns, "other"] }),
      { ...pvc("gp3"), metadata: { name: "data", namespace: "other" } },
    ],
  },
  {
    rule: "viability.backup-misses-data",
    // A workload volume outside the set, in a namespace the Schedule excludes.
    breaks: [schedule({ defaultVolumesToFsBackup: true, includedNamespaces: ["*"], excludedNamespaces: ["ml"] })],
    satisfies: [schedule({ defaultVolumesToFsBackup: true, includedNamespaces: ["*"] })],
    facts: { ...noFacts, externalVolumes: [{ namespace: ns, claim: "models", storageClass: "gp3" }] },
  },
  {
    rule: "viability.exporter-not-installed",
    breaks: [redisScaledJob],
    satisfies: [redisScaledJob],
    facts: { ...noFacts, providedServices: [] },
    fixedFacts: { ...noFacts, providedServices: ["redis-master.redis.svc:6379"] },
  },
  {
    rule: "viability.trigger-unreachable",
    breaks: [redisScaledJob, redisService, redisIngress(["ml-batch"])],
    satisfies: [redisScaledJob, redisService, redisIngress(["ml-batch", "keda"])],
  },
  {
    rule: "viability.trigger-unreachable",
    // KEDA's namespace admitted, but on another port than the trigger's.
    breaks: [redisScaledJob, redisService, redisIngress(["keda"], 6380)],
    satisfies: [redisScaledJob, redisService, redisIngress(["keda"])],
  },
  {
    rule: "viability.namespace-missing",
    // A backup reader for another workload's namespace, which the plan does not create.
    breaks: [deployment({ containers: [serving] }), namespace(ns)].map((o) =>
      o.kind === "Deployment" ? { ...o, metadata: { ...o.metadata, namespace: "ml-training" } } : o,
    ),
    satisfies: [deployment({ containers: [serving] }), namespace(ns)],
    facts: { ...noFacts, existingNamespaces: ["kube-system"] },
  },
  {
    rule: "viability.missing-storage-class",
    // A StatefulSet's volumeClaimTemplates are claims too: the EKS cluster has no class "gp3" unless something makes it.
    breaks: [redisStatefulSet("gp3")],
    satisfies: [redisStatefulSet("efs-sc")],
    facts: poolFacts([], { providedStorageClasses: ["gp2", "efs-sc"] }),
  },
  {
    rule: "viability.unknown-claim",
    // A backup reader mounting the cluster plan's checkpoints: fine once requires names the claim.
    breaks: [mountsClaim("checkpoints")],
    satisfies: [mountsClaim("checkpoints")],
    facts: { ...noFacts, requiredClaims: [] },
    fixedFacts: { ...noFacts, requiredClaims: [`${ns}/checkpoints`] },
  },
  {
    rule: "viability.unknown-claim",
    // Or the set creates the claim itself; a claim of the same name in another namespace does not count.
    breaks: [mountsClaim("data"), { ...pvc("efs-sc"), metadata: { name: "data", namespace: "other" } }],
    satisfies: [mountsClaim("data"), pvc("efs-sc")],
    facts: { ...noFacts, requiredClaims: [] },
  },
  {
    rule: "viability.backup-store-in-cluster",
    // The MinIO inside the cluster goes down with it: a rebuilt cluster has no backups to restore.
    breaks: [backupLocation("https://minio.minio.svc:9000")],
    satisfies: [backupLocation("https://s3.backups.corp.internal:9000")],
  },
  {
    rule: "viability.backup-store-in-cluster",
    breaks: [backupLocation("http://minio.storage.svc.cluster.local")],
    satisfies: [backupLocation("https://10.20.0.15:9000")],
  },
];

describe("viability rules", () => {
  it.each(rows.map((r, i) => [`${r.rule} #${i}`, r] as const))(
    "%s: flags the broken set, passes the fixed one",
    (_, row) => {
      const broken = checkViability(row.breaks, row.facts);
      expect(broken.findings.map((f) => f.check)).toContain(row.rule);
      expect(blockingFindings(broken).length).toBeGreaterThan(0);
      const finding = broken.findings.find((f) => f.check === row.rule)!;
      expect(finding.fix.length).toBeGreaterThan(10);
      expect(finding.object.name).toBeTruthy();
      expect(
        checkViability(row.satisfies, row.fixedFacts ?? row.facts).findings.filter((f) => f.check === row.rule),
      ).toEqual([]);
    },
  );

  // GKE's documented spot scheduling: the label on every spot node, the taint only where the pool sets it.
  it.each([
    {
      name: "bare manifests (portal scan --cloud gcp)",
      facts: { ...noFacts, providedStorageClasses: [] },
      raises: false,
    },
    { name: "a Standard spot pool without a taint", facts: poolFacts([gkeSpotPool(false)]), raises: false },
    { name: "a spot pool that sets the gke-spot taint", facts: poolFacts([gkeSpotPool(true)]), raises: true },
  ])("a pod selecting cloud.google.com/gke-spot=true untolerated on $name: raises = $raises", ({ facts, raises }) => {
    const checks = checkViability([gkeSpotPod([])], facts).findings.map((f) => f.check);
    expect(checks.includes("viability.untolerated-taint")).toBe(raises);
    expect(checks).not.toContain("viability.no-matching-pool");
  });

  it("names the missing toleration in the fix", () => {
    const [finding] = checkViability(rows[0]!.breaks, rows[0]!.facts).findings;
    expect(finding!.message).toContain("kubernetes.azure.com/scalesetpriority=spot:NoSchedule");
    expect(finding!.fix).toContain("key: kubernetes.azure.com/scalesetpriority");
  });

  it("reports an image it does not know as info, not blocking", () => {
    const report = checkViability([deployment({ containers: [{ name: "app", image: "registry.example/app:1" }] })]);
    expect(report.findings.map((f) => [f.check, f.severity])).toEqual([["viability.unknown-entrypoint", "info"]]);
    expect(blockingFindings(report)).toEqual([]);
  });

  it("reads the metric names out of a PromQL query, not functions, labels or strings", () => {
    expect(
      seriesOf(
        '(histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{namespace="a", pod=~"x-.*"}[60s]))) * 1000 >= 0) or (sum(rate(vllm:time_to_first_token_seconds_count{pod=~"x"}[60s])) * 0)',
      ),
    ).toEqual(["vllm:time_to_first_token_seconds_bucket", "vllm:time_to_first_token_seconds_count"]);
  });

  it("without facts, checks no storage classes and needs no pool", () => {
    expect(checkViability([pvc("anything")]).findings).toEqual([]);
    // portal scan knows nothing of the plans the manifests come with: a mounted claim is not a finding there.
    expect(checkViability([mountsClaim("elsewhere")]).findings.map((f) => f.check)).not.toContain(
      "viability.unknown-claim",
    );
  });
});

const apiFacts = (cloud: string, via: ApiAccess["via"]) =>
  poolFacts([], { apiAccess: { cluster: "ml-production", cloud, via } });

// Rules whose findings are medium: the plan works, at a cost the report names; never blocking.
const mediumRows: Row[] = [
  {
    rule: "viability.fallback-too-small",
    // Pods sized for the g5.2xlarge (8 vCPU, 32 GiB); the g5.xlarge fallback has 16 GiB.
    breaks: [
      deployment({ nodeSelector: { pool: "inference" }, containers: [{ ...serving, resources: sized("6", "24Gi") }] }),
    ],
    satisfies: [
      deployment({ nodeSelector: { pool: "inference" }, containers: [{ ...serving, resources: sized("6", "24Gi") }] }),
    ],
    facts: poolFacts([{ ...servingPool, nodeShapes: [g52, g5] }]),
    fixedFacts: poolFacts([{ ...servingPool, nodeShapes: [g52] }]),
  },
  {
    rule: "viability.fallback-too-small",
    // The fallback model is a NodePool of its own: the 8-GPU rank fits the p4d primary, never the 4-GPU g5.12xlarge.
    breaks: [
      trainingNodePool("training", ["p4d.24xlarge"], { "nvidia.com/gpu": "80" }, 50),
      trainingNodePool("training-nvidia-a10g", ["g5.12xlarge"], { "nvidia.com/gpu": "40" }, 40),
      rankJob(sized("90", "900Gi", 8)),
    ],
    satisfies: [
      trainingNodePool("training", ["p4d.24xlarge"], { "nvidia.com/gpu": "80" }, 50),
      trainingNodePool("training-nvidia-h100", ["p5.48xlarge"], { "nvidia.com/gpu": "80" }, 40),
      rankJob(sized("90", "900Gi", 8)),
    ],
    facts: poolFacts([trainingPool]),
  },
  {
    rule: "viability.placeholder-object-store",
    breaks: [backupLocation("https://object-store.example.com:9000")],
    satisfies: [backupLocation("https://s3.backups.corp.internal:9000")],
  },
  {
    rule: "viability.fallback-pool-order",
    breaks: [
      trainingNodePool("training", ["p4d.24xlarge"], { "nvidia.com/gpu": "80" }, 50),
      trainingNodePool("training-nvidia-h100", ["p5.48xlarge"], { "nvidia.com/gpu": "80" }, 50),
    ],
    satisfies: [
      trainingNodePool("training", ["p4d.24xlarge"], { "nvidia.com/gpu": "80" }, 50),
      trainingNodePool("training-nvidia-h100", ["p5.48xlarge"], { "nvidia.com/gpu": "80" }, 49),
    ],
    facts: poolFacts([trainingPool]),
  },
  {
    rule: "viability.fallback-pool-limits",
    // The fallback may launch 40 p5 nodes on a pool of max 20.
    breaks: [
      trainingNodePool("training", ["p4d.24xlarge"], { cpu: "1920", memory: "23040Gi", "nvidia.com/gpu": "160" }, 50),
      trainingNodePool(
        "training-nvidia-h100",
        ["p5.48xlarge"],
        { cpu: "7680", memory: "81920Gi", "nvidia.com/gpu": "320" },
        49,
      ),
    ],
    // Each may take the whole pool's 20 nodes of its own type, no more.
    satisfies: [
      trainingNodePool("training", ["p4d.24xlarge"], { cpu: "1920", memory: "23040Gi", "nvidia.com/gpu": "160" }, 50),
      trainingNodePool(
        "training-nvidia-h100",
        ["p5.48xlarge"],
        { cpu: "3840", memory: "40960Gi", "nvidia.com/gpu": "160" },
        49,
      ),
    ],
    facts: poolFacts([trainingPool]),
  },
  {
    rule: "viability.primary-pool-capped",
    // The pool's 20 nodes split 8 + 12: the primary p4d NodePool stops at 8.
    breaks: [
      trainingNodePool("training", ["p4d.24xlarge"], { cpu: "768", memory: "9216Gi", "nvidia.com/gpu": "64" }, 50),
      trainingNodePool(
        "training-nvidia-h100",
        ["p5.48xlarge"],
        { cpu: "2304", memory: "24576Gi", "nvidia.com/gpu": "96" },
        49,
      ),
    ],
    satisfies: [
      trainingNodePool("training", ["p4d.24xlarge"], { cpu: "1920", memory: "23040Gi", "nvidia.com/gpu": "160" }, 50),
      trainingNodePool(
        "training-nvidia-h100",
        ["p5.48xlarge"],
        { cpu: "2304", memory: "24576Gi", "nvidia.com/gpu": "96" },
        49,
      ),
    ],
    facts: poolFacts([trainingPool]),
  },
  {
    rule: "viability.training-without-efa",
    breaks: [rankJob(gpu(8))],
    satisfies: [rankJob({ ...gpu(8), requests: { ...gpu(8).requests, "vpc.amazonaws.com/efa": "4" } })],
    facts: poolFacts([trainingPool]),
  },
  {
    rule: "viability.training-without-infiniband",
    breaks: [rankJob(gpu(8))],
    satisfies: [rankJob({ ...gpu(8), limits: { ...gpu(8).limits, "rdma/shared_ib": "1" } })],
    facts: poolFacts([ndTrainingPool]),
  },
  {
    rule: "viability.training-not-colocated",
    // The same a2-highgpu-8g ranks on a pool spread over the region, then on one with a COMPACT placement policy.
    breaks: [rankJob(gpu(8))],
    satisfies: [rankJob(gpu(8))],
    facts: poolFacts([{ ...a2TrainingPool, colocated: false }]),
    fixedFacts: poolFacts([{ ...a2TrainingPool, colocated: true }]),
  },
  {
    rule: "viability.api-unreachable",
    // A private EKS endpoint with no authorized ranges, then with the operators' ranges.
    breaks: [],
    satisfies: [],
    facts: apiFacts("aws", "vpc-only"),
    fixedFacts: apiFacts("aws", "authorized-cidrs"),
  },
  {
    rule: "viability.api-unreachable",
    // A private AKS cluster is reached through az aks command invoke, except by a recovery's helm and velero.
    breaks: [],
    satisfies: [],
    facts: poolFacts([], {
      apiAccess: { cluster: "ml-production", cloud: "azure", via: "command-invoke", recovery: true },
    }),
    fixedFacts: apiFacts("azure", "command-invoke"),
  },
];

describe("viability rules reported as medium", () => {
  it.each(mediumRows.map((r, i) => [`${r.rule} #${i}`, r] as const))(
    "%s: flags the broken set without blocking it, passes the fixed one",
    (_, row) => {
      const broken = checkViability(row.breaks, row.facts);
      const finding = broken.findings.find((f) => f.check === row.rule);
      expect(finding?.severity).toBe("medium");
      expect(blockingFindings(broken).filter((f) => f.check === row.rule)).toEqual([]);
      expect(finding!.fix.length).toBeGreaterThan(10);
      expect(
        checkViability(row.satisfies, row.fixedFacts ?? row.facts).findings.filter((f) => f.check === row.rule),
      ).toEqual([]);
    },
  );

  it("names the fallback type and its shortfall", () => {
    const [row] = mediumRows;
    const finding = checkViability(row!.breaks, row!.facts).findings.find((f) => f.check === row!.rule)!;
    expect(finding.message).toContain("g5.xlarge (");
    expect(finding.message).toMatch(/memory 24 > \d+(\.\d+)? GiB/);
    expect(finding.fix).toContain("Drop g5.xlarge");
  });

  it("names the fallback NodePool's type that cannot hold the rank", () => {
    const row = mediumRows.filter((r) => r.rule === "viability.fallback-too-small")[1]!;
    const finding = checkViability(row.breaks, row.facts).findings.find((f) => f.check === row.rule)!;
    expect(finding.object.name).toBe("training-nvidia-a10g");
    expect(finding.message).toContain("g5.12xlarge (");
    expect(finding.message).toContain("GPUs 8 > 4");
  });

  it("says A3 High training across nodes runs without GPUDirect-TCPX, as information only", () => {
    const a3 = {
      ...trainingPool,
      nodeShapes: [{ instanceType: "a3-highgpu-8g", vcpu: 208, memoryGib: 1872, gpus: 8, efa: 0 }],
    };
    const report = checkViability([ranks(4)], poolFacts([a3]));
    const finding = report.findings.find((f) => f.check === "viability.gpudirect-not-configured");
    expect(finding?.severity).toBe("info");
    expect(finding!.message).toContain("without GPUDirect-TCPX");
    expect(checkViability([ranks(4)], poolFacts([a2TrainingPool])).findings.map((f) => f.check)).not.toContain(
      "viability.gpudirect-not-configured",
    );
    // One rank talks NCCL only inside its node.
    expect(checkViability([ranks(1)], poolFacts([a3])).findings.map((f) => f.check)).not.toContain(
      "viability.gpudirect-not-configured",
    );
  });

  it("bounds a Karpenter pool by its limits: 512 ranks on a pool that holds 20 nodes", () => {
    const row = rows.find((r) => r.rule === "viability.exceeds-pool" && r.breaks.some((o) => o.kind === "NodePool"))!;
    const finding = checkViability(row.breaks, row.facts).findings.find((f) => f.check === "viability.exceeds-pool")!;
    expect(finding.message).toContain("at most 20 such pod(s) (160 GPUs on 20 nodes)");
  });
});
