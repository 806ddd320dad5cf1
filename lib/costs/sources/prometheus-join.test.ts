import { describe, expect, it } from "vitest";
import { joinUsageSeries, usageQueries, type MatrixSeries, type UsageQuery } from "./prometheus-join";
import { rollupSamples } from "@/lib/costs/rollups/allocation";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import { UNALLOCATED_TEAM, type GpuSample } from "@/lib/costs/schema";

const t = 1_764_000_000; // an hour boundary in unix seconds
const gpu = (g: string, extra: Record<string, string> = {}) => ({ Hostname: "n1", gpu: g, UUID: `GPU-${g}`, ...extra });
const series = (metric: Record<string, string>, v: number): MatrixSeries => ({ metric, values: [[t, String(v)]] });
const empty = Object.fromEntries(Object.keys(usageQueries).map((k) => [k, []])) as unknown as Record<
  UsageQuery,
  MatrixSeries[]
>;

describe("joinUsageSeries", () => {
  const results: Record<UsageQuery, MatrixSeries[]> = {
    ...empty,
    utilization: [
      series(gpu("0", { namespace: "ml", pod: "a" }), 40),
      series(gpu("1", { namespace: "ml", pod: "stale" }), 70),
      series(gpu("2"), 0),
    ],
    engineActive: [series(gpu("0", { namespace: "ml", pod: "a" }), 0.25)],
    memoryUsed: [series(gpu("0", { namespace: "ml", pod: "a" }), 5000)],
    gpuRequests: [series({ namespace: "ml", pod: "a", node: "n1", resource: "nvidia_com_gpu" }, 1)],
    podLabels: [series({ namespace: "ml", pod: "a", label_team: "nlp", label_workload_type: "inference" }, 1)],
    nodeLabels: [
      series(
        {
          node: "n1",
          label_node_kubernetes_io_instance_type: "g5.12xlarge",
          label_karpenter_sh_capacity_type: "spot",
          label_karpenter_sh_nodepool: "inf",
        },
        1,
      ),
    ],
  };
  const samples = joinUsageSeries(results);
  const byGpu = new Map(samples.map((s) => [s.gpuId.split("|")[1], s]));

  it("attributes a GPU to the team and workload of the pod that requests it, on the node's pool and capacity type", () => {
    expect(byGpu.get("0")).toMatchObject({
      team: "nlp",
      workloadType: "inference",
      nodePool: "inf",
      instanceType: "g5.12xlarge",
      capacityType: "spot",
      memoryUsedMiB: 5000,
      ts: (t - 3600) * 1000,
    });
  });
  it("prefers DCGM_FI_PROF_GR_ENGINE_ACTIVE (a ratio) over GPU_UTIL where present", () => {
    expect(byGpu.get("0")!.utilization).toBeCloseTo(25);
    expect(byGpu.get("1")!.utilization).toBe(70);
  });
  it("charges GPUs without a requesting pod to the unallocated team", () => {
    expect(byGpu.get("1")!.team).toBe(UNALLOCATED_TEAM); // DCGM still names a pod that no longer requests a GPU
    expect(byGpu.get("2")!.team).toBe(UNALLOCATED_TEAM);
  });
});

