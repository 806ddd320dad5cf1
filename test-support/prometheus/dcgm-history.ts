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
  /** `topology.kubernetes.io/region`, exported by kube-state-metrics' node allow-list when set. */
  region?: string;
  /** The node exists over [from, until) (epoch ms); by default over the whole history. Its GPUs only while it does. */
  from?: number;
  until?: number;
}

const podId = (p: PlantedPod) => `${p.namespace}/${p.name}`;

/** How the cluster's exporters are set up: the conventions real clusters have (see issue 13's table). */
export interface ClusterConvention {
  /** Node labels of the pool, capacity type and instance type (default karpenter). */
  nodeLabels?: "karpenter" | "eks" | "gke" | "aks" | "kubeadm";
  /** DCGM scraped by a ServiceMonitor without honorLabels: its pod/namespace arrive as exported_pod/exported_namespace. */
  honorLabels?: boolean;
  /** dcgm-exporter without NODE_NAME: its Hostname is its own pod's name. */
  nodeName?: boolean;
  /** kube-state-metrics without --metric-labels-allowlist (its default): no label_* on pods or nodes. */
  ksmAllowlist?: boolean;
  /** kube-state-metrics scraped without honorLabels: its pod/namespace arrive as exported_pod/exported_namespace. */
  ksmHonorLabels?: boolean;
  /** kube-state-metrics' node allow-list leaves out the capacity-type label (default: it is exported). */
  capacityLabel?: boolean;
  /** The pods' team label key, as kube-state-metrics names it (teamName → label_team_name). */
  teamLabelColumn?: string;
}

/** The DCGM exporter pod of a node (a DaemonSet pod). */
export const exporterPodOf = (node: string) => `nvidia-dcgm-exporter-${node.replace(/[^a-z0-9]/g, "").slice(-5)}`;

function nodeLabelColumns(n: PlantedNode, convention: ClusterConvention["nodeLabels"]): Record<string, string> {
  const instance = {
    label_node_kubernetes_io_instance_type: n.instanceType,
    ...(n.region ? { label_topology_kubernetes_io_region: n.region } : {}),
  };
  const spot = n.capacityType === "spot";
  switch (convention) {
    case "eks":
      return {
        ...instance,
        label_eks_amazonaws_com_nodegroup: n.nodePool,
        label_eks_amazonaws_com_capacity_type: spot ? "SPOT" : "ON_DEMAND",
      };
    case "gke":
      return {
        ...instance,
        label_cloud_google_com_gke_nodepool: n.nodePool,
        ...(spot ? { label_cloud_google_com_gke_spot: "true" } : {}),
      };
    case "aks":
      return {
        ...instance,
        label_kubernetes_azure_com_agentpool: n.nodePool,
        label_agentpool: n.nodePool,
        label_kubernetes_azure_com_scalesetpriority: spot ? "spot" : "regular",
      };
    case "kubeadm":
      return { ...instance, label_pool: n.nodePool, label_capacity: spot ? "spot" : "on-demand" };
    default:
      return { ...instance, label_karpenter_sh_capacity_type: n.capacityType, label_karpenter_sh_nodepool: n.nodePool };
  }
}

const capacityColumns = new Set([
  "label_karpenter_sh_capacity_type",
  "label_eks_amazonaws_com_capacity_type",
  "label_cloud_google_com_gke_spot",
  "label_kubernetes_azure_com_scalesetpriority",
  "label_capacity",
]);

function withoutCapacity(columns: Record<string, string>, capacityLabel = true): Record<string, string> {
  return capacityLabel ? columns : Object.fromEntries(Object.entries(columns).filter(([k]) => !capacityColumns.has(k)));
}

