// The sandbox cluster's starting point for the demo: two ML namespaces with GPU quotas, an inference
// Deployment with two revisions (so "roll back" has somewhere to go), completed Velero backups and the schedules
// that make them; and the standby cluster's Velero, on the same bucket, where cluster_failure restores.
import type { KubernetesApiDouble } from "./kubernetes-api-double";
import type { K8sObject } from "./managed-fields";

const llmServer = (image: string): K8sObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "llm-server",
    namespace: "ml-inference",
    labels: { app: "llm-server", "app.kubernetes.io/part-of": "inference" },
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "llm-server" } },
    template: {
      metadata: {
        labels: { app: "llm-server" },
        annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "8000" },
      },
      spec: {
        containers: [
          {
            name: "server",
            image,
            ports: [{ containerPort: 8000, name: "http" }],
            resources: {
              limits: { "nvidia.com/gpu": "1" },
              requests: { "nvidia.com/gpu": "1", cpu: "4", memory: "24Gi" },
            },
          },
        ],
      },
    },
  },
});

interface DemoNode {
  name: string;
  pool: string;
  instanceType: string;
  capacityType: "on-demand" | "spot";
  gpus: number;
  gpuProduct?: string;
  /** The portal's pool labels (node-pool-defaults.ts), which its plans' workloads select. */
  labels?: Record<string, string>;
  taintValue?: string;
}

// The portal's own inference pool on AWS (node-pool-defaults.ts): the form's default inference request selects
// workload-type=inference and tolerates nvidia.com/gpu=present, so its pods fit these nodes, as the dry-run says.
const inferencePoolLabels = { "workload-type": "inference", accelerator: "nvidia-a10g" };

// Two GPU pools and a system pool, as a small EKS + Karpenter fleet has them. The workload controller places every
// Deployment pod on sandbox-gpu-node-1, so that node is the inference pool's.
const demoNodes: DemoNode[] = [
  {
    name: "sandbox-gpu-node-1",
    pool: "gpu-inference",
    instanceType: "g5.12xlarge",
    capacityType: "on-demand",
    gpus: 4,
    gpuProduct: "NVIDIA-A10G",
    labels: inferencePoolLabels,
    taintValue: "present",
  },
  {
    name: "sandbox-gpu-node-2",
    pool: "gpu-inference",
    instanceType: "g5.12xlarge",
    capacityType: "spot",
    gpus: 4,
    gpuProduct: "NVIDIA-A10G",
    labels: inferencePoolLabels,
    taintValue: "present",
  },
  {
    name: "sandbox-train-node-1",
    pool: "gpu-training",
    instanceType: "p4d.24xlarge",
    capacityType: "on-demand",
    gpus: 8,
    gpuProduct: "NVIDIA-A100-SXM4-40GB",
  },
  {
    name: "sandbox-train-node-2",
    pool: "gpu-training",
    instanceType: "p4d.24xlarge",
    capacityType: "on-demand",
    gpus: 8,
    gpuProduct: "NVIDIA-A100-SXM4-40GB",
  },
  // ml-training's reserved nodes, labelled and tainted as the portal's own gpu-training pool is: the form's default
  // training job (4 nodes x 8 GPUs, selecting workload-type=training) fits them, as it fits the namespace's quota.
  ...[1, 2, 3, 4].map((i): DemoNode => ({
    name: `sandbox-ml-training-node-${i}`,
    pool: "ml-training",
    instanceType: "p4d.24xlarge",
    capacityType: "on-demand",
    gpus: 8,
    gpuProduct: "NVIDIA-A100-SXM4-40GB",
    labels: { "workload-type": "training", accelerator: "nvidia-a100" },
    taintValue: "present",
  })),
  { name: "sandbox-system-node-1", pool: "system", instanceType: "m6i.xlarge", capacityType: "on-demand", gpus: 0 },
];

function nodeObject(node: DemoNode, createdAt: string): K8sObject {
  const gpu = node.gpus > 0 ? { "nvidia.com/gpu": String(node.gpus) } : {};
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: node.name,
      creationTimestamp: createdAt,
      labels: {
        "karpenter.sh/nodepool": node.pool,
        "karpenter.sh/capacity-type": node.capacityType,
        "node.kubernetes.io/instance-type": node.instanceType,
        "topology.kubernetes.io/zone": "us-east-1a",
        ...(node.gpuProduct
          ? { "nvidia.com/gpu.product": node.gpuProduct, "nvidia.com/gpu.count": String(node.gpus) }
          : {}),
        ...node.labels,
      },
    },
    spec:
      node.gpus > 0
        ? { taints: [{ key: "nvidia.com/gpu", value: node.taintValue ?? "true", effect: "NoSchedule" }] }
        : {},
    status: {
      capacity: { cpu: "48", memory: "192Gi", pods: "110", ...gpu },
      allocatable: { cpu: "47", memory: "185Gi", pods: "110", ...gpu },
      conditions: [
        { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
      ],
      nodeInfo: { kubeletVersion: "v1.31.0", containerRuntimeVersion: "containerd://1.7.22" },
    },
  };
}

