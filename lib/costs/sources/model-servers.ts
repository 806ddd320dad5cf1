// The model servers whose Prometheus metrics the portal reads: counters of completed requests and gauges of waiting
// requests, per pod, and vLLM's counter of generated (output) tokens. vLLM: docs.vllm.ai "Production metrics";
// Triton: docs.nvidia.com "Triton metrics".
export const modelServerPresets = {
  vllm: {
    requestsCounter: "vllm:request_success_total",
    queueGauge: "vllm:num_requests_waiting",
    tokensCounter: "vllm:generation_tokens_total",
    modelLabel: "model_name",
    versionLabel: null,
  },
  // Triton counts inferences, not tokens: no cost per token from it.
  triton: {
    requestsCounter: "nv_inference_request_success",
    queueGauge: "nv_inference_pending_request_count",
    tokensCounter: null,
    modelLabel: "model",
    versionLabel: "version",
  },
} as const;
export type ModelServer = keyof typeof modelServerPresets;
export const modelServers = ["none", "vllm", "triton"] as const satisfies readonly ("none" | ModelServer)[];
