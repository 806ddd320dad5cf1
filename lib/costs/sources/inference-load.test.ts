import { describe, expect, it } from "vitest";
import { customMetricSamples, inferenceScaling, renderPrometheusText } from "@/lib/costs/rollups/custom-metrics";
import { demoFleet, levelAt } from "./demo-fleet";
import {
  demoInferenceLoad,
  inferenceQueries,
  joinInferenceSeries,
  loadsForMetrics,
  scalingLoads,
  type InferenceLoadRow,
} from "./inference-load";
import type { MatrixSeries } from "./prometheus-join";
import { DAY_MS, HOUR_MS, type UsageRow } from "@/lib/costs/schema";

const t0 = Date.UTC(2026, 10, 23); // a Monday
const at = (hour: number) => t0 / 1000 + 3600 * (hour + 1); // evaluation at the hour's end

describe("inferenceQueries", () => {
  it("quotes vLLM's metric names (they contain colons) and groups Triton's by model and version", () => {
    expect(inferenceQueries("vllm").requests).toBe(
      'sum by (namespace, pod, model_name) (increase({__name__="vllm:request_success_total"}[1h] offset 1ms)) / 3600',
    );
    expect(inferenceQueries("triton").queueAvg).toBe(
      "sum by (namespace, pod, model, version) (avg_over_time(nv_inference_pending_request_count[1h] offset 1ms))",
    );
  });
});

describe("joinInferenceSeries", () => {
  const pod = (name: string, node: string, team: string) => ({
    podLabels: {
      metric: { namespace: "serving", pod: name, label_team: team },
      values: [[at(0), "1"]],
    } as MatrixSeries,
    podInfo: { metric: { namespace: "serving", pod: name, node }, values: [[at(0), "1"]] } as MatrixSeries,
  });
  const a = pod("bert-a", "n1", "search");
  const b = pod("bert-b", "n2", "search");
  const nodeLabels: MatrixSeries[] = [
    { metric: { node: "n1", label_karpenter_sh_nodepool: "inference-l4" }, values: [[at(0), "1"]] },
    { metric: { node: "n2", label_karpenter_sh_nodepool: "inference-l4" }, values: [[at(0), "1"]] },
  ];
  const series = (podName: string, v: string, version = "3"): MatrixSeries => ({
    metric: { namespace: "serving", pod: podName, model: "bert", version },
    values: [[at(0), v]],
  });

  it("sums replicas of one model on one team and pool, counting each pod once", () => {
    const rows = joinInferenceSeries(
      {
        requests: [series("bert-a", "30"), series("bert-b", "10")],
        queueAvg: [series("bert-a", "4"), series("bert-b", "2")],
        queueMax: [series("bert-a", "9"), series("bert-b", "5")],
        podInfo: [a.podInfo, b.podInfo],
        presence: [],
      },
      { server: "triton", source: "prometheus", podLabels: [a.podLabels, b.podLabels], nodeLabels },
    );
    expect(rows).toEqual([
      {
        hour: t0,
        source: "prometheus",
        team: "search",
        nodePool: "inference-l4",
        model: "bert",
        modelVersion: "3",
        requestsPerSecond: 40,
        queueDepthAvg: 6,
        queueDepthMax: 14,
        replicas: 2,
        generatedTokensPerSecond: null,
      },
    ]);
  });

  it("sums vLLM's generated tokens per second over a model's pods (Triton counts none: null, not 0)", () => {
    const vllm = (podName: string, v: string): MatrixSeries => ({
      metric: { namespace: "serving", pod: podName, model_name: "llama" },
      values: [[at(0), v]],
    });
    const rows = joinInferenceSeries(
      {
        requests: [vllm("bert-a", "2"), vllm("bert-b", "1")],
        queueAvg: [],
        queueMax: [],
        podInfo: [a.podInfo, b.podInfo],
        presence: [],
        tokens: [vllm("bert-a", "500"), vllm("bert-b", "NaN")],
      },
      { server: "vllm", source: "prometheus", podLabels: [a.podLabels, b.podLabels], nodeLabels },
    );
    expect(rows.map((r) => [r.model, r.requestsPerSecond, r.generatedTokensPerSecond])).toEqual([["llama", 3, 500]]);
    expect(inferenceQueries("vllm").tokens).toBe(
      'sum by (namespace, pod, model_name) (increase({__name__="vllm:generation_tokens_total"}[1h] offset 1ms)) / 3600',
    );
  });

  it("keeps versions apart, counts a pod with a queue but no finished requests, and reads NaN rates as 0", () => {
    const rows = joinInferenceSeries(
      {
        requests: [series("bert-a", "NaN", "4")],
        queueAvg: [series("bert-a", "1", "4"), series("bert-b", "7", "3")],
        queueMax: [],
        podInfo: [a.podInfo, b.podInfo],
        presence: [],
      },
      { server: "triton", source: "prometheus", podLabels: [a.podLabels, b.podLabels], nodeLabels },
    );
    expect(rows.map((r) => [r.modelVersion, r.requestsPerSecond, r.queueDepthAvg, r.replicas])).toEqual([
      ["3", 0, 7, 1],
      ["4", 0, 1, 1],
    ]);
  });

  it("counts a pod by the share of the hour it served: a rolling update does not double the replicas or the queue", () => {
    const rows = joinInferenceSeries(
      {
        requests: [series("bert-a", "30"), series("bert-b", "10")],
        queueAvg: [series("bert-a", "4"), series("bert-b", "8")],
        queueMax: [],
        podInfo: [a.podInfo, b.podInfo],
        // bert-a was scraped all hour (60 samples); bert-b, its replacement, for the last 15 minutes.
        presence: [series("bert-a", "60"), series("bert-b", "15")],
      },
      { server: "triton", source: "prometheus", podLabels: [a.podLabels, b.podLabels], nodeLabels },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.replicas).toBeCloseTo(1.25, 9);
    expect(rows[0]!.queueDepthAvg).toBeCloseTo(4 + 8 * 0.25, 9); // each pod's queue over the time it was there
    expect(rows[0]!.requestsPerSecond).toBe(40); // increase() ÷ 3600 is already an hourly average
  });

  it("counts a pod serving two models (Triton) as one replica shared between them", () => {
    const rows = joinInferenceSeries(
      {
        requests: [
          series("bert-a", "50", "3"),
          { metric: { namespace: "serving", pod: "bert-a", model: "gpt", version: "1" }, values: [[at(0), "50"]] },
        ],
        queueAvg: [],
        queueMax: [],
        podInfo: [a.podInfo],
        presence: [],
      },
      { server: "triton", source: "prometheus", podLabels: [a.podLabels], nodeLabels },
    );
    expect(rows.map((r) => [r.model, r.replicas])).toEqual([
      ["bert", 0.5],
      ["gpt", 0.5],
    ]);
    // One pod served 100 req/s: that is the per-replica throughput, not 50.
    expect(scalingLoads(rows, t0).get("search|inference-l4")).toMatchObject({ replicas: 1, throughputPerReplica: 100 });
  });

  it("falls back to the namespace as team and 'unknown' pool when kube-state-metrics has no labels for the pod", () => {
    const [row] = joinInferenceSeries(
      {
        requests: [{ metric: { namespace: "chat", pod: "llm-0", model_name: "llama" }, values: [[at(0), "2.5"]] }],
        queueAvg: [],
        queueMax: [],
        podInfo: [],
        presence: [],
      },
      { server: "vllm", source: "prometheus", podLabels: [], nodeLabels: [] },
    );
    expect(row).toMatchObject({
      team: "chat",
      nodePool: "unknown",
      model: "llama",
      modelVersion: "unknown",
      requestsPerSecond: 2.5,
    });
  });
});

