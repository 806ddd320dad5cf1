// DCGM exporter + kube-state-metrics history for one small cluster, shaped like the real exporters' series.
import type { OpenMetricsSeries } from "./start-prometheus";

export interface PlantedPod {
  namespace: string;
  name: string;
  team: string;
  workloadType: string;
}

export interface PlantedGpu {
  node: string;
  gpu: string;
  /**
   * Pod holding the GPU, or undefined for a GPU nobody requested. A function of time plants pods taking turns: DCGM
   * then writes a new series each time the pod changes, as the real exporter does.
   */
  pod?: PlantedPod | ((tsMs: number) => PlantedPod | undefined);
  utilization: (tsMs: number) => number;
  memoryUsedMiB: number;
}

export interface PlantedNode {
  node: string;
  instanceType: string;
  capacityType: "spot" | "on-demand";
  nodePool: string;
  /** The node exists over [from, until) (epoch ms); by default over the whole history. Its GPUs only while it does. */
  from?: number;
  until?: number;
}

const podId = (p: PlantedPod) => `${p.namespace}/${p.name}`;

/** One point every `stepMs` (default 60 s) over [start, end). */
export function dcgmHistory(nodes: PlantedNode[], gpus: PlantedGpu[], start: number, end: number, stepMs = 60_000): OpenMetricsSeries[] {
  const times: number[] = [];
  for (let t = start; t < end; t += stepMs) times.push(t);
  const alive = (n: PlantedNode | undefined, t: number) => !n || (t >= (n.from ?? -Infinity) && t < (n.until ?? Infinity));
  const nodeOf = new Map(nodes.map((n) => [n.node, n]));
  const out: OpenMetricsSeries[] = [];
  // Per pod: its node and the GPUs it holds at each time, for kube-state-metrics.
  const pods = new Map<string, { pod: PlantedPod; node: string; gpusAt: Map<number, number> }>();
  for (const g of gpus) {
    const holderAt = (t: number) => (typeof g.pod === "function" ? g.pod(t) : g.pod);
    // One DCGM series per holder (none included), with the points while it held the GPU.
    const byHolder = new Map<string, { holder?: PlantedPod; times: number[] }>();
    for (const t of times) {
      if (!alive(nodeOf.get(g.node), t)) continue;
      const holder = holderAt(t);
      const id = holder ? podId(holder) : "";
      const entry = byHolder.get(id) ?? { holder, times: [] };
      entry.times.push(t);
      byHolder.set(id, entry);
      if (holder) {
        const p = pods.get(id) ?? { pod: holder, node: g.node, gpusAt: new Map() };
        p.gpusAt.set(t, (p.gpusAt.get(t) ?? 0) + 1);
        pods.set(id, p);
      }
    }
    for (const { holder, times: held } of byHolder.values()) {
      const labels: Record<string, string> = { gpu: g.gpu, UUID: `GPU-${g.node}-${g.gpu}`, Hostname: g.node, modelName: "NVIDIA A10G", device: `nvidia${g.gpu}` };
      if (holder) Object.assign(labels, { namespace: holder.namespace, pod: holder.name, container: "main" });
      out.push({ name: "DCGM_FI_DEV_GPU_UTIL", labels, points: held.map((t) => [t, g.utilization(t)]) });
      out.push({ name: "DCGM_FI_DEV_FB_USED", labels, points: held.map((t) => [t, g.memoryUsedMiB]) });
      out.push({ name: "DCGM_FI_DEV_FB_FREE", labels, points: held.map((t) => [t, 23_000 - g.memoryUsedMiB]) });
      out.push({ name: "DCGM_FI_DEV_POWER_USAGE", labels, points: held.map((t) => [t, 60 + g.utilization(t) * 2]) });
    }
  }
  for (const { pod: p, node, gpusAt } of pods.values()) {
    const points = (value: (count: number) => number): [number, number][] => [...gpusAt].map(([t, count]) => [t, value(count)]);
    out.push({ name: "kube_pod_container_resource_requests", labels: { namespace: p.namespace, pod: p.name, container: "main", node, resource: "nvidia_com_gpu", unit: "integer" }, points: points((count) => count) });
    out.push({ name: "kube_pod_info", labels: { namespace: p.namespace, pod: p.name, node, created_by_kind: "ReplicaSet", host_network: "false" }, points: points(() => 1) });
    out.push({ name: "kube_pod_labels", labels: { namespace: p.namespace, pod: p.name, label_team: p.team, label_workload_type: p.workloadType }, points: points(() => 1) });
  }
  for (const n of nodes) {
    out.push({
      name: "kube_node_labels",
      labels: { node: n.node, label_node_kubernetes_io_instance_type: n.instanceType, label_karpenter_sh_capacity_type: n.capacityType, label_karpenter_sh_nodepool: n.nodePool },
      points: times.filter((t) => alive(n, t)).map((t) => [t, 1]),
    });
  }
  return out;
}
