// On premises there is no cloud API to call: the plan is a kubeadm configuration for a highly available control
// plane plus the node pools as labelled, tainted groups of machines, or, when the cluster exists already, a
// clearly labelled bring-your-own-cluster checklist. The in-cluster manifests are the same either way.
import { stringify } from "yaml";
import type { PlanContext } from "./plan-context";

export interface OnPremClusterPlan {
  mode: "kubeadm";
  note: string;
  files: Record<string, string>;
  node_pools: {
    name: string;
    server_profile: string;
    min_nodes: number;
    max_nodes: number;
    join_configuration: string;
    join_command: string[];
  }[];
  bring_your_own_cluster: { label: string; requirements: string[] };
}

/** Where kubeadm's API server reads its audit policy on each control-plane machine (a hostPath mounted into its pod). */
export const auditPolicyPath = "/etc/kubernetes/audit-policy.yaml";
export const auditPolicyFile = "kubeadm/audit-policy.yaml";
const auditLogDirectory = "/var/log/kubernetes";

/**
 * The API server's audit policy. Without one the API server audits nothing, whatever audit-log-path says. Secrets,
 * ConfigMaps and token requests are logged at Metadata (who touched which object, never its data); exec, attach
 * and port-forward and every change to RBAC and workloads at Request; reads of everything else at Metadata; the
 * health probes, events and the kubelets' and kube-proxy's reads not at all (after the Secrets rule: a node reading
 * Secrets is still on record).
 */
export const auditPolicy = {
  apiVersion: "audit.k8s.io/v1",
  kind: "Policy",
  omitStages: ["RequestReceived"],
  rules: [
    { level: "None", nonResourceURLs: ["/healthz*", "/livez*", "/readyz*", "/version", "/metrics"] },
    { level: "None", users: ["system:kube-proxy"], verbs: ["watch"] },
    {
      level: "None",
      resources: [
        { group: "", resources: ["events"] },
        { group: "events.k8s.io", resources: ["events"] },
      ],
    },
    {
      level: "Metadata",
      resources: [
        { group: "", resources: ["secrets", "configmaps", "serviceaccounts/token"] },
        { group: "authentication.k8s.io", resources: ["tokenreviews"] },
      ],
    },
    { level: "None", userGroups: ["system:nodes"], verbs: ["get", "watch", "list"] },
    { level: "Request", resources: [{ group: "", resources: ["pods/exec", "pods/attach", "pods/portforward"] }] },
    {
      level: "Request",
      verbs: ["create", "update", "patch", "delete", "deletecollection"],
      resources: [
        { group: "rbac.authorization.k8s.io" },
        { group: "" },
        { group: "apps" },
        { group: "batch" },
        { group: "networking.k8s.io" },
      ],
    },
    { level: "Metadata" },
  ],
};