function trainingPod(name: string, nodeName: string | null): K8sObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "ml-research",
      labels: { app: name.replace(/-worker-\d+$/, ""), "workload-type": "training" },
    },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      nodeSelector: { "karpenter.sh/nodepool": "gpu-training" },
      tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
      containers: [
        {
          name: "trainer",
          image: "nvcr.io/nvidia/pytorch:24.08-py3",
          resources: {
            limits: { "nvidia.com/gpu": "8" },
            requests: { "nvidia.com/gpu": "8", cpu: "40", memory: "160Gi" },
          },
        },
      ],
    },
    status: nodeName
      ? {
          phase: "Running",
          conditions: [
            { type: "PodScheduled", status: "True" },
            { type: "Ready", status: "True" },
          ],
        }
      : {
          phase: "Pending",
          conditions: [
            {
              type: "PodScheduled",
              status: "False",
              reason: "Unschedulable",
              message:
                "0/9 nodes are available: 2 Insufficient nvidia.com/gpu, 7 node(s) didn't match Pod's node affinity/selector.",
            },
          ],
        },
  };
}

/**
 * The nodes of the sandbox, a research team's training job filling the training pool, and a second one waiting for
 * GPUs with the scheduler's events: what the live cluster view shows. Put as the kubelet and scheduler would write
 * them (system objects), never applied by a field manager.
 */
function seedNodesAndScheduling(double: KubernetesApiDouble, nowMs: number) {
  const { state } = double;
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const node of demoNodes) state.putSystemObject(nodeObject(node, iso(nowMs - 30 * 24 * 3600_000)));
  state.putSystemObject(trainingPod("bert-pretrain-worker-0", "sandbox-train-node-1"));
  state.putSystemObject(trainingPod("bert-pretrain-worker-1", "sandbox-train-node-2"));
  state.putSystemObject(trainingPod("llama-finetune-worker-0", null));
  state.putSystemObject({
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "llama-finetune-worker-0.1801f2a3b4c5d6e7", namespace: "ml-research" },
    involvedObject: { apiVersion: "v1", kind: "Pod", name: "llama-finetune-worker-0", namespace: "ml-research" },
    reason: "FailedScheduling",
    type: "Warning",
    message:
      "0/9 nodes are available: 2 Insufficient nvidia.com/gpu, 7 node(s) didn't match Pod's node affinity/selector. preemption: 0/9 nodes are available: 2 No preemption victims found for incoming pod, 7 Preemption is not helpful for scheduling.",
    count: 37,
    firstTimestamp: iso(nowMs - 95 * 60_000),
    lastTimestamp: iso(nowMs - 2 * 60_000),
    source: { component: "default-scheduler" },
  });
  state.putSystemObject({
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: "llama-finetune-worker-0.1801f2a3b4c5d6f0", namespace: "ml-research" },
    involvedObject: { apiVersion: "v1", kind: "Pod", name: "llama-finetune-worker-0", namespace: "ml-research" },
    reason: "NotTriggerScaleUp",
    type: "Normal",
    message: "pod didn't trigger scale-up: 1 max node group size reached",
    count: 12,
    firstTimestamp: iso(nowMs - 94 * 60_000),
    lastTimestamp: iso(nowMs - 3 * 60_000),
    source: { component: "cluster-autoscaler" },
  });
}

