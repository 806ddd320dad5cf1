// Pod templates for the batch and streaming workloads; the scalers in build-scaled-object.ts wrap them. Each pod
// runs the chosen model server as a native sidecar (an init container with restartPolicy Always, so a Job
// completes when its consumer exits) and a consumer that feeds it one request at a time: from the Redis list the
// batch ScaledJob measures, or from the Kafka topic the streaming ScaledObject measures.
import type { KubernetesObject } from "@/lib/k8s/types";
import { identityPodLabels, localInferenceUrl, modelServerContainer, serviceAccountName } from "./build-model-server";
import {
  labelsFor,
  podShareOfNode,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  schedulingFor,
  sharedStorageClass,
  writableHome,
  type PlanContext,
} from "./plan-context";

export const batchWorkerName = "batch-inference";

/** Pod annotations that keep node scale-down (Karpenter, the cluster autoscaler) from evicting a working pod. */
export const workingPodAnnotations = {
  "karpenter.sh/do-not-disrupt": "true",
  "cluster-autoscaler.kubernetes.io/safe-to-evict": "false",
};
export const streamConsumerName = "stream-consumer";

// Consumer images with the client the loop needs (redis-cli, kcat) and BusyBox sh and wget.
export const redisConsumerImage = "redis:7.4.1-alpine";
export const kafkaConsumerImage = "edenhill/kcat:1.7.1";

// A reliable queue: each request moves atomically (LMOVE) from the list the ScaledJob measures into this pod's own
// processing list, and leaves it only once its answer is on <queue>:results, so a pod that dies mid-request (a
// node reclaimed, an OOM kill) loses nothing. A pod announces it is alive with a key that expires 60 s after its
// last heartbeat; each pod first hands the requests of pods whose key has expired back to the queue. A request the
// server refuses goes back on the queue too and the pod fails, so the Job retries it within backoffLimit; the pod
// ends when the queue is empty (the Job then completes). Delivery is at least once: a pod that dies between
// pushing an answer and acknowledging its request leaves that request to be answered again.
export const redisLoop = `set -u
r() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --raw "$@"; }
processing="$QUEUE_NAME:processing:$POD_NAME"
r SET "$QUEUE_NAME:alive:$POD_NAME" 1 EX 60 >/dev/null || exit 1
(while sleep 20; do r SET "$QUEUE_NAME:alive:$POD_NAME" 1 EX 60; done) >/dev/null 2>&1 &
trap 'kill $! 2>/dev/null' EXIT
for list in $(r --scan --pattern "$QUEUE_NAME:processing:*"); do
  [ "$(r EXISTS "$QUEUE_NAME:alive:\${list##*:processing:}")" = 0 ] || continue
  while [ -n "$(r LMOVE "$list" "$QUEUE_NAME" LEFT RIGHT)" ]; do :; done
done
while :; do
  item=$(r LMOVE "$QUEUE_NAME" "$processing" LEFT LEFT) || exit 1
  [ -n "$item" ] || break
  if ! result=$(printf '%s' "$item" | wget -q -O- --header 'Content-Type: application/json' --post-file=/dev/stdin "$MODEL_URL"); then
    r LMOVE "$processing" "$QUEUE_NAME" LEFT RIGHT >/dev/null
    exit 1
  fi
  printf '%s' "$result" | r -x RPUSH "$QUEUE_NAME:results" >/dev/null || exit 1
  r DEL "$processing" >/dev/null || exit 1
done
r DEL "$processing" >/dev/null`;

// Reads the topic in the consumer group KEDA measures the lag of and posts each message to the model server; a
// refused message ends the pod (the Deployment restarts it and the group redelivers from the last commit).
const kafkaLoop = `set -u
kcat -b "$KAFKA_BOOTSTRAP_SERVERS" -G "$KAFKA_CONSUMER_GROUP" -q -u -f '%s\\n' "$KAFKA_TOPIC" | while IFS= read -r message; do
  printf '%s' "$message" | wget -q -O /dev/null --header 'Content-Type: application/json' --post-file=/dev/stdin "$MODEL_URL" || exit 1
done`;

/** host and port of a "host:port" address. */
export function hostPort(address: string, defaultPort: number): { host: string; port: number; namespace: string } {
  const [host = "", port] = address.split(",")[0]!.split(":");
  const parts = host.split(".");
  return { host, port: Number(port) || defaultPort, namespace: parts[1] ?? host };
}

export function modelsClaimName(name: string): string {
  return `${name}-models`;
}

/** The models volume of a worker's model server (ReadWriteMany: every worker pod reads the same models). */
export function buildWorkerModelsClaim(ctx: PlanContext, name: string, namespace: string): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: modelsClaimName(name), namespace, labels: labelsFor(ctx, name) },
    spec: {
      accessModes: ["ReadWriteMany"],
      storageClassName: sharedStorageClass[ctx.input.cloud_provider],
      resources: { requests: { storage: "200Gi" } },
    },
  };
}

