// The sandbox cluster's starting point for the demo: two ML namespaces with GPU quotas, an inference
// Deployment with two revisions (so "roll back" has somewhere to go), completed Velero backups and the schedules
// that make them; and the standby cluster's Velero, on the same bucket, where cluster_failure restores.
import type { KubernetesApiDouble } from "./kubernetes-api-double";
import type { K8sObject } from "./managed-fields";

const llmServer = (image: string): K8sObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "llm-server", namespace: "ml-inference", labels: { app: "llm-server", "app.kubernetes.io/part-of": "inference" } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "llm-server" } },
    template: {
      metadata: { labels: { app: "llm-server" }, annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "8000" } },
      spec: {
        containers: [
          {
            name: "server",
            image,
            ports: [{ containerPort: 8000, name: "http" }],
            resources: { limits: { "nvidia.com/gpu": "1" }, requests: { "nvidia.com/gpu": "1", cpu: "4", memory: "24Gi" } },
          },
        ],
      },
    },
  },
});

export function seedDemoState(double: KubernetesApiDouble, nowMs: number) {
  const { state } = double;
  const def = (apiVersion: string, kind: string) => state.findByKind(apiVersion, kind)!;
  const apply = (obj: K8sObject, manager = "platform-bootstrap") => {
    const reply = state.apply(def(String(obj.apiVersion), String(obj.kind)), obj.metadata.namespace as string | undefined, String(obj.metadata.name), obj, {
      manager,
      force: true,
      dryRun: false,
    });
    if (reply.code >= 300) throw new Error(`seeding ${obj.kind} ${obj.metadata.name} failed: ${JSON.stringify(reply.body)}`);
  };
  for (const name of ["ml-inference", "ml-training", "velero"]) {
    apply({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "portal.example.com/sandbox": "true" } } });
  }
  // status.used is computed by the simulated quota controller from the pods (llm-server's 2 pods use 2 GPUs).
  // ml-training holds the form's default training job (4 nodes x 8 GPUs = 32): a new user's first request with
  // every field as it is must fit the demo cluster, as it would fit a real training namespace sized for that job.
  for (const [namespace, hard] of [["ml-inference", "8"], ["ml-training", "32"]]) {
    apply({ apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "gpu-quota", namespace }, spec: { hard: { "requests.nvidia.com/gpu": hard, "limits.nvidia.com/gpu": hard } } });
  }
  // Two revisions rolled out in the past, so the demo starts settled: pods Ready, GPU quota usage counted.
  const hour = 3600_000;
  apply(llmServer("vllm/vllm-openai:v0.6.2"), "kubectl");
  double.controls.reconcile(nowMs - 48 * hour);
  apply(llmServer("vllm/vllm-openai:v0.6.3"), "kubectl");
  double.controls.reconcile(nowMs - 24 * hour);
  double.controls.reconcile(nowMs);
  // A volume of model-server data: data_loss drills write a canary file into it and expect it back after a restore.
  apply({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "model-cache", namespace: "ml-inference" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } } });
  // The model server's Service: the drills' in-cluster probe reaches llm-server through it.
  apply({ apiVersion: "v1", kind: "Service", metadata: { name: "llm-server", namespace: "ml-inference", labels: { app: "llm-server" } }, spec: { selector: { app: "llm-server" }, ports: [{ name: "http", port: 8000, targetPort: 8000 }] } });
  apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "llm-server-config", namespace: "ml-inference" }, data: { MODEL_ID: "meta-llama/Llama-3.1-8B-Instruct", MAX_BATCH: "32" } });
  apply({
    apiVersion: "velero.io/v1",
    kind: "BackupStorageLocation",
    metadata: { name: "default", namespace: "velero" },
    spec: { provider: "aws", default: true, objectStorage: { bucket: "sandbox-velero-backups" }, config: { region: "us-east-1" } },
  });
  // The schedules behind the backups: daily, and every 2 minutes with a 1-hour TTL, so the data_loss and
  // cluster_failure drills (which wait for the next scheduled backup after their canary) wait minutes, not a day.
  const template = { includedNamespaces: ["ml-inference"], storageLocation: "default", defaultVolumesToFsBackup: true };
  apply({ apiVersion: "velero.io/v1", kind: "Schedule", metadata: { name: "daily-ml-inference", namespace: "velero" }, spec: { schedule: "0 3 * * *", template: { ...template, ttl: "720h0m0s" } } });
  apply({ apiVersion: "velero.io/v1", kind: "Schedule", metadata: { name: "ml-inference-frequent", namespace: "velero" }, spec: { schedule: "*/2 * * * *", template: { ...template, ttl: "1h0m0s" } } });
  double.controls.seedCompletedBackup(
    {
      apiVersion: "velero.io/v1",
      kind: "Backup",
      metadata: { name: "daily-ml-inference-seed", namespace: "velero", labels: { "velero.io/schedule-name": "daily-ml-inference", "velero.io/storage-location": "default" } },
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
      metadata: { name: "daily-ml-inference-latest", namespace: "velero", labels: { "velero.io/schedule-name": "daily-ml-inference", "velero.io/storage-location": "default" } },
      spec: { includedNamespaces: ["ml-inference"], storageLocation: "default", ttl: "720h0m0s" },
    },
    nowMs - 25 * 60_000,
    nowMs - 21 * 60_000,
  );
}

export const standbyContextName = "sandbox-standby";

/** The standby cluster: Velero installed and pointing at the sandbox's bucket, nothing else yet. */
export function seedStandbyState(double: KubernetesApiDouble) {
  double.state.putSystemObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "velero", labels: { "kubernetes.io/metadata.name": "velero" } }, status: { phase: "Active" } });
  double.state.putSystemObject({
    apiVersion: "velero.io/v1",
    kind: "BackupStorageLocation",
    metadata: { name: "default", namespace: "velero" },
    spec: { provider: "aws", default: true, objectStorage: { bucket: "sandbox-velero-backups" }, config: { region: "us-west-2" } },
  });
}
