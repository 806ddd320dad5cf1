import { describe, expect, it } from "vitest";
import { joinUsageSeries, usageQueries, type MatrixSeries, type UsageQuery } from "./prometheus-join";
import { UNALLOCATED_TEAM } from "./schema";

const t = 1_764_000_000; // an hour boundary in unix seconds
const gpu = (g: string, extra: Record<string, string> = {}) => ({ Hostname: "n1", gpu: g, UUID: `GPU-${g}`, ...extra });
const series = (metric: Record<string, string>, v: number): MatrixSeries => ({ metric, values: [[t, String(v)]] });
const empty = Object.fromEntries(Object.keys(usageQueries).map((k) => [k, []])) as unknown as Record<UsageQuery, MatrixSeries[]>;

describe("joinUsageSeries", () => {
  const results: Record<UsageQuery, MatrixSeries[]> = {
    ...empty,
    utilization: [series(gpu("0", { namespace: "ml", pod: "a" }), 40), series(gpu("1", { namespace: "ml", pod: "stale" }), 70), series(gpu("2"), 0)],
    engineActive: [series(gpu("0", { namespace: "ml", pod: "a" }), 0.25)],
    memoryUsed: [series(gpu("0", { namespace: "ml", pod: "a" }), 5000)],
    gpuRequests: [series({ namespace: "ml", pod: "a", node: "n1", resource: "nvidia_com_gpu" }, 1)],
    podLabels: [series({ namespace: "ml", pod: "a", label_team: "nlp", label_workload_type: "inference" }, 1)],
    nodeLabels: [series({ node: "n1", label_node_kubernetes_io_instance_type: "g5.12xlarge", label_karpenter_sh_capacity_type: "spot", label_karpenter_sh_nodepool: "inf" }, 1)],
  };
  const samples = joinUsageSeries(results);
  const byGpu = new Map(samples.map((s) => [s.gpuId.split("|")[1], s]));

  it("attributes a GPU to the team and workload of the pod that requests it, on the node's pool and capacity type", () => {
    expect(byGpu.get("0")).toMatchObject({ team: "nlp", workloadType: "inference", nodePool: "inf", instanceType: "g5.12xlarge", capacityType: "spot", memoryUsedMiB: 5000, ts: (t - 3600) * 1000 });
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