describe("joinUsageSeries: GPU-hours are the share of the hour each series was scraped", () => {
  const rate = (s: GpuSample) => gpuHourlyRate("aws", s.instanceType, s.capacityType);
  const g5 = gpuHourlyRate("aws", "g5.xlarge", "on_demand");
  const nodes = [
    series({ node: "n1", label_node_kubernetes_io_instance_type: "g5.xlarge" }, 1),
    series({ node: "n2", label_node_kubernetes_io_instance_type: "g5.xlarge" }, 1),
  ];
  const pod = (name: string, team = "nlp") => ({ namespace: "ml", pod: name, label_team: team });
  const held = (g: Record<string, string>, util: number, scrapes: number, memory = 1000) => ({
    util: series(g, util),
    count: series(g, scrapes),
    memory: series(g, memory),
  });
  const join = (
    gpus: ReturnType<typeof held>[],
    pods: ({ namespace: string; pod: string } & Record<string, string>)[],
  ) =>
    joinUsageSeries({
      ...empty,
      utilization: gpus.map((g) => g.util),
      presence: gpus.map((g) => g.count),
      memoryUsed: gpus.map((g) => g.memory),
      gpuRequests: pods.map((p) => series({ namespace: p.namespace, pod: p.pod }, 1)),
      podLabels: pods.map((p) => series(p, 1)),
      nodeLabels: nodes,
    });
  // A GPU on n2 present all hour: the 60 scrapes an hour every full series has.
  const steady = held({ Hostname: "n2", gpu: "0", UUID: "GPU-steady", namespace: "ml", pod: "steady" }, 50, 60);
  const onN1 = (p: string) => ({ Hostname: "n1", gpu: "0", UUID: "GPU-0", namespace: "ml", pod: p });

  it("bills a GPU that pod a held for 20 minutes and pod b for 40 once: a third and two thirds of an hour", () => {
    const samples = join(
      [held(onN1("a"), 90, 20, 4000), held(onN1("b"), 30, 40, 1000), steady],
      [pod("a"), pod("b"), pod("steady", "vision")],
    );
    const hoursByUtilization = new Map(
      samples.filter((s) => s.gpuId === "n1|0|GPU-0").map((s) => [s.utilization, s.hours]),
    );
    expect(hoursByUtilization.get(90)).toBeCloseTo(1 / 3, 12); // pod a
    expect(hoursByUtilization.get(30)).toBeCloseTo(2 / 3, 12); // pod b
    const nlp = rollupSamples(samples, "prometheus", rate).find((r) => r.team === "nlp")!;
    expect(nlp.gpuHoursAllocated).toBeCloseTo(1, 12);
    expect(nlp.costUsd).toBeCloseTo(g5, 12);
    // Weighted by the share held: 90% for a third of the hour, 30% for the rest.
    expect(nlp.utilizationAvg).toBeCloseTo(50, 9);
    expect(nlp.gpuHoursUsed).toBeCloseTo(0.5, 12);
    expect(nlp.memoryUsedMiBAvg).toBeCloseTo(2000, 9);
  });

  it("keeps each pod's own engine activity when the GPU changes pod", () => {
    const samples = joinUsageSeries({
      ...empty,
      utilization: [series(onN1("a"), 10), series(onN1("b"), 10)],
      engineActive: [series(onN1("a"), 0.9), series(onN1("b"), 0.3)],
      presence: [series(onN1("a"), 30), series(onN1("b"), 30)],
      gpuRequests: [series({ namespace: "ml", pod: "a" }, 1), series({ namespace: "ml", pod: "b" }, 1)],
      podLabels: [series(pod("a", "x"), 1), series(pod("b", "y"), 1)],
      nodeLabels: nodes,
    });
    expect(Object.fromEntries(samples.map((s) => [s.team, s.utilization]))).toEqual({ x: 90, y: 30 });
  });

  it("bills a node that lived 10 minutes of the hour a sixth of an hour", () => {
    const samples = join([held(onN1("burst"), 80, 10), steady], [pod("burst"), pod("steady", "vision")]);
    const burst = rollupSamples(samples, "prometheus", rate).find((r) => r.team === "nlp")!;
    expect(burst.gpuHoursAllocated).toBeCloseTo(1 / 6, 12);
    expect(burst.costUsd).toBeCloseTo(g5 / 6, 12);
    expect(burst.utilizationAvg).toBeCloseTo(80, 9);
  });

  it("leaves a GPU held all hour at one GPU-hour", () => {
    const samples = join([steady], [pod("steady", "vision")]);
    expect(samples.map((s) => s.hours)).toEqual([1]);
    expect(rollupSamples(samples, "prometheus", rate)[0]).toMatchObject({
      gpuHoursAllocated: 1,
      costUsd: g5,
      utilizationAvg: 50,
    });
  });

  it("knows a whole hour from the other hours: a GPU alone in its hour for 10 minutes is billed a sixth, scrape jitter bills nothing extra", () => {
    // Three hours of the steady GPU (60, 61 and 60 scrapes: one hour caught an extra scrape), and in a fourth
    // hour only a burst node that lived 10 minutes.
    const hours = [0, 1, 2, 3].map((h) => t + h * 3600);
    const over = (metric: Record<string, string>, values: (number | null)[]): MatrixSeries => ({
      metric,
      values: values.flatMap((v, i) => (v === null ? [] : [[hours[i], String(v)] as [number, string]])),
    });
    const steadyLabels = { Hostname: "n2", gpu: "0", UUID: "GPU-steady", namespace: "ml", pod: "steady" };
    const samples = joinUsageSeries({
      ...empty,
      utilization: [over(steadyLabels, [50, 50, 50, null]), over(onN1("burst"), [null, null, null, 80])],
      presence: [over(steadyLabels, [60, 61, 60, null]), over(onN1("burst"), [null, null, null, 10])],
      gpuRequests: [series({ namespace: "ml", pod: "burst" }, 1), series({ namespace: "ml", pod: "steady" }, 1)],
      podLabels: [series(pod("burst"), 1), series(pod("steady", "vision"), 1)],
      nodeLabels: nodes,
    });
    expect(samples.filter((s) => s.gpuId === "n2|0|GPU-steady").map((s) => s.hours)).toEqual([1, 1, 1]);
    expect(samples.filter((s) => s.gpuId === "n1|0|GPU-0").map((s) => s.hours)).toEqual([1 / 6]);
  });

  it.each([
    { name: "two scrape jobs of one exporter (both series complete)", counts: [60, 60] },
    { name: "an exporter restart whose series overlap", counts: [45, 30] },
    { name: "no sample counts returned", counts: [undefined, undefined] },
  ])("never bills one GPU more than an hour per hour: $name", ({ counts }) => {
    const gpus = counts.map((n, i) => held({ ...onN1("a"), instance: `10.0.0.${i}:9400` }, 40, n ?? 0));
    const samples = joinUsageSeries({
      ...empty,
      utilization: [...gpus.map((g) => g.util), steady.util],
      presence: [...gpus.filter((_, i) => counts[i] !== undefined).map((g) => g.count), steady.count],
      gpuRequests: [series({ namespace: "ml", pod: "a" }, 1)],
      podLabels: [series(pod("a"), 1)],
      nodeLabels: nodes,
    });
    const total = samples.filter((s) => s.gpuId === "n1|0|GPU-0").reduce((sum, s) => sum + s.hours, 0);
    expect(total).toBeCloseTo(1, 12);
  });
});
