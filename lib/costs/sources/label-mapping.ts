// Which Kubernetes labels say a GPU's team, workload type, node pool, capacity type and instance type, per cluster
// convention (Karpenter, EKS managed node groups, GKE, AKS, kubeadm) plus the keys an admin sets in Settings. Every
// reader of kube_pod_labels / kube_node_labels goes through here, so the conventions live in one place. Pure.
import type { CapacityType } from "@/lib/costs/schema";

export const labelPresets = ["auto", "karpenter", "eks", "gke", "aks", "kubeadm"] as const;
export type LabelPreset = (typeof labelPresets)[number];

export const labelPresetNames: Record<LabelPreset, string> = {
  auto: "Detect (every convention below)",
  karpenter: "Karpenter",
  eks: "EKS managed node groups",
  gke: "GKE",
  aks: "AKS",
  kubeadm: "kubeadm / plain Kubernetes",
};

/** Kubernetes label keys (not the Prometheus columns), the first present wins. */
export interface LabelMapping {
  team: readonly string[];
  workloadType: readonly string[];
  nodePool: readonly string[];
  /** A node is on spot when one of these labels says so (`spot`, or `true` for GKE's boolean labels). */
  capacityType: readonly string[];
  /**
   * Node labels that make a missing capacity label mean on demand: GKE labels only its spot and preemptible nodes,
   * so a GKE node (it carries `cloud.google.com/gke-nodepool`) without them is on demand. Karpenter, EKS managed node
   * groups and AKS label every node, so there a missing label means kube-state-metrics did not export it: unknown.
   */
  onDemandWhenUnlabelled?: readonly string[];
  instanceType: readonly string[];
}

const INSTANCE_TYPE = ["node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type"];

const presetNodeLabels: Record<
  Exclude<LabelPreset, "auto">,
  Pick<LabelMapping, "nodePool" | "capacityType"> & { onDemandWhenUnlabelled?: readonly string[] }
> = {
  karpenter: {
    nodePool: ["karpenter.sh/nodepool", "karpenter.sh/provisioner-name"],
    capacityType: ["karpenter.sh/capacity-type"],
  },
  eks: { nodePool: ["eks.amazonaws.com/nodegroup"], capacityType: ["eks.amazonaws.com/capacityType"] },
  gke: {
    nodePool: ["cloud.google.com/gke-nodepool"],
    capacityType: ["cloud.google.com/gke-spot", "cloud.google.com/gke-preemptible"],
    onDemandWhenUnlabelled: ["cloud.google.com/gke-nodepool"],
  },
  aks: {
    nodePool: ["kubernetes.azure.com/agentpool", "agentpool"],
    capacityType: ["kubernetes.azure.com/scalesetpriority"],
  },
  // kubeadm has no pool or capacity label of its own: only the keys set in Settings give them.
  kubeadm: { nodePool: [], capacityType: [] },
};

export interface CustomLabelKeys {
  teamKey?: string;
  workloadKey?: string;
  nodePoolKey?: string;
  capacityTypeKey?: string;
  instanceTypeKey?: string;
}

/** The mapping of a preset, with the custom keys from Settings tried first. */
export function labelMapping(preset: LabelPreset = "auto", custom: CustomLabelKeys = {}): LabelMapping {
  const presets = preset === "auto" ? (["karpenter", "eks", "gke", "aks"] as const) : ([preset] as const);
  const first = (key: string | undefined, rest: readonly string[]) => [...new Set([...(key ? [key] : []), ...rest])];
  return {
    team: first(custom.teamKey, custom.teamKey ? [] : ["team"]),
    workloadType: first(custom.workloadKey, custom.workloadKey ? [] : ["workload-type"]),
    nodePool: first(
      custom.nodePoolKey,
      presets.flatMap((p) => presetNodeLabels[p].nodePool),
    ),
    capacityType: first(
      custom.capacityTypeKey,
      presets.flatMap((p) => presetNodeLabels[p].capacityType),
    ),
    onDemandWhenUnlabelled: presets.flatMap((p) => presetNodeLabels[p].onDemandWhenUnlabelled ?? []),
    instanceType: first(custom.instanceTypeKey, INSTANCE_TYPE),
  };
}

/**
 * The column kube-state-metrics (v2) gives a Kubernetes label: `label_` + the key with every character outside
 * [a-zA-Z0-9_] replaced by `_`, then snake-cased (a lower-case letter or digit followed by a capital gets a `_`
 * between them) and lower-cased: `team` → `label_team`, `teamName` → `label_team_name`,
 * `eks.amazonaws.com/capacityType` → `label_eks_amazonaws_com_capacity_type`.
 */
export function kubeLabelColumn(key: string): string {
  const sanitized = key.replace(/[^a-zA-Z0-9_]/g, "_");
  return `label_${sanitized.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()}`;
}

/** The first of `keys` present (non-empty) on a kube_*_labels series, with the key it came from. */
export function readLabel(
  series: Record<string, string>,
  keys: readonly string[],
): { value: string; key: string } | null {
  for (const key of keys) {
    const value = series[kubeLabelColumn(key)];
    if (value) return { value, key };
  }
  return null;
}

export interface NodeFacts {
  nodePool: string | null;
  instanceType: string | null;
  /** null: no capacity label where the convention always sets one (unknown; lib/costs/schema.ts capacityTypes). */
  capacityType: Exclude<CapacityType, "unknown"> | null;
}

/** Pool, instance type and capacity type of a node from its kube_node_labels series. */
export function readNode(node: Record<string, string>, mapping: LabelMapping): NodeFacts {
  const capacity = readLabel(node, mapping.capacityType);
  const v = capacity?.value.toLowerCase();
  return {
    nodePool: readLabel(node, mapping.nodePool)?.value ?? null,
    instanceType: readLabel(node, mapping.instanceType)?.value ?? null,
    // Karpenter's `reserved` is a capacity reservation, billed at the on-demand rate.
    capacityType:
      v !== undefined
        ? v === "spot" || v === "true"
          ? "spot"
          : "on_demand"
        : onDemandWhenUnlabelled(node, mapping)
          ? "on_demand"
          : null,
  };
}

/** A node without a capacity label is on demand where nothing could say otherwise, or where the convention says so. */
function onDemandWhenUnlabelled(node: Record<string, string>, mapping: LabelMapping): boolean {
  // kubeadm without a capacity key: no label can mark spot, so every node is bought on demand.
  if (mapping.capacityType.length === 0) return true;
  return readLabel(node, mapping.onDemandWhenUnlabelled ?? []) !== null;
}
