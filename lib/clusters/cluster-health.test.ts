import { describe, expect, it } from "vitest";
import { clusterHealthCells } from "./cluster-health";

describe("clusterHealthCells", () => {
  it("shows a reachable cluster's nodes, GPUs allocated / allocatable and pending GPU pods", () => {
    const cells = clusterHealthCells({
      reachable: true,
      totals: { nodes: 5, gpuAllocatable: 16, gpuAllocated: 10 },
      pendingGpuPods: 2,
    });
    expect(cells).toEqual({
      health: { tone: "success", label: "reachable", reason: null },
      nodes: "5",
      gpus: "10 / 16",
      pending: { count: 2, label: "2 waiting" },
    });
  });

  it("says why an unreachable cluster could not be read, and shows no figures for it", () => {
    const cells = clusterHealthCells({ reachable: false, reason: "no answer within 3 s" });
    expect(cells.health).toEqual({ tone: "danger", label: "unreachable", reason: "no answer within 3 s" });
    expect([cells.nodes, cells.gpus, cells.pending]).toEqual(["—", "—", null]);
  });
});
