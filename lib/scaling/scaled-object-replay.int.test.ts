// The generated ScaledObject's queries, run by a real Prometheus (Debian package) over the series the simulator
// says the model server and the DCGM exporter would have exported, answer what the simulator's triggers read.
// If the plan's PromQL and the simulator's quantity drift apart (series, labels, window, buckets), this fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildInferenceScaledObject } from "@/lib/plans/build-scaled-object";
import { buildPlanContext } from "@/lib/plans/plan-context";
import { planInputSchema } from "@/lib/plans/schema";
import {
  startPrometheus,
  type OpenMetricsSeries,
  type RunningPrometheus,
} from "@/test-support/prometheus/start-prometheus";
import {
  adapterDelaySeconds,
  tritonFirstResponseBucketsMs,
  vllmTtftBucketsSeconds,
  type ModelServerKind,
} from "./metric-definitions";
import { scalingProfileSchema, serviceModelSchema } from "./schema";
import { simulateProfile, type ScrapeRecord } from "./simulate";
import { generateSyntheticTrace } from "./synthetic-trace";

const HOUR = 3600_000;
// The measured window starts three whole hours ago (backfilled blocks must lie in the past).
const base = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
const namespaces: Record<ModelServerKind, string> = { vllm: "llm-vllm", triton: "llm-triton" };
const images: Record<ModelServerKind, string> = {
  vllm: "vllm/vllm-openai:v0.11.0",
  triton: "nvcr.io/nvidia/tritonserver:24.08-py3",
};

// A bursty half hour on a deployment that scales on queue depth (so the pod count moves), with latency read.
const traffic = generateSyntheticTrace({ seed: 21, bursts: 3, durationSeconds: 1800, meanRequestsPerSecond: 4 });
const profile = scalingProfileSchema.parse({
  name: "replayed",
  minReplicas: 3,
  maxReplicas: 12,
  triggers: [
    { type: "queue_depth", threshold: 4 },
    { type: "p99_latency_ms", threshold: 600_000 },
  ],
});

function simulate(server: ModelServerKind): ScrapeRecord[] {
  const service = serviceModelSchema.parse({ kind: "llm", modelServer: server });
  return simulateProfile({ traffic, profile, service, sloP99Ms: 2000, recordScrapes: true }).scrapes!;
}

function exportedSeries(server: ModelServerKind, scrapes: ScrapeRecord[]): OpenMetricsSeries[] {
  const namespace = namespaces[server];
  const out = new Map<string, OpenMetricsSeries>();
  const add = (name: string, labels: Record<string, string>, t: number, value: number) => {
    const key = name + JSON.stringify(labels);
    let s = out.get(key);
    if (!s) out.set(key, (s = { name, labels, points: [] }));
    s.points.push([base + t * 1000, value]);
  };
  const pod = (i: number) => `model-server-5d8f7c9b6-${i}`;
  for (const s of scrapes) {
    if (s.readyPods === 0) continue;
    // Waiting requests all reported by the first pod: the query sums over pods.
    const waiting = server === "vllm" ? "vllm:num_requests_waiting" : "nv_inference_pending_request_count";
    add(waiting, { namespace, pod: pod(0) }, s.t, s.metrics.queue_depth);
    for (let i = 1; i < s.readyPods; i++) add(waiting, { namespace, pod: pod(i) }, s.t, 0);
    // The success counter, also on the first pod (which serves from the first scrape on, so its counter never
    // resets): rate() over it is the completion rate.
    add(
      server === "vllm" ? "vllm:request_success_total" : "nv_inference_request_success",
      server === "vllm" ? { namespace, pod: pod(0) } : { namespace, pod: pod(0), model: "llama", version: "1" },
      s.t,
      s.completed,
    );
    if (server === "vllm") {
      add("vllm:num_requests_running", { namespace, pod: pod(0) }, s.t, s.running);
      for (let i = 1; i < s.readyPods; i++) add("vllm:num_requests_running", { namespace, pod: pod(i) }, s.t, 0);
      // Every ready pod reports the average KV-cache share (a fraction, as vLLM exports it): avg() over them is it.
      for (let i = 0; i < s.readyPods; i++)
        add("vllm:kv_cache_usage_perc", { namespace, pod: pod(i) }, s.t, s.metrics.kv_cache_usage_percent / 100);
    }
    // The DCGM exporter scraped through a ServiceMonitor: the GPU's pod arrives as exported_*.
    for (let i = 0; i < s.readyPods; i++) {
      add(
        "DCGM_FI_DEV_GPU_UTIL",
        {
          namespace: "gpu-operator",
          pod: "nvidia-dcgm-exporter-abcde",
          exported_namespace: namespace,
          exported_pod: pod(i),
          gpu: "0",
        },
        s.t,
        s.gpuUtilizationPercent,
      );
    }
    const counters = s.latencyCounters!;
    // Each server's latency histogram, exactly as it exports it: vLLM in seconds, Triton's first-response one in ms.
    const [histogram, bucketsLe] =
      server === "vllm"
        ? ["vllm:time_to_first_token_seconds", vllmTtftBucketsSeconds]
        : ["nv_inference_first_response_histogram_ms", tritonFirstResponseBucketsMs];
    const labels: Record<string, string> =
      server === "vllm" ? { namespace, pod: pod(0) } : { namespace, pod: pod(0), model: "llama", version: "1" };
    let cumulative = 0;
    bucketsLe.forEach((le, i) => {
      cumulative += counters[i]!;
      add(`${histogram}_bucket`, { ...labels, le: String(le) }, s.t, cumulative);
    });
    cumulative += counters[bucketsLe.length]!;
    add(`${histogram}_bucket`, { ...labels, le: "+Inf" }, s.t, cumulative);
    add(`${histogram}_count`, labels, s.t, cumulative);
  }
  return [...out.values()];
}

