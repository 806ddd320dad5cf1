// One definition per trigger type and model server: the PromQL the plan engine's ScaledObject runs
// (lib/plans/build-scaled-object.ts) and the quantity the simulator computes for the same trigger
// (lib/scaling/simulate.ts), with the histogram buckets, window, scrape interval and adapter delay both
// share. Both import this file, so a threshold tuned in the simulator means the same thing in the cluster.
import { DomainError } from "@/lib/errors/domain-error";
import type { TriggerType } from "./schema";

export const modelServerKinds = ["vllm", "triton"] as const;
export type ModelServerKind = (typeof modelServerKinds)[number];

// Which latency an SLO (and a vLLM latency trigger) reads: time to first token or the whole request.
export const latencyKinds = ["ttft", "e2e"] as const;
export type LatencyKind = (typeof latencyKinds)[number];

// The PodMonitor's scrape interval (also the interval between the simulator's metric samples).
export const scrapeIntervalSeconds = 15;
// From a scrape to the HPA acting on it: Prometheus' ingestion and query evaluation, KEDA's metrics
// adapter answering the HPA's external-metrics call. A few seconds in a healthy cluster; taken as 5 s.
export const adapterDelaySeconds = 5;
// The rate() window of the latency queries: four scrapes, the shortest window rate() answers reliably
// (Prometheus needs two samples in it) with one scrape missed.
export const latencyWindowSeconds = 4 * scrapeIntervalSeconds;

// The rate() window of the arrival-rate trigger: a minute, the window the issue's leading indicator names and the
// one request-rate history uses. Prometheus answers it from the samples inside it, T - 45 s to T at a 15 s scrape.
export const rateWindowSeconds = 60;

// vLLM's histogram buckets in seconds (vllm/v1/metrics/loggers.py: histogram_time_to_first_token and
// the request_latency_buckets shared by e2e_request_latency_seconds).
export const vllmTtftBucketsSeconds = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0,
  640.0, 2560.0,
] as const;
export const vllmE2eBucketsSeconds = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0,
  7680.0,
] as const;

export interface MetricSelector {
  namespace: string;
  // The Deployment's name: its pods are "<name>-<hash>-<suffix>".
  deployment: string;
}

// What the simulator computes for a trigger, in the trigger's unit:
// - waiting: requests queued and not yet running, summed over the deployment's pods (a gauge read at the scrape).
// - gpu-busy: DCGM_FI_DEV_GPU_UTIL, the share of the scrape interval in which the GPU ran any kernel (any
//   sequence in the batch), in percent, averaged over the ready pods.
// - latency-quantile: histogram_quantile over the window's observations, interpolated inside these buckets.
// - latency-mean: the mean over the window (a duration counter divided by a request counter), in ms.
// - concurrency: requests running plus waiting, summed over the pods (two gauges read at the scrape).
// - completion-rate: requests finished per second over the window, as rate() over a counter answers it: the
//   increase between the first and last samples in the window over the time between them.
// - kv-cache: the share of each pod's KV cache in use, in percent, averaged over the ready pods (a gauge).
// Both read 0 for a window without requests; every quantity is missing (NaN) while no pod is ready.
export type SimulatedQuantity =
  | { kind: "waiting" }
  | { kind: "gpu-busy" }
  | { kind: "concurrency" }
  | { kind: "completion-rate"; windowSeconds: number }
  | { kind: "kv-cache" }
  | {
      kind: "latency-quantile";
      quantile: number;
      latency: LatencyKind;
      bucketsMs: readonly number[];
      windowSeconds: number;
    }
  | { kind: "latency-mean"; latency: LatencyKind; windowSeconds: number };

export interface TriggerMetricDefinition {
  trigger: TriggerType;
  server: ModelServerKind;
  metricType: "AverageValue" | "Value";
  // The series the query reads, each exactly as the server (or DCGM exporter) exports it.
  series: readonly string[];
  query(selector: MetricSelector): string;
  simulated: SimulatedQuantity;
  // How the page and the CLI name the quantity.
  describe: string;
}

const podMatcher = (s: MetricSelector) => `namespace="${s.namespace}", pod=~"${s.deployment}-.*"`;
const rateWindow = `${latencyWindowSeconds}s`;

// The DCGM exporter labels a GPU with the pod using it; scraped through a ServiceMonitor without honorLabels,
// those labels arrive as exported_namespace / exported_pod (the exporter's own namespace and pod take the plain
// names). The query accepts either spelling.
const dcgmQuery = (s: MetricSelector) =>
  `avg(DCGM_FI_DEV_GPU_UTIL{exported_namespace="${s.namespace}", exported_pod=~"${s.deployment}-.*"} or DCGM_FI_DEV_GPU_UTIL{${podMatcher(s)}})`;