function workerPodSpec(
  ctx: PlanContext,
  name: string,
  consumer: { image: string; script: string },
  env: ({ name: string; value: string } | { name: string; valueFrom: { fieldRef: { fieldPath: string } } })[],
  restartPolicy?: "Never" | "OnFailure",
) {
  const ms = ctx.input.model_server;
  const workers = ctx.input.workers;
  const share = podShareOfNode(ctx.input, ctx.workloadPool, 0.9);
  const gpus = String(ms.gpus_per_replica);
  return {
    ...(restartPolicy ? { restartPolicy } : {}),
    serviceAccountName: serviceAccountName(ctx, name),
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurityContext,
    ...schedulingFor(ctx.input, ctx.workloadPool),
    initContainers: [
      {
        ...modelServerContainer(ms),
        // A native sidecar: starts first, its startup probe gates the consumer, and it stops when the consumer exits.
        restartPolicy: "Always",
        resources: {
          requests: { cpu: share.cpu, memory: share.memory, "nvidia.com/gpu": gpus },
          limits: { memory: share.memory, "nvidia.com/gpu": gpus },
        },
      },
    ],
    containers: [
      {
        name: "consumer",
        image: workers.image ?? consumer.image,
        command: workers.command ?? ["sh", "-c", consumer.script],
        env: [...env, { name: "MODEL_URL", value: localInferenceUrl(ms) }, ...writableHome.env],
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } },
        securityContext: restrictedContainerSecurityContext,
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, writableHome.mount],
      },
    ],
    volumes: [
      { name: "models", persistentVolumeClaim: { claimName: modelsClaimName(name), readOnly: true } },
      { name: "tmp", emptyDir: { sizeLimit: "5Gi" } },
      writableHome.volume,
    ],
  };
}

/** The Job template a ScaledJob (or a one-off run) starts for each batch of queued work. */
export function batchJobTemplate(ctx: PlanContext) {
  const redis = hostPort(ctx.input.autoscaling.redis_address, 6379);
  return {
    backoffLimit: 2,
    activeDeadlineSeconds: 6 * 3600,
    template: {
      metadata: {
        labels: {
          ...labelsFor(ctx, batchWorkerName, { "app.kubernetes.io/component": "batch-worker" }),
          ...identityPodLabels(ctx),
        },
        // A worker pod lives only while it drains the queue: Karpenter's consolidation and the cluster autoscaler's
        // scale-down leave its node alone until it ends, instead of evicting it mid-request.
        annotations: workingPodAnnotations,
      },
      spec: workerPodSpec(
        ctx,
        batchWorkerName,
        { image: redisConsumerImage, script: redisLoop },
        [
          { name: "REDIS_HOST", value: redis.host },
          { name: "REDIS_PORT", value: String(redis.port) },
          { name: "QUEUE_NAME", value: ctx.input.autoscaling.batch_queue },
          // Names the pod's processing list and heartbeat.
          { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        ],
        "OnFailure",
      ),
    },
  };
}

export function buildBatchJob(ctx: PlanContext): KubernetesObject {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: batchWorkerName, namespace: ctx.input.namespaces.batch, labels: labelsFor(ctx, batchWorkerName) },
    spec: {
      ...batchJobTemplate(ctx),
      parallelism: Math.max(1, ctx.input.scale_requirements.min_replicas),
      completions: Math.max(1, ctx.input.scale_requirements.min_replicas),
    },
  };
}

export function buildStreamConsumer(ctx: PlanContext): KubernetesObject {
  const a = ctx.input.autoscaling;
  const selector = { "app.kubernetes.io/name": streamConsumerName, "app.kubernetes.io/component": "stream-consumer" };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: streamConsumerName,
      namespace: ctx.input.namespaces.streaming,
      labels: labelsFor(ctx, streamConsumerName),
    },
    spec: {
      replicas: Math.max(1, ctx.input.scale_requirements.min_replicas),
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels: {
            ...labelsFor(ctx, streamConsumerName, { "app.kubernetes.io/component": "stream-consumer" }),
            ...identityPodLabels(ctx),
          },
        },
        spec: workerPodSpec(ctx, streamConsumerName, { image: kafkaConsumerImage, script: kafkaLoop }, [
          { name: "KAFKA_BOOTSTRAP_SERVERS", value: a.kafka_bootstrap_servers },
          { name: "KAFKA_TOPIC", value: a.kafka_topic },
          { name: "KAFKA_CONSUMER_GROUP", value: a.kafka_consumer_group },
        ]),
      },
    },
  };
}
