// What the clusters list shows of each cluster's live state: pure, from the summary the live view reads.

export type GpuSummaryLike =
  | {
      reachable: true;
      totals: { nodes: number; gpuAllocatable: number; gpuAllocated: number };
      pendingGpuPods: number;
    }
  | { reachable: false; reason: string };

export interface ClusterHealthCells {
  health: { tone: "success" | "danger"; label: string; reason: string | null };
  nodes: string;
  gpus: string;
  pending: { count: number; label: string } | null;
}

/** One row's health, nodes, GPUs (allocated / allocatable) and pending GPU pods; dashes where the cluster was not read. */
export function clusterHealthCells(summary: GpuSummaryLike): ClusterHealthCells {
  if (!summary.reachable)
    return {
      health: { tone: "danger", label: "unreachable", reason: summary.reason },
      nodes: "—",
      gpus: "—",
      pending: null,
    };
  const { nodes, gpuAllocated, gpuAllocatable } = summary.totals;
  const n = summary.pendingGpuPods;
  return {
    health: { tone: "success", label: "reachable", reason: null },
    nodes: String(nodes),
    gpus: `${gpuAllocated} / ${gpuAllocatable}`,
    pending: { count: n, label: n === 0 ? "none" : `${n} waiting` },
  };
}