// A window without requests has no latency: histogram_quantile and 0/0 answer NaN, which the HPA cannot use.
// Such a window reads 0 (nothing is waiting on the replicas); a window without the series at all stays empty,
// which KEDA (ignoreNullValues: false) reports as an error.
function withZeroWhenIdle(latency: string, requestCounter: string): string {
  return `(${latency} >= 0) or (sum(rate(${requestCounter}[${rateWindow}])) * 0)`;
}

const gpuDefinition = (server: ModelServerKind): TriggerMetricDefinition => ({
  trigger: "gpu_utilization",
  server,
  metricType: "Value",
  series: ["DCGM_FI_DEV_GPU_UTIL"],
  query: dcgmQuery,
  simulated: { kind: "gpu-busy" },
  describe: "GPU busy time (DCGM_FI_DEV_GPU_UTIL), average over ready pods, %",
});

function vllmLatency(latency: LatencyKind): TriggerMetricDefinition {
  const histogram = latency === "ttft" ? "vllm:time_to_first_token_seconds" : "vllm:e2e_request_latency_seconds";
  const buckets = latency === "ttft" ? vllmTtftBucketsSeconds : vllmE2eBucketsSeconds;
  return {
    trigger: "p99_latency_ms",
    server: "vllm",
    metricType: "Value",
    series: [`${histogram}_bucket`, `${histogram}_count`],
    query: (s) =>
      withZeroWhenIdle(
        `histogram_quantile(0.99, sum by (le) (rate(${histogram}_bucket{${podMatcher(s)}}[${rateWindow}]))) * 1000`,
        `${histogram}_count{${podMatcher(s)}}`,
      ),
    simulated: {
      kind: "latency-quantile",
      quantile: 0.99,
      latency,
      bucketsMs: buckets.map((b) => b * 1000),
      windowSeconds: latencyWindowSeconds,
    },
    describe: `p99 ${latency === "ttft" ? "time to first token" : "end-to-end latency"} over ${latencyWindowSeconds} s (${histogram}), ms`,
  };
}

// Triton's time-to-first-response histogram, in ms, with Triton's default buckets (docs/user_guide/metrics.md,
// "Histograms"). Triton exports it only with --metrics-config histogram_latencies=true (which the plan engine's
// Triton container passes: modelServerMetricsArgs) and only for decoupled (streaming) models, where the first
// response is the first token; for any other model a first response is the whole request.
export const tritonFirstResponseBucketsMs = [100, 500, 2000, 5000] as const;
const tritonHistogram = "nv_inference_first_response_histogram_ms";

// Triton's latency trigger: the p99 over that histogram. A model that does not export it (not decoupled) falls
// back to the mean request latency from Triton's always-on counters, so the trigger is never empty; the
// simulator computes the histogram's p99, so for such models the deployed reading is a mean, not a p99.
const tritonLatency: TriggerMetricDefinition = {
  trigger: "p99_latency_ms",
  server: "triton",
  metricType: "Value",
  series: [
    `${tritonHistogram}_bucket`,
    `${tritonHistogram}_count`,
    "nv_inference_request_duration_us",
    "nv_inference_request_success",
  ],
  query: (s) =>
    `${withZeroWhenIdle(`histogram_quantile(0.99, sum by (le) (rate(${tritonHistogram}_bucket{${podMatcher(s)}}[${rateWindow}])))`, `${tritonHistogram}_count{${podMatcher(s)}}`)} or ${withZeroWhenIdle(
      `sum(rate(nv_inference_request_duration_us{${podMatcher(s)}}[${rateWindow}])) / sum(rate(nv_inference_request_success{${podMatcher(s)}}[${rateWindow}])) / 1000`,
      `nv_inference_request_success{${podMatcher(s)}}`,
    )}`,
  simulated: {
    kind: "latency-quantile",
    quantile: 0.99,
    latency: "ttft",
    bucketsMs: tritonFirstResponseBucketsMs,
    windowSeconds: latencyWindowSeconds,
  },
  describe: `p99 time to first response over ${latencyWindowSeconds} s (${tritonHistogram}; the mean request latency for models that do not export it), ms`,
};

// Flags the model server needs so that it exports the series its trigger definitions read: Triton's latency
// histogram is off by default; vLLM exports its histograms unasked.
export function modelServerMetricsArgs(server: ModelServerKind): string[] {
  return server === "triton" ? ["--metrics-config=histogram_latencies=true"] : [];
}

const queueDefinition = (server: ModelServerKind): TriggerMetricDefinition => {
  const series = server === "vllm" ? "vllm:num_requests_waiting" : "nv_inference_pending_request_count";
  return {
    trigger: "queue_depth",
    server,
    metricType: "AverageValue",
    series: [series],
    query: (s) => `sum(${series}{${podMatcher(s)}})`,
    simulated: { kind: "waiting" },
    describe: `requests waiting (${series}), sum over pods; the threshold is per replica`,
  };
};

