// The simulator and the plan engine's ScaledObject read one definition per trigger (metric-definitions.ts).
// These tests fail when either side stops using it: a query, metric type, window, scrape interval or
// histogram bucket that differs between what is simulated and what is deployed.
import { describe, expect, it } from "vitest";
import {
  buildInferenceScaledObject,
  buildModelServerPodMonitor,
  planLatencyKind,
} from "@/lib/plans/build-scaled-object";
import { buildModelServer } from "@/lib/plans/build-model-server";
import { buildPlanContext } from "@/lib/plans/plan-context";
import { planInputSchema } from "@/lib/plans/schema";
import {
  latencyWindowSeconds,
  metricDefinition,
  modelServerKinds,
  modelServerMetricsArgs,
  rateWindowSeconds,
  scrapeIntervalSeconds,
  triggerAvailable,
  type ModelServerKind,
} from "./metric-definitions";
import { defaultMetricType, scalingProfileSchema, serviceModelSchema, triggerTypes } from "./schema";
import { simulateProfile } from "./simulate";

const images: Record<ModelServerKind, string> = {
  vllm: "vllm/vllm-openai:v0.11.0",
  triton: "nvcr.io/nvidia/tritonserver:24.08-py3",
};
const planFor = (server: ModelServerKind) =>
  buildPlanContext(
    planInputSchema.parse({
      infrastructure_task: "auto_scaling",
      workload_type: "inference",
      model_server: { image: images[server] },
      // Every leading-indicator trigger the server can export, so the ScaledObject carries each.
      autoscaling: {
        arrival_rate_per_replica_threshold: 0.5,
        ...(server === "vllm" ? { concurrency_per_replica_threshold: 20, kv_cache_usage_percent_threshold: 80 } : {}),
      },
    }),
  );
const triggerNames = {
  queue_depth: "queue-depth",
  gpu_utilization: "gpu-utilization",
  p99_latency_ms: "latency-p99-ms",
  concurrency_per_replica: "concurrency-per-replica",
  arrival_rate_per_replica: "arrival-rate-per-replica",
  kv_cache_usage_percent: "kv-cache-usage-percent",
} as const;

describe.each(modelServerKinds)("the %s definitions", (server) => {
  const ctx = planFor(server);
  const so = buildInferenceScaledObject(ctx);
  const triggers = (so.spec as { triggers: { name: string; metricType: string; metadata: { query: string } }[] })
    .triggers;
  const selector = { namespace: ctx.input.namespaces.inference, deployment: ctx.input.model_server.name };

  it.each(triggerTypes.filter((t) => triggerAvailable(t, server)))(
    "%s: the ScaledObject runs the definition's query with its metric type, which the simulator uses too",
    (type) => {
      const definition = metricDefinition(type, server, planLatencyKind);
      const trigger = triggers.find((t) => t.name === triggerNames[type])!;
      expect(trigger.metadata.query).toBe(definition.query(selector));
      expect(trigger.metricType).toBe(definition.metricType);
      expect(defaultMetricType[type]).toBe(definition.metricType);
      for (const series of definition.series) expect(trigger.metadata.query).toContain(series);
    },
  );

  it("runs the model server with the flags that make it export the series the triggers read", () => {
    const deployment = buildModelServer(ctx).find((o) => o.kind === "Deployment")!;
    const args = (deployment.spec as { template: { spec: { containers: { args: string[] }[] } } }).template.spec
      .containers[0]!.args;
    for (const flag of modelServerMetricsArgs(server)) expect(args).toContain(flag);
    if (server === "triton") expect(args).toContain("--metrics-config=histogram_latencies=true");
  });

  it("scrapes at the interval the simulator samples at, and queries over the window it reads", () => {
    const monitor = buildModelServerPodMonitor(ctx);
    expect((monitor.spec as { podMetricsEndpoints: { interval: string }[] }).podMetricsEndpoints[0]!.interval).toBe(
      `${scrapeIntervalSeconds}s`,
    );
    const latency = metricDefinition("p99_latency_ms", server, planLatencyKind);
    expect(latency.query(selector)).toContain(`[${latencyWindowSeconds}s]`);
    expect(latency.simulated).toMatchObject({ windowSeconds: latencyWindowSeconds });
    const rate = metricDefinition("arrival_rate_per_replica", server);
    expect(rate.query(selector)).toContain(`[${rateWindowSeconds}s]`);
    expect(rate.simulated).toEqual({ kind: "completion-rate", windowSeconds: rateWindowSeconds });
  });
});

