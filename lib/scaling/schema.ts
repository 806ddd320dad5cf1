// Scaling domain schemas: the one source of the input types of the simulator, the recommendation
// search, the CLI and the form. A profile is what a KEDA ScaledObject (plus the HPA behavior it
// forwards) says; a service model is what one replica of the served model can do.
import { z } from "zod";
import { metricDefinition, modelServerKinds } from "./metric-definitions";
import { dns1123LabelPattern } from "@/lib/k8s/names";

const dns1123Label = z
  .string()
  .min(1, 'name is empty: give the profile a name such as "reference"')
  .max(63, "name is longer than 63 characters: shorten it")
  .regex(dns1123LabelPattern, "name must be a DNS-1123 label (lowercase letters, digits, '-'): rename it");

export const triggerTypes = [
  "queue_depth",
  "gpu_utilization",
  "p99_latency_ms",
  "concurrency_per_replica",
  "arrival_rate_per_replica",
  "kv_cache_usage_percent",
] as const;
export type TriggerType = (typeof triggerTypes)[number];

// What each trigger's query measures, for each model server, is defined once in metric-definitions.ts (the
// plan engine's ScaledObject and the simulator both read it): queue_depth is waiting requests summed over the
// pods with an AverageValue target (the threshold is per replica); gpu_utilization is DCGM's busy percentage
// averaged over ready pods, Value target; p99_latency_ms is vLLM's p99 time to first token (or end-to-end
// latency, the one the SLO names) or Triton's mean request latency, Value target; concurrency_per_replica is
// requests running plus waiting and arrival_rate_per_replica requests completed per second, both summed over the
// pods with an AverageValue target; kv_cache_usage_percent is vLLM's KV-cache use averaged over ready pods.
export const defaultMetricType = Object.fromEntries(
  triggerTypes.map((t) => [t, metricDefinition(t, "vllm").metricType]),
) as Record<TriggerType, "AverageValue" | "Value">;

export const triggerSchema = z
  .object({
    type: z.enum(triggerTypes, { error: `trigger type must be one of ${triggerTypes.join(", ")}` }),
    threshold: z.number({ error: "threshold must be a number" }).positive("threshold must be above 0: raise it"),
    // KEDA: the scaler is active when the metric is above this value (default 0); it gates 0 <-> 1 only.
    activationThreshold: z.number().min(0, "activationThreshold must be 0 or more").optional(),
    metricType: z.enum(["AverageValue", "Value"]).optional(),
  })
  .refine((t) => (t.type !== "gpu_utilization" && t.type !== "kv_cache_usage_percent") || t.threshold <= 100, {
    path: ["threshold"],
    message: "a gpu_utilization or kv_cache_usage_percent threshold is a percentage: use a value between 1 and 100",
  });

export const scalingPolicySchema = z.object({
  type: z.enum(["Pods", "Percent"], { error: "policy type must be Pods or Percent" }),
  value: z.number().int("policy value must be a whole number").positive("policy value must be above 0"),
  periodSeconds: z
    .number()
    .int("periodSeconds must be a whole number")
    .positive("periodSeconds must be above 0")
    .max(1800, "periodSeconds must be at most 1800 (the HPA's limit): shorten it"),
});
export type ScalingPolicy = z.infer<typeof scalingPolicySchema>;

export const scalingRulesSchema = z.object({
  stabilizationWindowSeconds: z
    .number()
    .int("stabilizationWindowSeconds must be a whole number")
    .min(0, "stabilizationWindowSeconds must be 0 or more")
    .max(3600, "stabilizationWindowSeconds must be at most 3600 (the HPA's limit)")
    .optional(),
  policies: z
    .array(scalingPolicySchema)
    .min(1, "policies is empty: add a policy or leave policies out for the default")
    .optional(),
  selectPolicy: z.enum(["Max", "Min", "Disabled"]).optional(),
});
export type ScalingRules = z.infer<typeof scalingRulesSchema>;

/** The most replicas a profile may hold (the search for a recommendation stays within it too). */
export const MAX_REPLICAS = 1000;