describe("demoInferenceLoad", () => {
  const fleet = demoFleet();
  const now = t0 + 7 * DAY_MS;
  const rows = demoInferenceLoad({ now, days: 7, fleet, source: "demo" });

  it("has a row per hour for each inference workload with a model, and is deterministic", () => {
    const withModel = fleet.filter((w) => w.model);
    expect(withModel.length).toBeGreaterThan(0);
    expect(rows).toHaveLength(7 * 24 * withModel.length);
    expect(demoInferenceLoad({ now, days: 7, fleet, source: "demo" })).toEqual(rows);
  });

  it("follows the pool's utilization: throughput = replicas × capacity × busy share; the queue grows near saturation", () => {
    const ranker = fleet.find((w) => w.model?.name === "ranker")!;
    const own = rows.filter((r) => r.model === "ranker");
    for (const r of own.slice(0, 48)) {
      const busy = levelAt(ranker, r.hour, now) / 100;
      expect(r.requestsPerSecond).toBeCloseTo(ranker.gpus * ranker.model!.capacityRps * busy, 2);
    }
    const busiest = own.reduce((m, r) => (r.requestsPerSecond > m.requestsPerSecond ? r : m));
    const quietest = own.reduce((m, r) => (r.requestsPerSecond < m.requestsPerSecond ? r : m));
    expect(busiest.queueDepthAvg / busiest.requestsPerSecond).toBeGreaterThan(
      (quietest.queueDepthAvg / Math.max(quietest.requestsPerSecond, 1e-9)) * 3,
    );
  });

  it("continues from `from` with the same numbers (incremental ingestion rewrites identical rows)", () => {
    const tail = demoInferenceLoad({ now, days: 7, fleet, source: "demo", from: now - 5 * HOUR_MS });
    expect(tail).toEqual(rows.filter((r) => r.hour >= now - 5 * HOUR_MS));
  });
});

const load = (o: Partial<InferenceLoadRow>): InferenceLoadRow => ({
  hour: t0,
  source: "demo",
  team: "search",
  nodePool: "inf",
  model: "bert",
  modelVersion: "3",
  requestsPerSecond: 0,
  queueDepthAvg: 0,
  queueDepthMax: 0,
  replicas: 1,
  ...o,
});

