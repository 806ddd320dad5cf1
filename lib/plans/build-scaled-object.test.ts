import fc from "fast-check";
import type { ValidateFunction } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { buildInferenceScaledObject } from "./build-scaled-object";
import { generatePlan } from "./generate-plan";
import { loadOfficialCrdValidators, officialErrors } from "./official-crd-validator.test-support";
import { buildPlanContext } from "./plan-context";
import { planInputSchema, type PlanInputDraft } from "./schema";

type Spec = { advanced: { horizontalPodAutoscalerConfig: { behavior: unknown } } };
const behaviorOf = (so: KubernetesObject | undefined) =>
  (so?.spec as Spec).advanced.horizontalPodAutoscalerConfig.behavior;
const inference = { infrastructure_task: "auto_scaling", workload_type: "inference" } as const;
const scaledObjectFor = (draft: PlanInputDraft) =>
  buildInferenceScaledObject(buildPlanContext(planInputSchema.parse(draft)));

let crds: Map<string, ValidateFunction>;
// Compiling every official CRD takes seconds, more on a busy machine.
beforeAll(() => {
  crds = loadOfficialCrdValidators();
}, 120_000);

const custom = {
  scaleUp: {
    stabilizationWindowSeconds: 30,
    selectPolicy: "Min",
    policies: [
      { type: "Pods", value: 2, periodSeconds: 60 },
      { type: "Percent", value: 50, periodSeconds: 60 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: 600,
    selectPolicy: "Disabled",
    policies: [{ type: "Pods", value: 1, periodSeconds: 120 }],
  },
} as const;

describe("the inference ScaledObject's HPA behavior", () => {
  it("is the reference design's when the plan has none", () => {
    expect(behaviorOf(scaledObjectFor(inference))).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [
          { type: "Percent", value: 100, periodSeconds: 15 },
          { type: "Pods", value: 10, periodSeconds: 15 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] },
    });
  });

  it("is the plan's own when given, every value stated, and the generated plan passes the official KEDA CRD", async () => {
    const plan = await generatePlan(planInputSchema.parse({ ...inference, autoscaling: { behavior: custom } }));
    const so = plan.deployment_manifests.find((o) => o.kind === "ScaledObject");
    expect(behaviorOf(so)).toEqual(custom);
    expect(await officialErrors(so!, crds)).toEqual([]);
  });

  it("states Kubernetes' defaults for what the plan's behavior leaves out", () => {
    expect(
      behaviorOf(
        scaledObjectFor({
          ...inference,
          autoscaling: { behavior: { scaleDown: { policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] } } },
        }),
      ),
    ).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [
          { type: "Pods", value: 4, periodSeconds: 15 },
          { type: "Percent", value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: "Max",
        policies: [{ type: "Pods", value: 1, periodSeconds: 60 }],
      },
    });
  });

  it("does not share the reference object between plans (editing one ScaledObject leaves the next intact)", () => {
    const first = behaviorOf(scaledObjectFor(inference)) as { scaleDown: { stabilizationWindowSeconds: number } };
    first.scaleDown.stabilizationWindowSeconds = 1;
    expect((behaviorOf(scaledObjectFor(inference)) as typeof first).scaleDown.stabilizationWindowSeconds).toBe(300);
  });

  it("passes the official KEDA CRD (with no field it would prune) for any behavior the plan schema accepts", async () => {
    const policy = fc.record({
      type: fc.constantFrom("Pods", "Percent"),
      value: fc.integer({ min: 1, max: 2_147_483_647 }),
      periodSeconds: fc.integer({ min: 1, max: 1800 }),
    });
    const rules = fc.record(
      {
        stabilizationWindowSeconds: fc.integer({ min: 0, max: 3600 }),
        selectPolicy: fc.constantFrom("Max", "Min", "Disabled"),
        policies: fc.array(policy, { minLength: 1, maxLength: 10 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.record({ scaleUp: rules, scaleDown: rules }, { requiredKeys: [] }), async (behavior) => {
        const so = scaledObjectFor({ ...inference, autoscaling: { behavior } });
        expect(await officialErrors(so, crds)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

type Trigger = {
  name: string;
  metricType: string;
  metadata: { query: string; threshold: string; ignoreNullValues?: string };
};
const triggersOf = (so: KubernetesObject) => (so.spec as { triggers: Trigger[] }).triggers;
const queryOf = (so: KubernetesObject, name: string) => triggersOf(so).find((t) => t.name === name)!.metadata.query;
const autoscaling = { infrastructure_task: "auto_scaling", workload_type: "inference" } as const;

describe("the inference ScaledObject's queries", () => {
  // What each server exports, from its source (Triton's metrics.cc, vLLM's v1/metrics/loggers.py) and NVIDIA's
  // DCGM exporter default counters. A query naming anything else reads an empty result in the cluster. Triton's
  // first-response histogram comes with --metrics-config histogram_latencies=true (its docs/user_guide/metrics.md),
  // which the plan's Triton container passes.
  const exported = {
    triton: [
      "nv_inference_pending_request_count",
      "nv_inference_request_duration_us",
      "nv_inference_request_success",
      "nv_inference_first_response_histogram_ms_bucket",
      "nv_inference_first_response_histogram_ms_count",
      "DCGM_FI_DEV_GPU_UTIL",
    ],
    vllm: [
      "vllm:num_requests_waiting",
      "vllm:time_to_first_token_seconds_bucket",
      "vllm:time_to_first_token_seconds_count",
      "DCGM_FI_DEV_GPU_UTIL",
    ],
  };
  const seriesIn = (query: string) => [...query.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]);

  it.each([
    ["triton", "nvcr.io/nvidia/tritonserver:24.08-py3"],
    ["vllm", "vllm/vllm-openai:v0.11.0"],
  ] as const)("read only series %s exports (image %s)", (server, image) => {
    const so = scaledObjectFor({ ...autoscaling, model_server: { image } });
    const series = triggersOf(so).flatMap((t) => seriesIn(t.metadata.query));
    expect(series.length).toBeGreaterThanOrEqual(3);
    for (const s of series) expect(exported[server], s).toContain(s);
  });

  it("reads vLLM's time-to-first-token histogram for the latency trigger, over the window the simulator uses", () => {
    const so = scaledObjectFor({ ...autoscaling, model_server: { image: "vllm/vllm-openai:v0.11.0" } });
    expect(queryOf(so, "latency-p99-ms")).toBe(
      '(histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{namespace="ml-inference", pod=~"model-server-.*"}[60s]))) * 1000 >= 0)' +
        ' or (sum(rate(vllm:time_to_first_token_seconds_count{namespace="ml-inference", pod=~"model-server-.*"}[60s])) * 0)',
    );
  });

  it("accepts the DCGM exporter's exported_namespace / exported_pod labels as well as plain ones", () => {
    const q = queryOf(scaledObjectFor(autoscaling), "gpu-utilization");
    expect(q).toContain('exported_namespace="ml-inference", exported_pod=~"model-server-.*"');
    expect(q).toContain('namespace="ml-inference", pod=~"model-server-.*"');
  });

  it("treats an empty result as an error with a fallback that keeps the current count, never as 0", () => {
    const so = scaledObjectFor(autoscaling);
    for (const t of triggersOf(so)) expect(t.metadata.ignoreNullValues, t.name).toBe("false");
    expect((so.spec as { fallback: unknown }).fallback).toEqual({
      failureThreshold: 3,
      replicas: 1,
      behavior: "currentReplicasIfHigher",
    });
  });

  it("refuses min_replicas 0 for an autoscaled inference plan, naming the field (nothing outside the pods could wake it)", () => {
    const parsed = planInputSchema.safeParse({
      ...autoscaling,
      scale_requirements: { min_replicas: 0, max_replicas: 10 },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n")).toMatch(
      /scale_requirements\.min_replicas: min_replicas 0 needs an activation signal/,
    );
    expect(
      planInputSchema.safeParse({
        ...autoscaling,
        workload_type: "streaming",
        scale_requirements: { min_replicas: 0, max_replicas: 10 },
      }).success,
    ).toBe(true);
  });

  it("comes with a PodMonitor that scrapes the model server's metrics port and passes the official CRD and the engine", async () => {
    const plan = await generatePlan(planInputSchema.parse(autoscaling));
    const monitor = plan.deployment_manifests.find((o) => o.kind === "PodMonitor")!;
    const deployment = plan.deployment_manifests.find((o) => o.kind === "Deployment")!;
    const podLabels = (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template
      .metadata.labels;
    const spec = monitor.spec as {
      selector: { matchLabels: Record<string, string> };
      podMetricsEndpoints: { port: string; interval: string }[];
    };
    for (const [k, v] of Object.entries(spec.selector.matchLabels)) expect(podLabels[k], k).toBe(v);
    const ports = (
      deployment.spec as { template: { spec: { containers: { ports: { name: string }[] }[] } } }
    ).template.spec.containers[0]!.ports.map((p) => p.name);
    expect(ports).toContain(spec.podMetricsEndpoints[0]!.port);
    expect(spec.podMetricsEndpoints[0]!.interval).toBe("15s");
    expect(await officialErrors(monitor, crds)).toEqual([]);
    expect(plan.validation.errors).toEqual([]);
  });
});