// Leading indicators: they rise with the load before latency does (a request counts from the moment it
// arrives), so a trigger on them can start a replica one start-up delay earlier than a latency trigger would.
// AverageValue targets: the query sums over the pods, the HPA divides by the replica count, so the threshold
// is per replica and the proposal is ceil(sum / threshold), whatever is still starting.

// vLLM's scheduler gauges (vllm/v1/metrics/loggers.py: gauge_scheduler_running, gauge_scheduler_waiting).
const vllmConcurrency: TriggerMetricDefinition = {
  trigger: "concurrency_per_replica",
  server: "vllm",
  metricType: "AverageValue",
  series: ["vllm:num_requests_running", "vllm:num_requests_waiting"],
  query: (s) => `sum(vllm:num_requests_running{${podMatcher(s)}}) + sum(vllm:num_requests_waiting{${podMatcher(s)}})`,
  simulated: { kind: "concurrency" },
  describe:
    "requests running and waiting (vllm:num_requests_running + vllm:num_requests_waiting), sum over pods; the threshold is per replica",
};

// Requests finished per second (vLLM's counter_request_success, Triton's nv_inference_request_success): the
// series request-rate history reads too. Finished, not arrived: it trails arrivals by a request's duration.
const arrivalRateDefinition = (server: ModelServerKind): TriggerMetricDefinition => {
  const counter = server === "vllm" ? "vllm:request_success_total" : "nv_inference_request_success";
  return {
    trigger: "arrival_rate_per_replica",
    server,
    metricType: "AverageValue",
    series: [counter],
    query: (s) => `sum(rate(${counter}{${podMatcher(s)}}[${rateWindowSeconds}s]))`,
    simulated: { kind: "completion-rate", windowSeconds: rateWindowSeconds },
    describe: `requests completed per second over ${rateWindowSeconds} s (${counter}), sum over pods; the threshold is per replica`,
  };
};

// vLLM's gauge_kv_cache_usage (vllm/v1/metrics/loggers.py, "vllm:kv_cache_usage_perc"; "gpu_cache_usage_perc"
// before v0.10), a fraction from 0 to 1 per pod; the query reads it in percent, like the GPU trigger.
const vllmKvCache: TriggerMetricDefinition = {
  trigger: "kv_cache_usage_percent",
  server: "vllm",
  metricType: "Value",
  series: ["vllm:kv_cache_usage_perc"],
  query: (s) => `avg(vllm:kv_cache_usage_perc{${podMatcher(s)}}) * 100`,
  simulated: { kind: "kv-cache" },
  describe: "KV-cache use (vllm:kv_cache_usage_perc), average over ready pods, %",
};

// Triton exports neither an in-flight gauge nor a KV-cache gauge of its own (its TensorRT-LLM backend's
// nv_trt_llm_kv_cache_block_metrics are backend-specific): those triggers are vLLM's only.
export function triggerAvailable(trigger: TriggerType, server: ModelServerKind): boolean {
  return server === "vllm" || (trigger !== "concurrency_per_replica" && trigger !== "kv_cache_usage_percent");
}

// The definition a trigger of a profile or plan runs. A vLLM latency trigger reads the latency the SLO names.
export function metricDefinition(
  trigger: TriggerType,
  server: ModelServerKind,
  latency: LatencyKind = "ttft",
): TriggerMetricDefinition {
  if (!triggerAvailable(trigger, server))
    throw new DomainError(
      "invalid_input",
      `triggers: ${trigger} reads a series only vLLM exports; with modelServer ${server} use queue_depth, arrival_rate_per_replica, gpu_utilization or p99_latency_ms`,
    );
  switch (trigger) {
    case "queue_depth":
      return queueDefinition(server);
    case "gpu_utilization":
      return gpuDefinition(server);
    case "p99_latency_ms":
      return server === "vllm" ? vllmLatency(latency) : tritonLatency;
    case "concurrency_per_replica":
      return vllmConcurrency;
    case "arrival_rate_per_replica":
      return arrivalRateDefinition(server);
    case "kv_cache_usage_percent":
      return vllmKvCache;
  }
}

// Requests per second the deployment completed, from whichever server it runs (vLLM's success counter, else
// Triton's): the traffic history the simulator replays from a cluster.
export function requestRateQuery(selector: MetricSelector, windowSeconds = 60): string {
  const rate = (series: string) => `sum(rate(${series}{${podMatcher(selector)}}[${windowSeconds}s]))`;
  return `${rate("vllm:request_success_total")} or ${rate("nv_inference_request_success")}`;
}

// The model server an image runs: vLLM's images name it, everything else the plan engine generates is Triton.
export function modelServerKindOfImage(image: string): ModelServerKind {
  return /(^|[/:_-])vllm([/:_-]|$)/.test(image.toLowerCase()) ? "vllm" : "triton";
}

// Where Prometheus scrapes the model server: both servers serve Prometheus text on /metrics.
export const modelServerMetricsPath = "/metrics";