export function seedDemoState(double: KubernetesApiDouble, nowMs: number) {
  const { state } = double;
  const def = (apiVersion: string, kind: string) => state.findByKind(apiVersion, kind)!;
  const apply = (obj: K8sObject, manager = "platform-bootstrap") => {
    const reply = state.apply(
      def(String(obj.apiVersion), String(obj.kind)),
      obj.metadata.namespace as string | undefined,
      String(obj.metadata.name),
      obj,
      {
        manager,
        force: true,
        dryRun: false,
      },
    );
    if (reply.code >= 300)
      throw new Error(`seeding ${obj.kind} ${obj.metadata.name} failed: ${JSON.stringify(reply.body)}`);
  };
  for (const name of ["ml-inference", "ml-training", "ml-research", "velero"]) {
    apply({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, labels: { "portal.example.com/sandbox": "true" } },
    });
  }
  // status.used is computed by the simulated quota controller from the pods (llm-server's 2 pods use 2 GPUs).
  // ml-training holds the form's default training job (4 nodes x 8 GPUs = 32): a new user's first request with
  // every field as it is must fit the demo cluster, as it would fit a real training namespace sized for that job.
  for (const [namespace, hard] of [
    ["ml-inference", "8"],
    ["ml-training", "32"],
  ]) {
    apply({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "gpu-quota", namespace },
      spec: { hard: { "requests.nvidia.com/gpu": hard, "limits.nvidia.com/gpu": hard } },
    });
  }
  seedNodesAndScheduling(double, nowMs);
  // Two revisions rolled out in the past, so the demo starts settled: pods Ready, GPU quota usage counted.
  const hour = 3600_000;
  apply(llmServer("vllm/vllm-openai:v0.6.2"), "kubectl");
  double.controls.reconcile(nowMs - 48 * hour);
  apply(llmServer("vllm/vllm-openai:v0.6.3"), "kubectl");
  double.controls.reconcile(nowMs - 24 * hour);
  double.controls.reconcile(nowMs);
  // A volume of model-server data: data_loss drills write a canary file into it and expect it back after a restore.
  apply({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "model-cache", namespace: "ml-inference" },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } },
  });
  // The model server's Service: the drills' in-cluster probe reaches llm-server through it.
  apply({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "llm-server", namespace: "ml-inference", labels: { app: "llm-server" } },
    spec: { selector: { app: "llm-server" }, ports: [{ name: "http", port: 8000, targetPort: 8000 }] },
  });
  apply({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "llm-server-config", namespace: "ml-inference" },
    data: { MODEL_ID: "meta-llama/Llama-3.1-8B-Instruct", MAX_BATCH: "32" },
  });
  apply({
    apiVersion: "velero.io/v1",
    kind: "BackupStorageLocation",
    metadata: { name: "default", namespace: "velero" },
    spec: {
      provider: "aws",
      default: true,
      objectStorage: { bucket: "sandbox-velero-backups" },
      config: { region: "us-east-1" },
    },
  });
  // The schedules behind the backups: daily, and every 2 minutes with a 1-hour TTL, so the data_loss and
  // cluster_failure drills (which wait for the next scheduled backup after their canary) wait minutes, not a day.
  const template = { includedNamespaces: ["ml-inference"], storageLocation: "default", defaultVolumesToFsBackup: true };
  apply({
    apiVersion: "velero.io/v1",
    kind: "Schedule",
    metadata: { name: "daily-ml-inference", namespace: "velero" },
    spec: { schedule: "0 3 * * *", template: { ...template, ttl: "720h0m0s" } },
  });
  apply({
    apiVersion: "velero.io/v1",
    kind: "Schedule",
    metadata: { name: "ml-inference-frequent", namespace: "velero" },
    spec: { schedule: "*/2 * * * *", template: { ...template, ttl: "1h0m0s" } },
  });
  double.controls.seedCompletedBackup(
    {
      apiVersion: "velero.io/v1",
      kind: "Backup",
      metadata: {
        name: "daily-ml-inference-seed",
        namespace: "velero",
        labels: { "velero.io/schedule-name": "daily-ml-inference", "velero.io/storage-location": "default" },
      },
      spec: { includedNamespaces: ["ml-inference"], storageLocation: "default", ttl: "720h0m0s" },
    },
    nowMs - 3 * hour,
    nowMs - 3 * hour + 4 * 60_000,
  );
  // The schedule's latest run, 25 minutes old: inside model_corruption's 60-minute RPO, so the demo drill can pass.
  double.controls.seedCompletedBackup(
    {
      apiVersion: "velero.io/v1",
      kind: "Backup",
      metadata: {
        name: "daily-ml-inference-latest",
        namespace: "velero",
        labels: { "velero.io/schedule-name": "daily-ml-inference", "velero.io/storage-location": "default" },
      },
      spec: { includedNamespaces: ["ml-inference"], storageLocation: "default", ttl: "720h0m0s" },
    },
    nowMs - 25 * 60_000,
    nowMs - 21 * 60_000,
  );
}

export const standbyContextName = "sandbox-standby";

/** The standby cluster: Velero installed and pointing at the sandbox's bucket, nothing else yet. */
export function seedStandbyState(double: KubernetesApiDouble) {
  double.state.putSystemObject({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "velero", labels: { "kubernetes.io/metadata.name": "velero" } },
    status: { phase: "Active" },
  });
  double.state.putSystemObject({
    apiVersion: "velero.io/v1",
    kind: "BackupStorageLocation",
    metadata: { name: "default", namespace: "velero" },
    spec: {
      provider: "aws",
      default: true,
      objectStorage: { bucket: "sandbox-velero-backups" },
      config: { region: "us-west-2" },
    },
  });
}