export function onPremClusterPlan(ctx: PlanContext): OnPremClusterPlan {
  const { input } = ctx;
  // kubeadm reads v1beta4 from 1.31 on (https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/);
  // earlier releases know only v1beta3, whose extraArgs is a map rather than a list of name/value pairs.
  const v1beta4 = Number(input.kubernetes_version.split(".")[1]) >= 31;
  // Kept on the machine (a hostPath), rotated at 100 MB, ten files, 30 days: in the pod it would die with it.
  const auditArgs = {
    "audit-policy-file": auditPolicyPath,
    "audit-log-path": `${auditLogDirectory}/audit.log`,
    "audit-log-maxsize": "100",
    "audit-log-maxbackup": "10",
    "audit-log-maxage": "30",
  };
  const clusterConfiguration = {
    apiVersion: v1beta4 ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3",
    kind: "ClusterConfiguration",
    clusterName: input.cluster_name,
    kubernetesVersion: `v${input.kubernetes_version}.0`,
    controlPlaneEndpoint: `${input.cluster_name}-api.${input.region}.internal:6443`,
    networking: { podSubnet: "10.64.0.0/14", serviceSubnet: "10.68.0.0/20" },
    etcd: { local: { dataDir: "/var/lib/etcd" } },
    apiServer: {
      extraArgs: v1beta4 ? Object.entries(auditArgs).map(([name, value]) => ({ name, value })) : auditArgs,
      extraVolumes: [
        {
          name: "audit-policy",
          hostPath: auditPolicyPath,
          mountPath: auditPolicyPath,
          readOnly: true,
          pathType: "File",
        },
        {
          name: "audit-log",
          hostPath: auditLogDirectory,
          mountPath: auditLogDirectory,
          readOnly: false,
          pathType: "DirectoryOrCreate",
        },
      ],
    },
  };
  // Labels and taints are part of the node's registration, not flags of `kubeadm join` (which has neither): taints
  // go in nodeRegistration.taints, labels through the kubelet's --node-labels in nodeRegistration.kubeletExtraArgs,
  // a map in v1beta3 and a list of name/value pairs in v1beta4.
  const joinFile = (name: string) => `kubeadm/join-${name}.yaml`;
  const joinConfiguration = (p: (typeof input.node_pools)[number]) => {
    const labels = Object.entries(p.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    const extraArgs = labels
      ? v1beta4
        ? [{ name: "node-labels", value: labels }]
        : { "node-labels": labels }
      : v1beta4
        ? []
        : {};
    return {
      apiVersion: v1beta4 ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3",
      kind: "JoinConfiguration",
      discovery: {
        // Fill in from `kubeadm token create --print-join-command` on a control-plane machine.
        bootstrapToken: {
          apiServerEndpoint: clusterConfiguration.controlPlaneEndpoint,
          token: "REPLACE.WITHTOKEN00000",
          caCertHashes: ["sha256:REPLACE_WITH_CA_CERT_HASH"],
        },
      },
      nodeRegistration: {
        taints: p.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })),
        kubeletExtraArgs: extraArgs,
      },
    };
  };
  return {
    mode: "kubeadm",
    note: `Three control-plane machines behind the controlPlaneEndpoint load balancer (HA etcd stacked), each with ${auditPolicyFile} copied to ${auditPolicyPath} before kubeadm init or join (the API server does not start without it); a CNI that enforces NetworkPolicy (Calico or Cilium) must be installed before the manifests. Node drivers: install the NVIDIA driver and container toolkit on GPU machines before they join.`,
    files: {
      "kubeadm/cluster-configuration.yaml": stringify(clusterConfiguration),
      [auditPolicyFile]: stringify(auditPolicy),
      ...Object.fromEntries(input.node_pools.map((p) => [joinFile(p.name), stringify(joinConfiguration(p))])),
    },
    node_pools: input.node_pools.map((p) => ({
      name: p.name,
      server_profile: p.instance_type,
      min_nodes: p.min_nodes,
      max_nodes: p.max_nodes,
      join_configuration: joinFile(p.name),
      join_command: ["kubeadm", "join", "--config", joinFile(p.name)],
    })),
    bring_your_own_cluster: {
      label: "BRING YOUR OWN CLUSTER: use this list instead of kubeadm when the cluster already exists",
      requirements: [
        `Kubernetes ${input.kubernetes_version} or later`,
        "A CNI that enforces NetworkPolicy (Calico, Cilium)",
        "A ReadWriteMany StorageClass named nfs-client",
        "GPU machines labelled and tainted as in node_pools, with the NVIDIA driver installed",
        `The Prometheus Operator with a Prometheus in namespace ${input.namespaces.monitoring} (Service prometheus-operated) selecting every PodMonitor, KEDA, Velero and External Secrets installed`,
        "The NVIDIA DCGM exporter with its ServiceMonitor (GPU Operator: dcgmExporter.serviceMonitor.enabled=true)",
      ],
    },
  };
}