export const scalingProfileSchema = z
  .object({
    name: dns1123Label,
    minReplicas: z.number().int("minReplicas must be a whole number").min(0, "minReplicas must be 0 or more"),
    maxReplicas: z
      .number()
      .int("maxReplicas must be a whole number")
      .min(1, "maxReplicas must be at least 1")
      .max(MAX_REPLICAS, `maxReplicas must be at most ${MAX_REPLICAS}: lower it`),
    pollingInterval: z.number().int().positive("pollingInterval must be above 0 seconds").default(30),
    cooldownPeriod: z.number().int().min(0, "cooldownPeriod must be 0 or more seconds").default(300),
    triggers: z.array(triggerSchema).min(1, "triggers is empty: add at least one trigger (for example queue_depth)"),
    behavior: z.object({ scaleUp: scalingRulesSchema.optional(), scaleDown: scalingRulesSchema.optional() }).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.minReplicas > p.maxReplicas) {
      ctx.addIssue({
        code: "custom",
        path: ["maxReplicas"],
        message: `maxReplicas (${p.maxReplicas}) is below minReplicas (${p.minReplicas}): raise maxReplicas or lower minReplicas`,
      });
    }
    const types = p.triggers.map((t) => t.type);
    const repeated = types.find((t, i) => types.indexOf(t) !== i);
    if (repeated) {
      ctx.addIssue({
        code: "custom",
        path: ["triggers"],
        message: `triggers has ${repeated} twice: keep one trigger per type`,
      });
    }
  });
export type ScalingProfile = z.output<typeof scalingProfileSchema>;
export type ScalingProfileInput = z.input<typeof scalingProfileSchema>;

// One replica of the served model. Defaults describe Llama-3.1-8B-Instruct (BF16) served by vLLM on one
// NVIDIA L4 (24 GB); each number says where it comes from.
const modelServer = z.enum(modelServerKinds, { error: 'modelServer must be "vllm" or "triton"' }).default("vllm");
// Kubernetes' default terminationGracePeriodSeconds (the plan's Deployment sets none).
const terminationGrace = z.number().min(0, "terminationGraceSeconds must be 0 or more").default(30);

