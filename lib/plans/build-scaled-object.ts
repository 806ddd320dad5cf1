// KEDA scalers: queue depth, GPU utilization and p99 latency for inference; queue length for batch (ScaledJob);
// consumer lag for streaming.
import type { KubernetesObject } from "@/lib/k8s/types";
import { referenceInferenceBehavior, type PlanHpaBehavior } from "./hpa-behavior-schema";
import { batchJobTemplate, batchWorkerName, streamConsumerName } from "./build-queue-workers";
import { labelsFor, type PlanContext } from "./plan-context";

/** The PromQL each inference trigger runs, exported so runbooks show the very same queries. */
export function inferenceQueries(ctx: PlanContext) {
  const ns = ctx.input.namespaces.inference;
  const name = ctx.input.model_server.name;
  return {
    // A gauge of waiting requests; the reference used rate() of a counter, which measures arrivals, not a queue.
    queueDepth: `sum(nv_inference_pending_request_count{namespace="${ns}", pod=~"${name}-.*"})`,
    gpuUtilization: `avg(DCGM_FI_DEV_GPU_UTIL{namespace="${ns}", pod=~"${name}-.*"})`,
    latencyP99Ms: `histogram_quantile(0.99, sum by (le) (rate(inference_request_duration_seconds_bucket{namespace="${ns}", service="${name}"}[5m]))) * 1000`,
  };
}

/**
 * The HPA behavior KEDA passes on: the plan's own (every field filled by the schema, so the object says exactly
 * what the HPA does), or the reference design's when the plan has none.
 */
export function inferenceBehavior(behavior: PlanHpaBehavior | undefined) {
  if (!behavior) return structuredClone(referenceInferenceBehavior);
  const rules = (r: PlanHpaBehavior["scaleUp"]) => ({
    stabilizationWindowSeconds: r.stabilizationWindowSeconds,
    selectPolicy: r.selectPolicy,
    policies: r.policies.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })),
  });
  return { scaleUp: rules(behavior.scaleUp), scaleDown: rules(behavior.scaleDown) };
}

export function buildInferenceScaledObject(ctx: PlanContext): KubernetesObject {
  const { input } = ctx;
  const a = input.autoscaling;
  const s = input.scale_requirements;
  const q = inferenceQueries(ctx);
  const prometheus = (metricName: string, query: string, threshold: number, metricType: "AverageValue" | "Value") => ({
    type: "prometheus",
    name: metricName,
    // Value compares the query result as is (already an average or a percentile); AverageValue divides it by replicas.
    metricType,
    metadata: { serverAddress: a.prometheus_address, query, threshold: String(threshold) },
  });
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: `${input.model_server.name}-scaler`, namespace: input.namespaces.inference, labels: labelsFor(ctx, input.model_server.name) },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: input.model_server.name },
      pollingInterval: a.polling_interval_seconds,
      cooldownPeriod: a.cooldown_seconds,
      minReplicaCount: s.min_replicas,
      maxReplicaCount: s.max_replicas,
      triggers: [
        prometheus("queue-depth", q.queueDepth, a.queue_depth_threshold, "AverageValue"),
        prometheus("gpu-utilization", q.gpuUtilization, Math.round(s.target_gpu_utilization * 100), "Value"),
        prometheus("latency-p99-ms", q.latencyP99Ms, a.latency_p99_ms_threshold, "Value"),
      ],
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: inferenceBehavior(a.behavior),
        },
      },
    },
  };
}

export function buildBatchScaledJob(ctx: PlanContext): KubernetesObject {
  const { input } = ctx;
  const a = input.autoscaling;
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledJob",
    metadata: { name: `${batchWorkerName}-scaler`, namespace: input.namespaces.batch, labels: labelsFor(ctx, batchWorkerName) },
    spec: {
      jobTargetRef: batchJobTemplate(ctx),
      pollingInterval: a.polling_interval_seconds,
      minReplicaCount: input.scale_requirements.min_replicas,
      maxReplicaCount: input.scale_requirements.max_replicas,
      successfulJobsHistoryLimit: 5,
      failedJobsHistoryLimit: 5,
      scalingStrategy: { strategy: "accurate" },
      triggers: [
        {
          type: "prometheus",
          name: "batch-queue-length",
          metadata: {
            serverAddress: a.prometheus_address,
            query: `sum(ml_batch_queue_depth{queue="${input.cluster_name}-batch"})`,
            threshold: String(a.queue_depth_threshold),
          },
        },
      ],
    },
  };
}

export function buildStreamingScaledObject(ctx: PlanContext): KubernetesObject {
  const { input } = ctx;
  const a = input.autoscaling;
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: `${streamConsumerName}-scaler`, namespace: input.namespaces.streaming, labels: labelsFor(ctx, streamConsumerName) },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: streamConsumerName },
      pollingInterval: a.polling_interval_seconds,
      cooldownPeriod: a.cooldown_seconds,
      minReplicaCount: input.scale_requirements.min_replicas,
      maxReplicaCount: input.scale_requirements.max_replicas,
      triggers: [
        {
          type: "kafka",
          name: "consumer-lag",
          metadata: {
            bootstrapServers: a.kafka_bootstrap_servers,
            consumerGroup: a.kafka_consumer_group,
            topic: a.kafka_topic,
            lagThreshold: String(a.kafka_lag_threshold),
            // More consumers than partitions sit idle; KEDA caps replicas at the partition count.
            allowIdleConsumers: "false",
          },
        },
      ],
    },
  };
}
