// DCGM exporter + kube-state-metrics history for one small cluster, shaped like the real exporters' series.
import type { OpenMetricsSeries } from "./start-prometheus";

export interface PlantedGpu {
  node: string;
  gpu: string;
  /** Pod holding the GPU, or undefined for a GPU nobody requested. */
  pod?: { namespace: string; name: string; team: string; workloadType: string };
  utilization: (tsMs: number) => number;
  memoryUsedMiB: number;
}

export interface PlantedNode {
  node: string;
  instanceType: string;
  capacityType: "spot" | "on-demand";
  nodePool: string;
}

/** One point every `stepMs` (default 60 s) over [start, end). */
export function dcgmHistory(nodes: PlantedNode[], gpus: PlantedGpu[], start: number, end: number, stepMs = 60_000): OpenMetricsSeries[] {
  const times: number[] = [];
  for (let t = start; t < end; t += stepMs) times.push(t);
  const out: OpenMetricsSeries[] = [];
  for (const g of gpus) {
    const labels: Record<string, string> = { gpu: g.gpu, UUID: `GPU-${g.node}-${g.gpu}`, Hostname: g.node, modelName: "NVIDIA A10G", device: `nvidia${g.gpu}` };
    if (g.pod) Object.assign(labels, { namespace: g.pod.namespace, pod: g.pod.name, container: "main" });
    out.push({ name: "DCGM_FI_DEV_GPU_UTIL", labels, points: times.map((t) => [t, g.utilization(t)]) });
    out.push({ name: "DCGM_FI_DEV_FB_USED", labels, points: times.map((t) => [t, g.memoryUsedMiB]) });
    out.push({ name: "DCGM_FI_DEV_FB_FREE", labels, points: times.map((t) => [t, 23_000 - g.memoryUsedMiB]) });
    out.push({ name: "DCGM_FI_DEV_POWER_USAGE", labels, points: times.map((t) => [t, 60 + g.utilization(t) * 2]) });
  }
  const pods = new Map(gpus.filter((g) => g.pod).map((g) => [`${g.pod!.namespace}/${g.pod!.name}`, g]));
  for (const g of pods.values()) {
    const p = g.pod!;
    const count = gpus.filter((x) => x.pod?.name === p.name && x.pod.namespace === p.namespace).length;
    out.push({ name: "kube_pod_container_resource_requests", labels: { namespace: p.namespace, pod: p.name, container: "main", node: g.node, resource: "nvidia_com_gpu", unit: "integer" }, points: times.map((t) => [t, count]) });
    out.push({ name: "kube_pod_info", labels: { namespace: p.namespace, pod: p.name, node: g.node, created_by_kind: "ReplicaSet", host_network: "false" }, points: times.map((t) => [t, 1]) });
    out.push({ name: "kube_pod_labels", labels: { namespace: p.namespace, pod: p.name, label_team: p.team, label_workload_type: p.workloadType }, points: times.map((t) => [t, 1]) });
  }
  for (const n of nodes) {
    out.push({
      name: "kube_node_labels",
      labels: { node: n.node, label_node_kubernetes_io_instance_type: n.instanceType, label_karpenter_sh_capacity_type: n.capacityType, label_karpenter_sh_nodepool: n.nodePool },
      points: times.map((t) => [t, 1]),
    });
  }
  return out;
}