export const llmServiceModelSchema = z
  .object({
    kind: z.literal("llm"),
    modelServer,
    // vLLM runs continuous batching with chunked prefill: every engine step carries up to maxBatchedTokens tokens,
    // one per decoding sequence first, the rest filled with prompt chunks (vllm/v1/core/sched/scheduler.py schedules
    // running requests before waiting ones). A step takes as long as the slower of reading the weights once and
    // computing its tokens (the roofline), see serving-model.ts.
    // Compute: 2 FLOPs per parameter per token (8.0e9 parameters: 16 GFLOP/token) against the L4's 121 TFLOPS dense
    // FP16 tensor throughput (NVIDIA L4 datasheet) is 7,500 tokens/s at full use; vLLM's prefill reaches about half
    // of it (MFU ~0.5), 4,000 tokens/s. A full 2,048-token step thus takes ~0.5 s.
    prefillTokensPerSecond: z.number().positive("prefillTokensPerSecond must be above 0").default(4000),
    // Memory: each step reads the 16 GB of weights once; the L4's 300 GB/s (datasheet) allows 18.75 steps/s, 16 at
    // 85 % of it. Up to 4,000 / 16 = 250 tokens a step is memory-bound: every decoding sequence gets one token per
    // step, ~16 tokens/s, whatever the batch. No published vLLM figure for this model on an L4 was at hand; the
    // nearest is Llama-3.1-8B-Instruct BF16 on one A100-40GB under vLLM 0.23 (johnmusgrave.com, "vLLM
    // throughput-latency sweep on NVIDIA A100"): 75 tokens/s for one stream, 77 % of that GPU's bandwidth ceiling.
    // At 77 % an L4 would give 14.4 steps/s, 10 % below this default: set decodeStepsPerSecond to 14.4 to plan
    // with the measured efficiency.
    decodeStepsPerSecond: z.number().positive("decodeStepsPerSecond must be above 0").default(16),
    // vLLM's --max-num-batched-tokens: 2,048 for the OpenAI-compatible server on a GPU with less than 70 GiB (or
    // an A100): vllm/engine/arg_utils.py, EngineArgs.get_batch_defaults (earlier releases:
    // _set_default_args_v1), default_max_num_batched_tokens[UsageContext.OPENAI_API_SERVER] = 2048; 8,192 on
    // larger GPUs such as the H100. The L4 has 24 GB.
    maxBatchedTokens: z.number().int().positive("maxBatchedTokens must be at least 1").default(2048),
    // vLLM's --max-num-seqs: default_max_num_seqs[UsageContext.OPENAI_API_SERVER] = 256 on GPUs under 70 GiB
    // (same function; 1,024 above). On an L4 the KV cache, not this, bounds the batch: ~25 requests of this trace's
    // ~1,370 tokens fit in the 35,000 tokens below.
    maxConcurrentSequences: z.number().int().positive("maxConcurrentSequences must be at least 1").default(256),
    // KV-cache room in tokens: 24 GB x 0.9 (vLLM's gpu_memory_utilization) - 16 GB of weights - ~1 GB of
    // activations and CUDA graphs = 4.6 GB; Llama-3.1-8B stores 32 layers x 8 KV heads x 128 dims x 2 (K, V) x
    // 2 bytes = 128 KiB per token: 35,000 tokens. A request holds its prompt and its output tokens.
    kvCacheTokens: z.number().int().positive("kvCacheTokens must be at least 1").default(35_000),
    // Decode is memory-bound, and a step reads not only the weights but the KV cache of every running sequence:
    // attention reads each sequence's whole context once per step. Llama-3.1-8B keeps 32 layers x 8 KV heads x
    // 128 dims x 2 (K, V) x 2 bytes (BF16) = 131,072 bytes per token (its config.json: num_hidden_layers 32,
    // num_key_value_heads 8, head_dim 128).
    kvBytesPerToken: z.number().min(0, "kvBytesPerToken must be 0 or more").default(131_072),
    // The bandwidth those reads get, GB/s: the L4's 300 GB/s (datasheet) at the 85 % vLLM sustains, the same
    // figure that gives decodeStepsPerSecond (16 GB of weights / 255 GB/s = 63 ms a step, ~16 steps/s). A full
    // 35,000-token cache adds 4.6 GB / 255 GB/s = 18 ms to each step: decode slows by ~29 % when the cache is full.
    memoryBandwidthGBps: z.number().positive("memoryBandwidthGBps must be above 0").default(255),
    // Used when the traffic has no token counts (request-rate history).
    defaultContextTokens: z.number().int().positive().default(1000),
    defaultGeneratedTokens: z.number().int().positive().default(200),
    // Removed: it was one replica's decode throughput at a batch of 16 (256 tokens/s). Zod strips unknown keys, so
    // an old file would otherwise be run on the defaults without a word.
    decodeTokensPerSecond: z
      .never({
        error:
          "decodeTokensPerSecond is no longer read: give decodeStepsPerSecond instead (engine steps per second, one token per running sequence each step; an old decodeTokensPerSecond of 256 at 16 sequences is decodeStepsPerSecond 16)",
      })
      .optional(),
    // From the pod's creation to ready. Measured for this model with vLLM on an L40S (tensorfuse.io, "Reducing
    // GPU Cold Start Time when using vLLM", 2025): 294 s with nothing cached (download 61, weight load 33,
    // torch.compile 52, CUDA-graph capture 54, engine init 94); with the weights on a volume but no compile cache
    // 233 s; with weights and vLLM's compile cache (~/.cache) on a volume 82 s (18 + 23 + 7 + 34). The default
    // 180 s is a pod on a node that already has the image, loading the weights from a PVC, with a partly warm
    // cache: between those two measurements, not one of them. A new GPU node adds 60-90 s (Karpenter); a
    // persisted compile cache brings it to ~80 s (bench/scaling-acceptance.ts prints both what-ifs).
    startupDelaySeconds: z.number().min(0, "startupDelaySeconds must be 0 or more").default(180),
    terminationGraceSeconds: terminationGrace,
    gpusPerReplica: z.number().int().positive("gpusPerReplica must be at least 1").default(1),
    // On-demand price of one L4 (g6.xlarge) in us-east-1.
    gpuHourUsd: z.number().min(0, "gpuHourUsd must be 0 or more").default(0.8),
  })
  .refine((s) => s.maxBatchedTokens >= s.maxConcurrentSequences, {
    path: ["maxBatchedTokens"],
    message:
      "maxBatchedTokens must be at least maxConcurrentSequences (vLLM refuses a step budget smaller than its batch): raise maxBatchedTokens or lower maxConcurrentSequences",
  });

