import Link from "next/link";
import { Meter } from "@/components/ui/meter";

export interface ClusterGpuLineProps {
  clusterId: string;
  clusterName: string;
  summary: { totals: { nodes: number; gpuAllocatable: number; gpuAllocated: number }; pendingGpuPods: number };
}

/** A cluster's GPUs on the home page: "18 / 56 GPUs allocated" (a bare "18 / 56 GPUs" does not say 18 what). */
export function ClusterGpuLine({ clusterId, clusterName, summary }: ClusterGpuLineProps) {
  const { totals, pendingGpuPods } = summary;
  return (
    <div className="row mt-4">
      <Meter
        used={totals.gpuAllocated}
        total={totals.gpuAllocatable}
        label={`GPUs on ${clusterName}`}
        unit=" GPUs allocated"
      />
      <span className="help">
        {totals.gpuAllocatable - totals.gpuAllocated} free on {totals.nodes} nodes
      </span>
      {pendingGpuPods > 0 && (
        <Link href={`/clusters/${clusterId}#pending-pods`} className="badge badge-warning">
          {pendingGpuPods} GPU pod{pendingGpuPods === 1 ? "" : "s"} waiting
        </Link>
      )}
    </div>
  );
}