describe("loadsForMetrics → /metrics", () => {
  it("adds up teams serving the same model and version, and labels queue and wait by model as the reference does", () => {
    const loads = loadsForMetrics([
      load({ team: "a", requestsPerSecond: 30, queueDepthAvg: 60 }),
      load({ team: "b", requestsPerSecond: 10, queueDepthAvg: 20 }),
      load({ team: "b", modelVersion: "4", requestsPerSecond: 40, queueDepthAvg: 0 }),
    ]);
    expect(loads).toEqual([
      { model: "bert", version: "3", requestsPerSecond: 40, queueDepth: 80 },
      { model: "bert", version: "4", requestsPerSecond: 40, queueDepth: 0 },
    ]);
    const text = renderPrometheusText(customMetricSamples([], loads, "aws"));
    expect(text).toContain('ml_model_throughput_requests_per_second{model_name="bert",model_version="3"} 40');
    expect(text).toContain('ml_model_throughput_requests_per_second{model_name="bert",model_version="4"} 40');
    // One series per model: 80 waiting at 80 req/s is a one-second wait (Little's law).
    expect(text.match(/^ml_batch_queue_depth\{/gm)).toHaveLength(1);
    expect(text).toContain('ml_batch_queue_depth{model_name="bert"} 80');
    expect(text).toContain('ml_estimated_wait_time_seconds{model_name="bert"} 1');
  });
});

describe("scalingLoads → inferenceScaling", () => {
  const history = [
    load({ hour: t0, requestsPerSecond: 500, replicas: 5, queueDepthAvg: 3 }), // 100 req/s per replica at the peak
    load({ hour: t0 + HOUR_MS, requestsPerSecond: 120, replicas: 4, queueDepthAvg: 900 }), // latest hour
  ];
  it("takes the latest hour's queue and pods and the busiest hour's per-replica throughput", () => {
    expect(scalingLoads(history, t0 + HOUR_MS).get("search|inf")).toEqual({
      queueDepth: 900,
      replicas: 4,
      requestsPerSecond: 120,
      throughputPerReplica: 100,
    });
  });
  it("gives nothing for a pool whose load stopped before the latest usage hour (an old queue is not today's)", () => {
    expect(scalingLoads(history, t0 + 2 * HOUR_MS).size).toBe(0);
  });
  it("recommends the queue-based count when the queue outgrows what the replicas serve", () => {
    const usage = [
      {
        team: "search",
        nodePool: "inf",
        workloadType: "inference",
        instanceType: "g6.xlarge",
        gpuHoursAllocated: 4,
        utilizationAvg: 60,
      } as UsageRow,
    ];
    const [row] = inferenceScaling(usage, scalingLoads(history, t0 + HOUR_MS));
    expect(row).toMatchObject({
      currentReplicas: 4,
      replicasFrom: "pods",
      queueDepth: 900,
      throughputPerReplica: 100,
      queueBased: 9,
      utilizationBased: 3,
      recommendedReplicas: 9,
    });
    const [without] = inferenceScaling(usage);
    expect(without).toMatchObject({
      replicasFrom: "gpus",
      queueDepth: null,
      throughputPerReplica: null,
      recommendedReplicas: 3,
    });
  });
  it("ignores the queue when no request was ever served (no measured throughput) instead of dividing by zero", () => {
    const usage = [
      {
        team: "search",
        nodePool: "inf",
        workloadType: "inference",
        instanceType: "g6.xlarge",
        gpuHoursAllocated: 2,
        utilizationAvg: 40,
      } as UsageRow,
    ];
    const [row] = inferenceScaling(usage, scalingLoads([load({ queueDepthAvg: 50 })], t0));
    expect(row).toMatchObject({ queueDepth: 50, throughputPerReplica: null, recommendedReplicas: 1 });
  });
  it("counts replicas in pods, not GPUs, when each pod holds several GPUs (8-GPU LLM servers)", () => {
    const usage = [
      {
        team: "search",
        nodePool: "inf",
        workloadType: "inference",
        instanceType: "p4d.24xlarge",
        gpuHoursAllocated: 16,
        utilizationAvg: 100,
      } as UsageRow,
    ];
    const twoPods = [load({ requestsPerSecond: 20, replicas: 2, queueDepthAvg: 40 })];
    const [row] = inferenceScaling(usage, scalingLoads(twoPods, t0));
    // 2 pods at 100% of an 80% target → 3 pods (not 20 "replicas" from 16 GPUs); the queue: 40 ÷ 10 per pod = 4.
    expect(row).toMatchObject({
      gpus: 16,
      currentReplicas: 2,
      utilizationBased: 3,
      queueBased: 4,
      recommendedReplicas: 4,
    });
  });
  it("treats a pool split by capacity type as one deployment", () => {
    const usage = [
      {
        team: "search",
        nodePool: "inf",
        workloadType: "inference",
        instanceType: "g6.xlarge",
        capacityType: "on_demand",
        gpuHoursAllocated: 2,
        utilizationAvg: 100,
      },
      {
        team: "search",
        nodePool: "inf",
        workloadType: "inference",
        instanceType: "g6.xlarge",
        capacityType: "spot",
        gpuHoursAllocated: 2,
        utilizationAvg: 60,
      },
    ] as UsageRow[];
    const rows = inferenceScaling(usage);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ currentReplicas: 4, avgUtilization: 80, utilizationBased: 4 });
  });
});
