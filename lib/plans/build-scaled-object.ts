// KEDA scalers: queue depth, GPU utilization and p99 latency for inference (plus, when the plan sets them, the
// leading indicators: concurrency, arrival rate and KV-cache use per replica); queue length for batch (ScaledJob);
// consumer lag for streaming.
import type { KubernetesObject } from "@/lib/k8s/types";
import { referenceInferenceBehavior, type PlanHpaBehavior } from "./hpa-behavior-schema";
import { batchJobTemplate, batchWorkerName, streamConsumerName } from "./build-queue-workers";
import { metricsPortName } from "./build-model-server";
import { labelsFor, type PlanContext } from "./plan-context";
import {
  metricDefinition,
  modelServerMetricsPath,
  scrapeIntervalSeconds,
  type LatencyKind,
  type ModelServerKind,
} from "@/lib/scaling/metric-definitions";

/** The model server the plan runs, as the autoscaling queries and the PodMonitor see it. */
export function planModelServerKind(ctx: PlanContext): ModelServerKind {
  return ctx.input.model_server.server;
}

/**
 * The PromQL each inference trigger runs, from the one definition the simulator also uses
 * (lib/scaling/metric-definitions.ts); exported so runbooks show the very same queries.
 */
export function inferenceQueries(ctx: PlanContext) {
  const selector = { namespace: ctx.input.namespaces.inference, deployment: ctx.input.model_server.name };
  const server = planModelServerKind(ctx);
  return {
    queueDepth: metricDefinition("queue_depth", server).query(selector),
    gpuUtilization: metricDefinition("gpu_utilization", server).query(selector),
    latencyP99Ms: metricDefinition("p99_latency_ms", server, planLatencyKind).query(selector),
  };
}

// The latency a vLLM plan's trigger reads: time to first token, which the replica count moves (decode time is
// the model's, whatever the count). The simulator's default SLO latency is the same.
export const planLatencyKind: LatencyKind = "ttft";

/**
 * Makes the Prometheus Operator scrape the model server's metrics port on every pod, every scrape interval the
 * simulator assumes, so the series the triggers query exist.
 */
export function buildModelServerPodMonitor(ctx: PlanContext): KubernetesObject {
  const { input } = ctx;
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: {
      name: input.model_server.name,
      namespace: input.namespaces.inference,
      labels: labelsFor(ctx, input.model_server.name),
    },
    spec: {
      selector: {
        matchLabels: {
          "app.kubernetes.io/name": input.model_server.name,
          "app.kubernetes.io/component": "model-server",
        },
      },
      podMetricsEndpoints: [
        {
          port: metricsPortName(input.model_server),
          path: modelServerMetricsPath,
          interval: `${scrapeIntervalSeconds}s`,
        },
      ],
    },
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
  const server = planModelServerKind(ctx);
  const selector = { namespace: input.namespaces.inference, deployment: input.model_server.name };
  // The schema refuses a vLLM-only trigger on a Triton plan, so each set threshold has a definition.
  const leadingTriggers = [
    ["concurrency_per_replica", "concurrency-per-replica", a.concurrency_per_replica_threshold],
    ["arrival_rate_per_replica", "arrival-rate-per-replica", a.arrival_rate_per_replica_threshold],
    ["kv_cache_usage_percent", "kv-cache-usage-percent", a.kv_cache_usage_percent_threshold],
  ] as const;
  const prometheus = (metricName: string, query: string, threshold: number, metricType: "AverageValue" | "Value") => ({
    type: "prometheus",
    name: metricName,
    // Value compares the query result as is (already an average or a percentile); AverageValue divides it by replicas.
    metricType,
    // An empty result is an error, not 0: a query that matches nothing (a renamed series, a missing scrape)
    // then shows as a failing scaler and triggers the fallback instead of silently holding the minimum.
    metadata: { serverAddress: a.prometheus_address, query, threshold: String(threshold), ignoreNullValues: "false" },
  });
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: {
      name: `${input.model_server.name}-scaler`,
      namespace: input.namespaces.inference,
      labels: labelsFor(ctx, input.model_server.name),
    },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: input.model_server.name },
      pollingInterval: a.polling_interval_seconds,
      cooldownPeriod: a.cooldown_seconds,
      minReplicaCount: s.min_replicas,
      maxReplicaCount: s.max_replicas,
      // After three failed polls KEDA keeps the current count (never below min): a Prometheus outage neither
      // shrinks the deployment nor, at 0 replicas, is read as "idle". The ScaledObject's Fallback condition says so.
      // KEDA applies it to the Value-type triggers below only from 2.18, which the plan's requirements ask for.
      fallback: { failureThreshold: 3, replicas: Math.max(1, s.min_replicas), behavior: "currentReplicasIfHigher" },
      triggers: [
        prometheus(
          "queue-depth",
          q.queueDepth,
          a.queue_depth_threshold,
          metricDefinition("queue_depth", server).metricType,
        ),
        prometheus(
          "gpu-utilization",
          q.gpuUtilization,
          Math.max(1, Math.round(s.target_gpu_utilization * 100)),
          metricDefinition("gpu_utilization", server).metricType,
        ),
        prometheus(
          "latency-p99-ms",
          q.latencyP99Ms,
          a.latency_p99_ms_threshold,
          metricDefinition("p99_latency_ms", server, planLatencyKind).metricType,
        ),
        ...leadingTriggers.flatMap(([trigger, name, threshold]) => {
          if (threshold === undefined) return [];
          const definition = metricDefinition(trigger, server);
          return [prometheus(name, definition.query(selector), threshold, definition.metricType)];
        }),
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
    metadata: {
      name: `${batchWorkerName}-scaler`,
      namespace: input.namespaces.batch,
      labels: labelsFor(ctx, batchWorkerName),
    },
    spec: {
      jobTargetRef: batchJobTemplate(ctx),
      pollingInterval: a.polling_interval_seconds,
      // Jobs, not replicas: each Job drains the queue and exits, so an empty queue needs no Job. A floor above 0
      // would keep starting Jobs that find nothing to pop (KEDA's ScaledJob CRD allows minReplicaCount 0).
      minReplicaCount: 0,
      maxReplicaCount: input.scale_requirements.max_replicas,
      successfulJobsHistoryLimit: 5,
      failedJobsHistoryLimit: 5,
      scalingStrategy: { strategy: "accurate" },
      // The Redis list the workers pop: KEDA reads its length directly, so the trigger measures the very queue
      // the Jobs drain (no exporter in between).
      triggers: [
        {
          type: "redis",
          name: "batch-queue-length",
          metadata: {
            address: input.autoscaling.redis_address,
            listName: input.autoscaling.batch_queue,
            listLength: String(a.queue_depth_threshold),
            activationListLength: "0",
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
    metadata: {
      name: `${streamConsumerName}-scaler`,
      namespace: input.namespaces.streaming,
      labels: labelsFor(ctx, streamConsumerName),
    },
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