// Models that are not token-generating: each replica serves a fixed number of requests per second with a
// fixed number in flight (service time = maxConcurrentRequests / requestsPerSecond).
export const requestServiceModelSchema = z.object({
  kind: z.literal("requests"),
  modelServer,
  requestsPerSecondPerReplica: z.number().positive("requestsPerSecondPerReplica must be above 0").default(20),
  maxConcurrentRequests: z.number().int().positive("maxConcurrentRequests must be at least 1").default(4),
  startupDelaySeconds: z.number().min(0, "startupDelaySeconds must be 0 or more").default(180),
  terminationGraceSeconds: terminationGrace,
  gpusPerReplica: z.number().int().positive("gpusPerReplica must be at least 1").default(1),
  gpuHourUsd: z.number().min(0, "gpuHourUsd must be 0 or more").default(0.8),
});

export const serviceModelSchema = z.preprocess(
  (v) => (v && typeof v === "object" && !("kind" in v) ? { ...v, kind: "llm" } : v),
  z.discriminatedUnion("kind", [llmServiceModelSchema, requestServiceModelSchema], {
    error: 'kind must be "llm" or "requests"',
  }),
);
export type ServiceModel = z.output<typeof serviceModelSchema>;
export type LlmServiceModel = z.output<typeof llmServiceModelSchema>;

export const defaultServiceModel: ServiceModel = serviceModelSchema.parse({ kind: "llm" });

// The reference design's ScaledObject (keda/inference-scaler.yaml): min 2, max 100, queue 100,
// GPU utilization 80 %, p99 latency 200 ms, and its behavior. Its pollingInterval 15 and cooldownPeriod 60.
export const referenceProfile: ScalingProfile = scalingProfileSchema.parse({
  name: "reference",
  minReplicas: 2,
  maxReplicas: 100,
  pollingInterval: 15,
  cooldownPeriod: 60,
  triggers: [
    { type: "queue_depth", threshold: 100 },
    { type: "gpu_utilization", threshold: 80 },
    { type: "p99_latency_ms", threshold: 200 },
  ],
  behavior: {
    scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] },
    scaleUp: {
      stabilizationWindowSeconds: 0,
      policies: [
        { type: "Percent", value: 100, periodSeconds: 15 },
        { type: "Pods", value: 10, periodSeconds: 15 },
      ],
      selectPolicy: "Max",
    },
  },
});

export const builtInProfiles: Record<string, ScalingProfile> = { reference: referenceProfile };

// Formats zod issues as "field: message" lines for the CLI and API.
export function describeIssues(error: z.ZodError, prefix = ""): string {
  return error.issues
    .map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "(root)"}: ${issue.message}`)
    .join("\n");
}

/** GET /api/v1/scaling/request-rate-history: a deployment's request rate, which the simulator replays as traffic. */
export const requestRateHistoryResponse = z.object({
  namespace: z.string(),
  service: z.string(),
  /** Epoch milliseconds of the window the points cover. */
  start: z.number(),
  end: z.number(),
  stepSeconds: z.number(),
  /** timestamp: epoch seconds. */
  points: z.array(z.object({ timestamp: z.number(), requestsPerSecond: z.number() })),
  expectedRequests: z.number(),
});