describe("vLLM-only triggers", () => {
  it("are refused for Triton, by the definitions, the plan schema (naming the field) and the simulator", () => {
    expect(() => metricDefinition("kv_cache_usage_percent", "triton")).toThrow(/only vLLM exports/);
    const plan = planInputSchema.safeParse({
      infrastructure_task: "auto_scaling",
      workload_type: "inference",
      model_server: { image: images.triton },
      autoscaling: { concurrency_per_replica_threshold: 10 },
    });
    expect(plan.success).toBe(false);
    expect(plan.error?.issues.map((i) => i.path.join("."))).toContain("autoscaling.concurrency_per_replica_threshold");
    const profile = scalingProfileSchema.parse({
      name: "kv",
      minReplicas: 1,
      maxReplicas: 2,
      triggers: [{ type: "kv_cache_usage_percent", threshold: 80 }],
    });
    const traffic = {
      arrivals: new Float64Array([1]),
      contextTokens: null,
      generatedTokens: null,
      durationSeconds: 60,
      startEpochMs: 0,
    };
    const service = serviceModelSchema.parse({ kind: "llm", modelServer: "triton" });
    expect(() => simulateProfile({ traffic, profile, service, sloP99Ms: 1000 })).toThrow(/only vLLM exports/);
  });
});

describe("the simulated leading indicators read what the exporters would", () => {
  // Two requests a second, each holding its replica 1,000 / 4,000 s of prefill plus 199 decode steps: a steady
  // state in which completions per second equal arrivals per second.
  const n = 7200;
  const traffic = {
    arrivals: Float64Array.from({ length: n }, (_, i) => i / 2 + 0.25),
    contextTokens: new Float64Array(n).fill(1000),
    generatedTokens: new Float64Array(n).fill(200),
    durationSeconds: 3600,
    startEpochMs: 0,
  };
  const profile = scalingProfileSchema.parse({
    name: "fixed",
    minReplicas: 4,
    maxReplicas: 4,
    triggers: [
      { type: "arrival_rate_per_replica", threshold: 1000 },
      { type: "concurrency_per_replica", threshold: 1000 },
      { type: "kv_cache_usage_percent", threshold: 100 },
    ],
  });
  const service = serviceModelSchema.parse({ kind: "llm" });
  const scrapes = simulateProfile({ traffic, profile, service, sloP99Ms: 100_000, recordScrapes: true }).scrapes!;
  const steady = scrapes.filter((s) => s.t >= 300 && s.t <= 3300);

  it("arrival_rate_per_replica: rate() over the success counter, the increase across the window's samples", () => {
    for (const s of steady) expect(s.metrics.arrival_rate_per_replica).toBeCloseTo(2, 0);
    const at = scrapes.findIndex((s) => s.t === 1200);
    const span = Math.round(rateWindowSeconds / scrapeIntervalSeconds) - 1;
    const now = scrapes[at]!;
    const before = scrapes[at - span]!;
    expect(now.metrics.arrival_rate_per_replica).toBe(
      (now.completed - before.completed) / (span * scrapeIntervalSeconds),
    );
  });

  it("concurrency_per_replica: running plus waiting at the scrape; kv_cache_usage_percent: reserved tokens", () => {
    for (const s of steady) {
      expect(s.metrics.concurrency_per_replica).toBe(s.running + s.metrics.queue_depth);
      // Little's law: ~2 requests/s x ~13 s each (199 steps at ~16 steps/s) is ~26 in flight over 4 replicas.
      expect(s.metrics.concurrency_per_replica).toBeGreaterThan(15);
      expect(s.metrics.concurrency_per_replica).toBeLessThan(40);
      // Each running request reserves 1,200 tokens of a 35,000-token cache on its replica.
      expect(s.metrics.kv_cache_usage_percent).toBeCloseTo((100 * 1200 * s.running) / 35_000 / 4, 5);
    }
  });
});

describe("the simulated latency trigger reads what the exporter would", () => {
  // One request every 10 s, each alone on an idle replica: 12,000 prompt tokens at 4,000 tokens/s is exactly
  // 3 s to first token.
  const arrivals = Float64Array.from({ length: 360 }, (_, i) => i * 10 + 1);
  const traffic = {
    arrivals,
    contextTokens: new Float64Array(360).fill(12_000),
    generatedTokens: new Float64Array(360).fill(1),
    durationSeconds: 3600,
    startEpochMs: 0,
  };
  const profile = scalingProfileSchema.parse({
    name: "fixed",
    minReplicas: 4,
    maxReplicas: 4,
    triggers: [{ type: "p99_latency_ms", threshold: 100_000 }],
  });
  const readings = (server: ModelServerKind) => {
    const service = serviceModelSchema.parse({ kind: "llm", modelServer: server });
    const series = simulateProfile({ traffic, profile, service, sloP99Ms: 10_000 }).series;
    return new Set(series.slice(10).map((s) => Number(s.p99LatencyMs.toFixed(3))));
  };

  it("vLLM: histogram_quantile inside the (2.5 s, 5 s] bucket of vllm:time_to_first_token_seconds, 4,975 ms, not the exact 3,000", () => {
    expect(readings("vllm")).toEqual(new Set([4975]));
  });

  it("Triton: histogram_quantile inside the (2,000 ms, 5,000 ms] bucket of nv_inference_first_response_histogram_ms, 4,970 ms", () => {
    expect(readings("triton")).toEqual(new Set([4970]));
  });
});
