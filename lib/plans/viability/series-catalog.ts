// The series each model server and exporter exports, by name: a trigger that names anything else reads nothing.
// Triton: https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/user_guide/metrics.html
// vLLM: https://docs.vllm.ai/en/latest/design/metrics.html (V1 engine). DCGM: the exporter's default counters
// (../shared/data/dcgm-exporter_default-counters.csv, uncommented lines).

const histogram = (name: string) => [`${name}_bucket`, `${name}_count`, `${name}_sum`];

const tritonSeries = [
  "nv_inference_request_success",
  "nv_inference_request_failure",
  "nv_inference_count",
  "nv_inference_exec_count",
  "nv_inference_pending_request_count",
  "nv_inference_request_duration_us",
  "nv_inference_queue_duration_us",
  "nv_inference_compute_input_duration_us",
  "nv_inference_compute_infer_duration_us",
  "nv_inference_compute_output_duration_us",
  "nv_inference_request_summary_us",
  "nv_inference_queue_summary_us",
  "nv_inference_compute_input_summary_us",
  "nv_inference_compute_infer_summary_us",
  "nv_inference_compute_output_summary_us",
  "nv_cache_num_hits_per_model",
  "nv_cache_num_misses_per_model",
  "nv_cache_hit_duration_per_model",
  "nv_cache_miss_duration_per_model",
  "nv_gpu_utilization",
  "nv_gpu_memory_total_bytes",
  "nv_gpu_memory_used_bytes",
  "nv_gpu_power_usage",
  "nv_gpu_power_limit",
  "nv_energy_consumption",
  "nv_cpu_utilization",
  "nv_cpu_memory_total_bytes",
  "nv_cpu_memory_used_bytes",
];

/** Triton exports its latency histogram only when started with --metrics-config histogram_latencies=true. */
const tritonHistogramSeries = histogram("nv_inference_first_response_histogram_ms");

const vllmSeries = [
  "vllm:num_requests_running",
  "vllm:num_requests_waiting",
  "vllm:kv_cache_usage_perc",
  "vllm:gpu_cache_usage_perc",
  "vllm:num_preemptions_total",
  "vllm:prefix_cache_queries_total",
  "vllm:prefix_cache_hits_total",
  "vllm:prompt_tokens_total",
  "vllm:generation_tokens_total",
  "vllm:request_success_total",
  ...[
    "vllm:time_to_first_token_seconds",
    "vllm:time_per_output_token_seconds",
    "vllm:inter_token_latency_seconds",
    "vllm:e2e_request_latency_seconds",
    "vllm:request_queue_time_seconds",
    "vllm:request_inference_time_seconds",
    "vllm:request_prefill_time_seconds",
    "vllm:request_decode_time_seconds",
    "vllm:request_prompt_tokens",
    "vllm:request_generation_tokens",
    "vllm:iteration_tokens_total",
    "vllm:request_max_num_generation_tokens",
    "vllm:request_params_n",
    "vllm:request_params_max_tokens",
  ].flatMap(histogram),
];

const dcgmSeries = [
  "DCGM_FI_DEV_SM_CLOCK",
  "DCGM_FI_DEV_MEM_CLOCK",
  "DCGM_FI_DEV_MEMORY_TEMP",
  "DCGM_FI_DEV_GPU_TEMP",
  "DCGM_FI_DEV_POWER_USAGE",
  "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
  "DCGM_FI_DEV_PCIE_REPLAY_COUNTER",
  "DCGM_FI_DEV_GPU_UTIL",
  "DCGM_FI_DEV_MEM_COPY_UTIL",
  "DCGM_FI_DEV_ENC_UTIL",
  "DCGM_FI_DEV_DEC_UTIL",
  "DCGM_FI_DEV_XID_ERRORS",
  "DCGM_FI_DEV_FB_FREE",
  "DCGM_FI_DEV_FB_USED",
  "DCGM_FI_DEV_FB_RESERVED",
  "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL",
  "DCGM_FI_DEV_VGPU_LICENSE_STATUS",
  "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS",
  "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS",
  "DCGM_FI_DEV_ROW_REMAP_FAILURE",
  "DCGM_FI_DRIVER_VERSION",
  "DCGM_FI_PROF_GR_ENGINE_ACTIVE",
  "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE",
  "DCGM_FI_PROF_DRAM_ACTIVE",
  "DCGM_FI_PROF_PCIE_TX_BYTES",
  "DCGM_FI_PROF_PCIE_RX_BYTES",
];

export type Exporter = "vllm" | "triton" | "dcgm";

/** Whether `exporter` exports `series`; Triton's histogram only with histogram latencies switched on. */
export function exportsSeries(
  exporter: Exporter,
  series: string,
  options: { tritonHistograms?: boolean } = {},
): boolean {
  if (exporter === "vllm") return vllmSeries.includes(series);
  if (exporter === "dcgm") return dcgmSeries.includes(series);
  return tritonSeries.includes(series) || (options.tritonHistograms === true && tritonHistogramSeries.includes(series));
}

/** Whether a server command line switches Triton's latency histograms on. */
export function tritonHistogramsOn(commandLine: readonly string[]): boolean {
  return commandLine.some((a) => /histogram_latencies=true/.test(a));
}
