// The model servers whose Prometheus metrics the portal reads: counters of completed requests and gauges of waiting
// requests, per pod. vLLM: docs.vllm.ai "Production metrics"; Triton: docs.nvidia.com "Triton metrics".
export const modelServerPresets = {
  vllm: { requestsCounter: "vllm:request_success_total", queueGauge: "vllm:num_requests_waiting", modelLabel: "model_name", versionLabel: null },
  triton: { requestsCounter: "nv_inference_request_success", queueGauge: "nv_inference_pending_request_count", modelLabel: "model", versionLabel: "version" },
} as const;
export type ModelServer = keyof typeof modelServerPresets;
export const modelServers = ["none", "vllm", "triton"] as const satisfies readonly ("none" | ModelServer)[];