/** One point every `stepMs` (default 60 s) over [start, end). */
export function dcgmHistory(
  nodes: PlantedNode[],
  gpus: PlantedGpu[],
  start: number,
  end: number,
  stepMs = 60_000,
  convention: ClusterConvention = {},
): OpenMetricsSeries[] {
  const honorLabels = convention.honorLabels ?? true;
  const ksmAllowlist = convention.ksmAllowlist ?? true;
  const times: number[] = [];
  for (let t = start; t < end; t += stepMs) times.push(t);
  const alive = (n: PlantedNode | undefined, t: number) =>
    !n || (t >= (n.from ?? -Infinity) && t < (n.until ?? Infinity));
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
      const hostname = convention.nodeName === false ? exporterPodOf(g.node) : g.node;
      const labels: Record<string, string> = {
        gpu: g.gpu,
        UUID: `GPU-${g.node}-${g.gpu}`,
        Hostname: hostname,
        modelName: "NVIDIA A10G",
        device: `nvidia${g.gpu}`,
      };
      if (holder)
        Object.assign(
          labels,
          honorLabels
            ? { namespace: holder.namespace, pod: holder.name, container: "main" }
            : { exported_namespace: holder.namespace, exported_pod: holder.name, exported_container: "main" },
        );
      // The scrape's own target labels: the exporter pod's (kept as they are when honorLabels is off).
      if (!honorLabels)
        Object.assign(labels, {
          namespace: "gpu-operator",
          pod: exporterPodOf(g.node),
          container: "nvidia-dcgm-exporter",
        });
      out.push({ name: "DCGM_FI_DEV_GPU_UTIL", labels, points: held.map((t) => [t, g.utilization(t)]) });
      out.push({ name: "DCGM_FI_DEV_FB_USED", labels, points: held.map((t) => [t, g.memoryUsedMiB]) });
      out.push({ name: "DCGM_FI_DEV_FB_FREE", labels, points: held.map((t) => [t, 23_000 - g.memoryUsedMiB]) });
      out.push({ name: "DCGM_FI_DEV_POWER_USAGE", labels, points: held.map((t) => [t, 60 + g.utilization(t) * 2]) });
    }
  }
  for (const { pod: p, node, gpusAt } of pods.values()) {
    const points = (value: (count: number) => number): [number, number][] =>
      [...gpusAt].map(([t, count]) => [t, value(count)]);
    out.push({
      name: "kube_pod_container_resource_requests",
      labels: {
        namespace: p.namespace,
        pod: p.name,
        container: "main",
        node,
        resource: "nvidia_com_gpu",
        unit: "integer",
      },
      points: points((count) => count),
    });
    out.push({
      name: "kube_pod_info",
      labels: { namespace: p.namespace, pod: p.name, node, created_by_kind: "ReplicaSet", host_network: "false" },
      points: points(() => 1),
    });
    const podLabels: Record<string, string> = ksmAllowlist
      ? { [convention.teamLabelColumn ?? "label_team"]: p.team, label_workload_type: p.workloadType }
      : {};
    out.push({
      name: "kube_pod_labels",
      labels: { namespace: p.namespace, pod: p.name, ...podLabels },
      points: points(() => 1),
    });
  }
  for (const n of nodes) {
    const points: [number, number][] = times.filter((t) => alive(n, t)).map((t) => [t, 1]);
    out.push({
      name: "kube_node_labels",
      labels: {
        node: n.node,
        ...(ksmAllowlist ? withoutCapacity(nodeLabelColumns(n, convention.nodeLabels), convention.capacityLabel) : {}),
      },
      points,
    });
    // The node's DCGM exporter pod (a DaemonSet): kube-state-metrics places it on its node.
    out.push({
      name: "kube_pod_info",
      labels: {
        namespace: "gpu-operator",
        pod: exporterPodOf(n.node),
        node: n.node,
        created_by_kind: "DaemonSet",
        host_network: "false",
      },
      points,
    });
  }
  return convention.ksmHonorLabels === false ? out.map(exportKsmPodLabels) : out;
}

/** A kube_pod_* series as a ServiceMonitor without honorLabels stores it: the scrape target's pod and namespace win. */
function exportKsmPodLabels(s: OpenMetricsSeries): OpenMetricsSeries {
  if (!s.name.startsWith("kube_pod")) return s;
  const { namespace, pod, ...rest } = s.labels;
  if (namespace === undefined || pod === undefined) return s;
  return {
    ...s,
    labels: {
      ...rest,
      exported_namespace: namespace,
      exported_pod: pod,
      namespace: "monitoring",
      pod: "kube-state-metrics-7c9f",
    },
  };
}
