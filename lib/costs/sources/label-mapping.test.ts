import { describe, expect, it } from "vitest";
import { kubeLabelColumn, labelMapping, readNode } from "./label-mapping";

describe("kubeLabelColumn: the column kube-state-metrics v2 gives a label", () => {
  it.each([
    ["team", "label_team"],
    ["workload-type", "label_workload_type"],
    ["teamName", "label_team_name"],
    ["eks.amazonaws.com/capacityType", "label_eks_amazonaws_com_capacity_type"],
    ["karpenter.sh/nodepool", "label_karpenter_sh_nodepool"],
    ["cloud.google.com/gke-spot", "label_cloud_google_com_gke_spot"],
    ["kubernetes.azure.com/scalesetpriority", "label_kubernetes_azure_com_scalesetpriority"],
    ["app.kubernetes.io/ownerTeam2", "label_app_kubernetes_io_owner_team2"],
  ])("%s → %s", (key, column) => {
    expect(kubeLabelColumn(key)).toBe(column);
  });
});

describe("readNode under each preset", () => {
  it.each([
    [
      "karpenter",
      { label_karpenter_sh_nodepool: "gpu", label_karpenter_sh_capacity_type: "spot" },
      { nodePool: "gpu", capacityType: "spot" },
    ],
    [
      "karpenter",
      { label_karpenter_sh_nodepool: "gpu", label_karpenter_sh_capacity_type: "reserved" },
      { nodePool: "gpu", capacityType: "on_demand" },
    ],
    [
      "eks",
      { label_eks_amazonaws_com_nodegroup: "ng", label_eks_amazonaws_com_capacity_type: "SPOT" },
      { nodePool: "ng", capacityType: "spot" },
    ],
    [
      "gke",
      { label_cloud_google_com_gke_nodepool: "np", label_cloud_google_com_gke_spot: "true" },
      { nodePool: "np", capacityType: "spot" },
    ],
    [
      "gke",
      { label_cloud_google_com_gke_nodepool: "np", label_cloud_google_com_gke_preemptible: "true" },
      { nodePool: "np", capacityType: "spot" },
    ],
    [
      "aks",
      { label_agentpool: "gpu", label_kubernetes_azure_com_scalesetpriority: "spot" },
      { nodePool: "gpu", capacityType: "spot" },
    ],
    ["aks", { label_kubernetes_azure_com_agentpool: "gpu" }, { nodePool: "gpu", capacityType: null }],
    // Karpenter, EKS and AKS label every node's capacity: without the label it is unknown (not exported).
    ["karpenter", { label_karpenter_sh_nodepool: "gpu" }, { nodePool: "gpu", capacityType: null }],
    ["eks", { label_eks_amazonaws_com_nodegroup: "ng" }, { nodePool: "ng", capacityType: null }],
    ["auto", { label_karpenter_sh_nodepool: "gpu" }, { nodePool: "gpu", capacityType: null }],
    // GKE labels only spot and preemptible nodes: a GKE node without them is on demand.
    ["gke", { label_cloud_google_com_gke_nodepool: "np" }, { nodePool: "np", capacityType: "on_demand" }],
    ["auto", { label_cloud_google_com_gke_nodepool: "np" }, { nodePool: "np", capacityType: "on_demand" }],
    // kubeadm with no capacity key from Settings has no label that could mark spot.
    ["kubeadm", { label_karpenter_sh_nodepool: "gpu" }, { nodePool: null, capacityType: "on_demand" }],
  ] as const)("%s %j", (preset, labels, expected) => {
    expect(readNode(labels, labelMapping(preset))).toMatchObject(expected);
  });

  it("kubeadm with a capacity key from Settings: a node without that label is unknown", () => {
    expect(readNode({ label_pool: "gpu" }, labelMapping("kubeadm", { capacityTypeKey: "capacity" })).capacityType).toBe(
      null,
    );
  });

  it("tries the keys from Settings before the preset's", () => {
    const mapping = labelMapping("karpenter", { nodePoolKey: "example.com/pool", teamKey: "owner" });
    expect(readNode({ label_example_com_pool: "mine", label_karpenter_sh_nodepool: "theirs" }, mapping).nodePool).toBe(
      "mine",
    );
    expect(mapping.team).toEqual(["owner"]);
  });
});
