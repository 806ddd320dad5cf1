// Model-server history shaped like vLLM's /metrics: a cumulative counter of finished requests and a gauge of
// waiting requests per pod, labelled with model_name (vLLM does not label a version).
import type { OpenMetricsSeries } from "./start-prometheus";

export interface PlantedModelPod {
  namespace: string;
  pod: string;
  model: string;
  /** Requests finished per second at a time (constant within the step). */
  requestsPerSecond: (tsMs: number) => number;
  waiting: (tsMs: number) => number;
  /** Output tokens generated per second (vllm:generation_tokens_total); unset: the pod exposes no token counter. */
  tokensPerSecond?: (tsMs: number) => number;
}

/** One point every `stepMs` (default 60 s) over [start, end); the counter starts at 0 at `start`. */
export function vllmHistory(
  pods: readonly PlantedModelPod[],
  start: number,
  end: number,
  stepMs = 60_000,
): OpenMetricsSeries[] {
  const out: OpenMetricsSeries[] = [];
  for (const p of pods) {
    const labels = { namespace: p.namespace, pod: p.pod, model_name: p.model, container: "vllm" };
    const finished: [number, number][] = [];
    const waiting: [number, number][] = [];
    const tokens: [number, number][] = [];
    let total = 0;
    let generated = 0;
    for (let t = start; t < end; t += stepMs) {
      finished.push([t, total]);
      waiting.push([t, p.waiting(t)]);
      tokens.push([t, generated]);
      total += p.requestsPerSecond(t) * (stepMs / 1000);
      generated += (p.tokensPerSecond?.(t) ?? 0) * (stepMs / 1000);
    }
    if (p.tokensPerSecond) out.push({ name: "vllm:generation_tokens_total", labels, points: tokens });
    out.push({ name: "vllm:request_success_total", labels: { ...labels, finished_reason: "stop" }, points: finished });
    out.push({ name: "vllm:num_requests_waiting", labels, points: waiting });
  }
  return out;
}
