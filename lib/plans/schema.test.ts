import { describe, expect, it } from "vitest";
import { formatPlanInputErrors, planInputSchema } from "./schema";

function errorsOf(input: unknown) {
  const result = planInputSchema.safeParse(input);
  if (result.success) throw new Error("expected the input to be refused");
  return formatPlanInputErrors(result.error);
}

describe("planInputSchema defaults", () => {
  it("needs only infrastructure_task and fills the reference's defaults", () => {
    const input = planInputSchema.parse({ infrastructure_task: "cluster_setup" });
    expect(input).toMatchObject({
      cloud_provider: "aws",
      workload_type: "inference",
      region: "us-west-2",
      scale_requirements: { min_replicas: 1, max_replicas: 100, target_gpu_utilization: 0.8 },
    });
    expect(input.node_pools.map((p) => [p.name, p.instance_type, p.min_nodes, p.max_nodes])).toEqual([
      ["cpu-training", "c6i.8xlarge", 2, 50],
      ["gpu-training", "p4d.24xlarge", 0, 20],
      ["inference", "g5.xlarge", 2, 100],
    ]);
    const gpu = input.node_pools[1];
    expect(gpu!.labels.accelerator).toBe("nvidia-a100");
    expect(gpu!.taints).toEqual([{ key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" }]);
  });

  it.each([
    ["gcp", "us-central1", "a2-highgpu-8g", "g2-standard-4"],
    ["azure", "eastus", "Standard_ND96asr_v4", "Standard_NC4as_T4_v3"],
    ["on_premise", "dc1", "gpu-8x-a100-96c", "gpu-1x-a10-16c"],
  ])("uses %s equivalents", (cloud, region, training, inference) => {
    const input = planInputSchema.parse({ infrastructure_task: "cluster_setup", cloud_provider: cloud });
    expect(input.region).toBe(region);
    expect(input.node_pools.find((p) => p.name === "gpu-training")!.instance_type).toBe(training);
    expect(input.node_pools.find((p) => p.name === "inference")!.instance_type).toBe(inference);
  });
});

describe("planInputSchema refuses bad input and names the field", () => {
  it.each([
    ["missing task", {}, "infrastructure_task", /one of cluster_setup/],
    ["unknown task", { infrastructure_task: "make_coffee" }, "infrastructure_task", /one of/],
    [
      "unknown cloud",
      { infrastructure_task: "auto_scaling", cloud_provider: "ibm" },
      "cloud_provider",
      /aws, gcp, azure, on_premise/,
    ],
    [
      "unknown workload",
      { infrastructure_task: "auto_scaling", workload_type: "gaming" },
      "workload_type",
      /training, inference/,
    ],
    [
      "negative replicas",
      { infrastructure_task: "auto_scaling", scale_requirements: { min_replicas: -1 } },
      "scale_requirements.min_replicas",
      /at least 0/,
    ],
    [
      "fractional replicas",
      { infrastructure_task: "auto_scaling", scale_requirements: { max_replicas: 2.5 } },
      "scale_requirements.max_replicas",
      /whole number/,
    ],
    [
      "utilization as percent",
      { infrastructure_task: "auto_scaling", scale_requirements: { target_gpu_utilization: 80 } },
      "scale_requirements.target_gpu_utilization",
      /write 0.8, not 80/,
    ],
    [
      "min above max",
      { infrastructure_task: "auto_scaling", scale_requirements: { min_replicas: 5, max_replicas: 3 } },
      "scale_requirements.max_replicas",
      /max_replicas \(3\) is below min_replicas \(5\): raise max_replicas or lower min_replicas/,
    ],
    [
      "cluster name with capitals",
      { infrastructure_task: "cluster_setup", cluster_name: "ML_Prod" },
      "cluster_name",
      /DNS-1123/,
    ],
    [
      "namespace with a dot",
      { infrastructure_task: "cluster_setup", namespaces: { inference: "ml.inference" } },
      "namespaces.inference",
      /DNS-1123/,
    ],
    [
      "too long cluster name",
      { infrastructure_task: "cluster_setup", cluster_name: "a".repeat(41) },
      "cluster_name",
      /at most 40/,
    ],
    [
      "old kubernetes",
      { infrastructure_task: "cluster_setup", kubernetes_version: "1.27" },
      "kubernetes_version",
      /1.29 or later/,
    ],
    [
      "a version EKS no longer supports",
      { infrastructure_task: "cluster_setup", kubernetes_version: "1.31" },
      "kubernetes_version",
      /kubernetes_version 1.31 is not supported by EKS: use 1.34 to 1.36/,
    ],
    [
      "a version AKS does not offer yet",
      { infrastructure_task: "cluster_setup", cloud_provider: "azure", kubernetes_version: "1.37" },
      "kubernetes_version",
      /not supported by AKS: use 1.34 to 1.36/,
    ],
    [
      "a version GKE no longer supports",
      { infrastructure_task: "cluster_setup", cloud_provider: "gcp", kubernetes_version: "1.33" },
      "kubernetes_version",
      /not supported by GKE/,
    ],
    [
      "vLLM metrics on another port",
      { infrastructure_task: "auto_scaling", model_server: { image: "vllm/vllm-openai:v0.11.0", metrics_port: 9090 } },
      "model_server.metrics_port",
      /vLLM serves \/metrics on its API port \(8000\)/,
    ],
    [
      "Triton named for a vLLM image",
      { infrastructure_task: "auto_scaling", model_server: { image: "vllm/vllm-openai:v0.11.0", server: "triton" } },
      "model_server.server",
      /vLLM image, which has no tritonserver/,
    ],
    [
      "a worker command without its image",
      { infrastructure_task: "auto_scaling", workload_type: "batch", workers: { command: ["/app/consumer"] } },
      "workers.image",
      /set workers.image and workers.command together/,
    ],
    [
      "a Prometheus address that is not http",
      { infrastructure_task: "auto_scaling", autoscaling: { prometheus_address: "prometheus:9090" } },
      "autoscaling.prometheus_address",
      /must be an http\(s\) URL of a Service in namespaces.monitoring \(monitoring\)/,
    ],
    [
      "a Prometheus outside the monitoring namespace",
      {
        infrastructure_task: "auto_scaling",
        autoscaling: { prometheus_address: "http://prometheus-server.observability.svc:9090" },
      },
      "autoscaling.prometheus_address",
      /e.g. http:\/\/prometheus-operated.monitoring.svc:9090/,
    ],
    [
      "image with spaces",
      { infrastructure_task: "cluster_setup", model_server: { image: "my image" } },
      "model_server.image",
      /image reference/,
    ],
    [
      "bad cron",
      { infrastructure_task: "disaster_recovery", disaster_recovery: { backup_schedule: "every hour" } },
      "disaster_recovery.backup_schedule",
      /cron/,
    ],
    [
      "same namespace twice",
      { infrastructure_task: "cluster_setup", namespaces: { training: "ml", inference: "ml" } },
      "namespaces.inference",
      /used for two roles/,
    ],
    [
      "too many GPUs per training node",
      { infrastructure_task: "cluster_setup", workload_type: "training", training: { gpus_per_node: 16 } },
      "training.gpus_per_node",
      /exceeds the 8 GPU\(s\) of p4d.24xlarge/,
    ],
  ])("%s", (_name, input, path, message) => {
    const errors = errorsOf(input);
    const error = errors.find((e) => e.path === path);
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect(error!.message).toMatch(message);
  });

  it.each([
    ["a host address without a prefix", "203.0.113.7", /is not an IPv4 CIDR/],
    ["the whole internet", "0.0.0.0/0", /prefix from \/8 to \/32/],
    ["a /4", "16.0.0.0/4", /prefix from \/8 to \/32/],
    ["host bits set", "203.0.113.7/24", /use 203\.0\.113\.0\/24/],
    ["an octet above 255", "203.0.113.256/32", /above 255/],
    ["IPv6", "2001:db8::/32", /is not an IPv4 CIDR/],
  ])("api_authorized_cidrs refuses %s", (_name, cidr, message) => {
    const error = errorsOf({ infrastructure_task: "cluster_setup", api_authorized_cidrs: [cidr] }).find((e) =>
      e.path.startsWith("api_authorized_cidrs"),
    );
    expect(error?.message).toMatch(message);
  });

  it.each(["gcp", "on_premise"])("api_authorized_cidrs is refused on %s, where it would do nothing", (cloud) => {
    const error = errorsOf({
      infrastructure_task: "cluster_setup",
      cloud_provider: cloud,
      api_authorized_cidrs: ["203.0.113.7/32"],
    }).find((e) => e.path === "api_authorized_cidrs");
    expect(error?.message).toMatch(/applies to AKS and EKS only/);
  });

  it("api_authorized_cidrs holds what the cloud takes: 40 on EKS, 199 on AKS (the NAT gateway's is the 200th)", () => {
    const ranges = (n: number) => Array.from({ length: n }, (_, i) => `10.${i % 256}.${Math.floor(i / 256)}.0/24`);
    const problem = (cloud: string, n: number) => {
      const result = planInputSchema.safeParse({
        infrastructure_task: "cluster_setup",
        cloud_provider: cloud,
        api_authorized_cidrs: ranges(n),
      });
      return result.success
        ? undefined
        : formatPlanInputErrors(result.error).find((e) => e.path === "api_authorized_cidrs")?.message;
    };
    expect(problem("aws", 40)).toBeUndefined();
    expect(problem("aws", 41)).toMatch(/EKS takes at most 40/);
    expect(problem("azure", 199)).toBeUndefined();
    expect(problem("azure", 200)).toMatch(/at most 199/);
  });

  it.each(["203.0.113.7/32", "198.51.100.0/24", "10.0.0.0/8"])("api_authorized_cidrs accepts %s", (cidr) => {
    expect(
      planInputSchema.parse({ infrastructure_task: "cluster_setup", api_authorized_cidrs: [cidr] })
        .api_authorized_cidrs,
    ).toEqual([cidr]);
  });

  const pool = { name: "gpu", instance_type: "g5.xlarge", min_nodes: 1, max_nodes: 4 };
  it.each([
    [
      "min_nodes above max_nodes",
      { ...pool, min_nodes: 5 },
      "node_pools[0].max_nodes",
      /max_nodes \(4\) is below min_nodes \(5\) in node pool "gpu"/,
    ],
    ["negative nodes", { ...pool, min_nodes: -2 }, "node_pools[0].min_nodes", /at least 0/],
    ["non-DNS pool name", { ...pool, name: "GPU_Pool" }, "node_pools[0].name", /DNS-1123/],
    [
      "instance type not in the price table",
      { ...pool, instance_type: "x9.huge" },
      "node_pools[0].instance_type",
      /not in the aws price table: use one of .*g5.xlarge/,
    ],
    [
      "a reserved label domain",
      { ...pool, labels: { "node.kubernetes.io/role": "gpu" } },
      "node_pools[0].labels.node.kubernetes.io/role",
      /reserved domain \(node.kubernetes.io\).*ml-platform\/role/,
    ],
    [
      "unknown taint effect",
      { ...pool, taints: [{ key: "k", value: "v", effect: "Sometimes" }] },
      "node_pools[0].taints[0].effect",
      /./,
    ],
  ])("node pool: %s", (_name, badPool, path, message) => {
    const errors = errorsOf({ infrastructure_task: "cluster_setup", node_pools: [badPool] });
    expect(errors.find((e) => e.path === path)?.message, JSON.stringify(errors)).toMatch(message);
  });

  it("refuses spot on premises", () => {
    const errors = errorsOf({
      infrastructure_task: "cluster_setup",
      cloud_provider: "on_premise",
      node_pools: [{ name: "g", instance_type: "gpu-1x-l4-16c", min_nodes: 0, max_nodes: 2, capacity_type: "spot" }],
    });
    expect(errors).toContainEqual({
      path: "node_pools[0].capacity_type",
      message: "capacity_type spot does not exist on premises: use on_demand",
    });
  });

  it("refuses a plan with no GPU pool", () => {
    const errors = errorsOf({
      infrastructure_task: "cluster_setup",
      node_pools: [{ name: "cpu", instance_type: "c6i.8xlarge", min_nodes: 1, max_nodes: 2 }],
    });
    expect(errors[0]).toMatchObject({ path: "node_pools", message: expect.stringMatching(/no node pool has GPUs/) });
  });
});

describe("planInputSchema input strictness (unknown keys, sizes, bounds)", () => {
  it.each([
    ["top-level key", { infrastructure_task: "auto_scaling", gpu_count: 8 }, "(root)", /unknown field "gpu_count"/],
    [
      "nested key",
      { infrastructure_task: "auto_scaling", cost: { budget_usd_month: 5000 } },
      "cost",
      /unknown field "cost.budget_usd_month"/,
    ],
    [
      "node pool key",
      {
        infrastructure_task: "auto_scaling",
        node_pools: [{ name: "g", instance_type: "g5.xlarge", min_nodes: 0, max_nodes: 2, gpus: 1 }],
      },
      "node_pools[0]",
      /"node_pools\[\]\.gpus"/,
    ],
    [
      "training nodes over the pool",
      { infrastructure_task: "cluster_setup", workload_type: "training", training: { nodes: 512 } },
      "training.nodes",
      /needs 512 p4d.24xlarge nodes.*max_nodes 20/,
    ],
    [
      "replicas over the pool",
      { infrastructure_task: "auto_scaling", scale_requirements: { max_replicas: 1000 } },
      "scale_requirements.max_replicas",
      /lower max_replicas to 100/,
    ],
    [
      "minimum replicas over the pool",
      { infrastructure_task: "auto_scaling", scale_requirements: { min_replicas: 1000 } },
      "scale_requirements.min_replicas",
      /min_replicas \(1000\).*lower min_replicas to 100/,
    ],
    [
      "tiny GPU target",
      { infrastructure_task: "auto_scaling", scale_requirements: { target_gpu_utilization: 0.001 } },
      "scale_requirements.target_gpu_utilization",
      /at least 0.05/,
    ],
    [
      "cron out of range",
      { infrastructure_task: "disaster_recovery", disaster_recovery: { backup_schedule: "99 99 * * *" } },
      "disaster_recovery.backup_schedule",
      /minute field "99" is outside 0-59/,
    ],
    [
      "cron with 6 fields",
      { infrastructure_task: "disaster_recovery", disaster_recovery: { backup_schedule: "0 0 */6 * * *" } },
      "disaster_recovery.backup_schedule",
      /needs 5/,
    ],
  ])("refuses %s", (_, input, path, message) => {
    const errors = errorsOf(input);
    expect(errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it.each(["0 */6 * * *", "30 2 * * 1-5", "0 0 1,15 * *", "*/15 * * * 0"])("accepts the cron %s", (schedule) => {
    expect(
      planInputSchema.safeParse({
        infrastructure_task: "disaster_recovery",
        disaster_recovery: { backup_schedule: schedule },
      }).success,
    ).toBe(true);
  });

  it("defaults max_replicas to what the pool holds when that is under 100, and Kubernetes to 1.35", () => {
    const small = planInputSchema.parse({
      infrastructure_task: "auto_scaling",
      node_pools: [{ name: "g", instance_type: "g5.xlarge", min_nodes: 0, max_nodes: 6 }],
    });
    expect(small.scale_requirements.max_replicas).toBe(6);
    const input = planInputSchema.parse({ infrastructure_task: "auto_scaling" });
    expect(input.scale_requirements.max_replicas).toBe(100);
    expect(input.kubernetes_version).toBe("1.35");
  });
});
