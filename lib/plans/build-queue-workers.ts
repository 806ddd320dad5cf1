// Pod templates for the batch and streaming workloads; the scalers in build-scaled-object.ts wrap them.
import type { KubernetesObject } from "@/lib/k8s/types";
import { identityPodLabels, serviceAccountName } from "./build-model-server";
import { labelsFor, podShareOfNode, restrictedContainerSecurityContext, restrictedPodSecurityContext, schedulingFor, type PlanContext } from "./plan-context";

export const batchWorkerName = "batch-inference";
export const streamConsumerName = "stream-consumer";

function workerPodSpec(ctx: PlanContext, name: string, env: { name: string; value: string }[], restartPolicy?: "Never" | "OnFailure") {
  const ms = ctx.input.model_server;
  const workers = ctx.input.workers;
  const share = podShareOfNode(ctx.input, ctx.workloadPool, 0.9);
  return {
    ...(restartPolicy ? { restartPolicy } : {}),
    serviceAccountName: serviceAccountName(ctx, name),
    automountServiceAccountToken: false,
    securityContext: restrictedPodSecurityContext,
    ...schedulingFor(ctx.input, ctx.workloadPool),
    containers: [
      {
        name: "worker",
        // The model server's image serves only through its own server binary: without a command of its own the
        // Deployment crash-loops and a Job "succeeds" doing nothing.
        image: workers.image ?? ms.image,
        command: workers.command,
        env,
        resources: {
          requests: { cpu: share.cpu, memory: share.memory, "nvidia.com/gpu": String(ms.gpus_per_replica) },
          limits: { memory: share.memory, "nvidia.com/gpu": String(ms.gpus_per_replica) },
        },
        securityContext: restrictedContainerSecurityContext,
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      },
    ],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "5Gi" } }],
  };
}

/** The Job template a ScaledJob (or a one-off run) starts for each batch of queued work. */
export function batchJobTemplate(ctx: PlanContext) {
  return {
    backoffLimit: 2,
    activeDeadlineSeconds: 6 * 3600,
    template: {
      metadata: { labels: { ...labelsFor(ctx, batchWorkerName, { "app.kubernetes.io/component": "batch-worker" }), ...identityPodLabels(ctx) } },
      spec: workerPodSpec(ctx, batchWorkerName, [{ name: "QUEUE_NAME", value: `${ctx.input.cluster_name}-batch` }], "OnFailure"),
    },
  };
}

export function buildBatchJob(ctx: PlanContext): KubernetesObject {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: batchWorkerName, namespace: ctx.input.namespaces.batch, labels: labelsFor(ctx, batchWorkerName) },
    spec: { ...batchJobTemplate(ctx), parallelism: Math.max(1, ctx.input.scale_requirements.min_replicas), completions: Math.max(1, ctx.input.scale_requirements.min_replicas) },
  };
}

export function buildStreamConsumer(ctx: PlanContext): KubernetesObject {
  const a = ctx.input.autoscaling;
  const selector = { "app.kubernetes.io/name": streamConsumerName, "app.kubernetes.io/component": "stream-consumer" };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: streamConsumerName, namespace: ctx.input.namespaces.streaming, labels: labelsFor(ctx, streamConsumerName) },
    spec: {
      replicas: Math.max(1, ctx.input.scale_requirements.min_replicas),
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...labelsFor(ctx, streamConsumerName, { "app.kubernetes.io/component": "stream-consumer" }), ...identityPodLabels(ctx) } },
        spec: workerPodSpec(ctx, streamConsumerName, [
          { name: "KAFKA_BOOTSTRAP_SERVERS", value: a.kafka_bootstrap_servers },
          { name: "KAFKA_TOPIC", value: a.kafka_topic },
          { name: "KAFKA_CONSUMER_GROUP", value: a.kafka_consumer_group },
        ]),
      },
    },
  };
}