const scrapes = { vllm: simulate("vllm"), triton: simulate("triton") };
let prom: RunningPrometheus;
beforeAll(async () => {
  prom = await startPrometheus([...exportedSeries("vllm", scrapes.vllm), ...exportedSeries("triton", scrapes.triton)]);
}, 120_000);
afterAll(async () => {
  await prom?.stop();
});

async function instant(query: string, atMs: number): Promise<number | null> {
  const res = await fetch(`${prom.url}/api/v1/query?${new URLSearchParams({ query, time: String(atMs / 1000) })}`);
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data: { result: { value: [number, string] }[] };
  };
  if (body.status !== "success") throw new Error(`${query}: ${body.error}`);
  return body.data.result.length ? Number(body.data.result[0]!.value[1]) : null;
}

describe.each(["vllm", "triton"] as const)("the %s ScaledObject's queries against a real Prometheus", (server) => {
  const so = buildInferenceScaledObject(
    buildPlanContext(
      planInputSchema.parse({
        infrastructure_task: "auto_scaling",
        workload_type: "inference",
        model_server: { image: images[server] },
        namespaces: { inference: namespaces[server] },
        // Every leading-indicator trigger the server has a series for, so that its query is emitted and replayed.
        autoscaling:
          server === "vllm"
            ? {
                concurrency_per_replica_threshold: 20,
                arrival_rate_per_replica_threshold: 1.5,
                kv_cache_usage_percent_threshold: 80,
              }
            : { arrival_rate_per_replica_threshold: 1.5 },
      }),
    ),
  );
  const query = (name: string) =>
    (so.spec as { triggers: { name: string; metadata: { query: string } }[] }).triggers.find((t) => t.name === name)!
      .metadata.query;
  // Every scrape of the measured window after the first minute, read as the HPA reads it: adapterDelaySeconds later.
  const checked = () => scrapes[server].filter((s) => s.t >= 60 && s.readyPods > 0);

  it("queue depth: the summed waiting gauge is the simulator's queue", async () => {
    const points = checked();
    expect(points.some((s) => s.metrics.queue_depth > 0)).toBe(true);
    for (const s of points) {
      expect(await instant(query("queue-depth"), base + (s.t + adapterDelaySeconds) * 1000), `t=${s.t}`).toBe(
        s.metrics.queue_depth,
      );
    }
  }, 120_000);

  // Backfilled history has no staleness markers, so a removed pod's last sample stays visible for Prometheus'
  // 5-minute lookback (a live Prometheus marks a vanished target's series stale at once): only scrapes with no
  // pod removed in the 5 minutes before are compared.
  const steady = () => {
    const all = scrapes[server];
    return checked().filter((s) => all.every((o) => o.t > s.t || o.t < s.t - 300 || o.readyPods <= s.readyPods));
  };

  it("GPU utilization: DCGM's exported_pod series average to the simulator's reading", async () => {
    const points = steady();
    expect(points.length).toBeGreaterThan(20);
    for (const s of points) {
      expect(
        await instant(query("gpu-utilization"), base + (s.t + adapterDelaySeconds) * 1000),
        `t=${s.t}`,
      ).toBeCloseTo(s.metrics.gpu_utilization, 6);
    }
  }, 120_000);

  it("latency: the query over the exporter's counters is the simulator's trigger value", async () => {
    const points = checked();
    expect(points.some((s) => s.metrics.p99_latency_ms > 0)).toBe(true);
    for (const s of points) {
      const value = await instant(query("latency-p99-ms"), base + (s.t + adapterDelaySeconds) * 1000);
      expect(value, `t=${s.t}`).not.toBeNull();
      expect(value!, `t=${s.t}`).toBeCloseTo(s.metrics.p99_latency_ms, 3);
    }
  }, 120_000);

  it("arrival rate: rate() over the success counter is the simulator's completion rate", async () => {
    const points = checked();
    expect(points.some((s) => s.metrics.arrival_rate_per_replica > 0)).toBe(true);
    for (const s of points) {
      const value = await instant(query("arrival-rate-per-replica"), base + (s.t + adapterDelaySeconds) * 1000);
      expect(value, `t=${s.t}`).not.toBeNull();
      expect(value!, `t=${s.t}`).toBeCloseTo(s.metrics.arrival_rate_per_replica, 6);
    }
  }, 120_000);

  if (server === "vllm") {
    it("concurrency: running plus waiting, summed over the pods, is the simulator's concurrency", async () => {
      const points = checked();
      expect(points.some((s) => s.running > 0 && s.metrics.queue_depth > 0)).toBe(true);
      for (const s of points) {
        expect(
          await instant(query("concurrency-per-replica"), base + (s.t + adapterDelaySeconds) * 1000),
          `t=${s.t}`,
        ).toBe(s.metrics.concurrency_per_replica);
      }
    }, 120_000);

    it("KV cache: the pods' usage gauges average to the simulator's percentage", async () => {
      const points = steady();
      expect(points.some((s) => s.metrics.kv_cache_usage_percent > 0)).toBe(true);
      for (const s of points) {
        expect(
          await instant(query("kv-cache-usage-percent"), base + (s.t + adapterDelaySeconds) * 1000),
          `t=${s.t}`,
        ).toBeCloseTo(s.metrics.kv_cache_usage_percent, 6);
      }
    }, 120_000);
  }
});
