// The viability checks: whether a plan would work once applied, across objects and between the plan and the
// cloud. Findings use the security report's shape, so every surface that shows security findings shows these.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding, Severity } from "@/lib/security/types";

export const viabilityChecks = {
  "viability.untolerated-taint": {
    severity: "high",
    why: "The scheduler never places a pod on a node whose NoSchedule/NoExecute taints it does not tolerate: the pod stays Pending (or is evicted) however many nodes the pool adds.",
  },
  "viability.no-matching-pool": {
    severity: "high",
    why: "No node pool of the cluster has the labels the pod's nodeSelector asks for (and GPUs, if it asks for them): the pod stays Pending.",
  },
  "viability.missing-storage-class": {
    severity: "high",
    why: "A PersistentVolumeClaim naming a StorageClass nobody creates stays Pending, and so does every pod that mounts it.",
  },
  "viability.unknown-claim": {
    severity: "high",
    why: "A pod that mounts a PersistentVolumeClaim nobody creates stays Pending (FailedMount): neither the plan's objects create it nor does its `requires` say which plan must be applied first.",
  },
  "viability.nothing-to-run": {
    severity: "high",
    why: "A container whose image has no serving entrypoint and that sets no command exits at once: a Deployment crash-loops, a Job 'succeeds' having done nothing.",
  },
  "viability.unknown-entrypoint": {
    severity: "info",
    why: "The container sets no command and its image is not one the checker knows: make sure the image's entrypoint runs the workload.",
  },
  "viability.backup-misses-data": {
    severity: "high",
    why: "Velero's file-system backup reads volumes through the pods that mount them, and cloud snapshots cannot capture file shares (EFS, Filestore, Azure Files, NFS): such a backup holds the objects but not the data.",
  },
  "viability.training-disrupted": {
    severity: "high",
    why: "Karpenter replaces nodes when they expire or are consolidated; a multi-day distributed training job loses every rank on that node and, with static rendezvous, the whole run.",
  },
  "viability.egress-blocks-identity": {
    severity: "high",
    why: "Under default-deny egress, a pod whose service account carries a cloud identity cannot reach the token endpoint (STS, the GKE metadata server, Entra ID), the object store or the secret store: every cloud call fails.",
  },
  "viability.exceeds-pool": {
    severity: "high",
    why: "The workload asks for more nodes or GPUs than the pool can ever have: the excess pods stay Pending, and training that needs every rank at once never starts.",
  },
  "viability.unprovided-resource": {
    severity: "high",
    why: "A pod asking for an extended resource (nvidia.com/gpu, vpc.amazonaws.com/efa) schedules only on nodes whose device plugin advertises it; without the plugin no node has it and the pod stays Pending.",
  },
  "viability.command-not-in-image": {
    severity: "high",
    why: "A container whose program is not in its image, or whose script no volume provides, fails at start with 'executable file not found' or 'No such file': the pod crash-loops.",
  },
  "viability.script-on-unseeded-claim": {
    severity: "high",
    why: "A PersistentVolumeClaim the plan creates starts empty: a script run from it exists only if a pod of the plan (a loader Job, an init container) copies it there first. Otherwise every pod fails with 'No such file' and a Job uses up its retries doing nothing.",
  },
  "viability.home-not-writable": {
    severity: "high",
    why: "Model servers and Python tooling write caches under HOME at start; with a read-only root filesystem and no writable HOME they fail before serving.",
  },
  "viability.unscraped-series": {
    severity: "high",
    why: "A KEDA Prometheus trigger whose series the server does not export, or that nothing scrapes, returns no data: the scaler errors or falls back and never follows the load.",
  },
  "viability.wrong-prometheus": {
    severity: "high",
    why: "A trigger that asks a Prometheus other than the one scraping the pods (the one the PodMonitors and NetworkPolicies are for) reads no series: the autoscaler never moves.",
  },
  "viability.identity-not-created": {
    severity: "high",
    why: "A ServiceAccount annotated with a cloud identity that is never created (or not bound to that ServiceAccount) gets every token exchange refused: the pods cannot reach the object store or the secret store.",
  },
  "viability.workload-reads-backups": {
    severity: "high",
    why: "Backups hold every Secret and volume of the cluster: a workload identity that can read the backup store turns one compromised pod into every credential the cluster has. Only the backup agent (namespace velero) may read it.",
  },
  "viability.efa-outside-placement-group": {
    severity: "high",
    why: "NCCL over EFA gets its bandwidth and latency only between instances in one cluster placement group; a multi-node job whose ranks may land on nodes launched outside it trains several times slower, or times out in its collectives.",
  },
  "viability.rendezvous-on-spot": {
    severity: "high",
    why: "torchrun's c10d rendezvous store lives in rank 0's pod: a spot reclaim of that node ends the store, every rank's agent fails and the whole job goes down, not just one rank. Without checkpoints and restarts the run starts over from step 0.",
  },
  "viability.backup-cannot-read": {
    severity: "high",
    why: "Velero's file-system backup reads a volume only through a running pod that mounts it: checkpoints and models written by Jobs (and idle between runs) are never read. A file share holding them needs a native backup (AWS Backup for EFS, Filestore backups, Azure Files snapshots) or a long-running pod that mounts it.",
  },
  "viability.backup-store-in-cluster": {
    severity: "high",
    why: "Backups written to an object store that runs inside the cluster they protect are lost with it: a cluster-failure recovery rebuilds the cluster and finds nothing to restore.",
  },
  "viability.placeholder-object-store": {
    severity: "medium",
    why: "A placeholder object-store address (example.com) is applied without error, but Velero's backup location stays Unavailable and no backup is written until it names your store.",
  },
  "viability.placeholder-identity": {
    severity: "medium",
    why: "A placeholder cloud identity (AWS account 123456789012, Azure client id 00000000-…, GCP project ml-platform-project) is applied without error but every token exchange and ARN in the plan points at an account or identity that is not yours.",
  },
  "viability.trigger-unreachable": {
    severity: "high",
    why: "KEDA's operator polls every trigger's target (Redis, Kafka, Prometheus) from its own namespace: when the target's NetworkPolicies do not admit that namespace the poll times out, the scaler errors and the workload stays at its minimum.",
  },
  "viability.namespace-missing": {
    severity: "high",
    why: "An object in a namespace that neither the plan creates nor the cluster has is refused at apply (namespaces not found): the pods, claims or policies it stands for never exist.",
  },
  "viability.exporter-not-installed": {
    severity: "high",
    why: "An autoscaler or alert that reads an exporter's series (DCGM GPU utilization) or a queue (Redis) that nothing in the plan or the cluster installs reads nothing: the scaler never moves and workers never start.",
  },
  "viability.pod-exceeds-node": {
    severity: "high",
    why: "A pod runs on one node: if its CPU, memory, GPU or EFA requests exceed what every node type of its pool has left after kubelet reservations and per-node DaemonSets, the scheduler never places it and the autoscaler never adds a node that would.",
  },
  "viability.fallback-too-small": {
    severity: "medium",
    why: "A fallback instance type smaller than the pool's pods is capacity on paper: when the primary type is short, the fallback nodes come up (and cost money) while the pods stay Pending.",
  },
  "viability.fallback-pool-order": {
    severity: "medium",
    why: "Karpenter picks among NodePools by spec.weight alone: fallback NodePools weighted like the primary may be chosen first, launching the costlier or slower model while the primary one is available.",
  },
  "viability.fallback-pool-limits": {
    severity: "medium",
    why: "Karpenter bounds each NodePool by its own spec.limits: a NodePool whose limits allow more nodes than the pool's max_nodes lets the bill grow past what was asked for.",
  },
  "viability.primary-pool-capped": {
    severity: "medium",
    why: "A node pool's primary NodePool limited to a share of max_nodes cannot give a job sized to the pool the model it asked for: the remaining pods wait for a fallback model (slower or costlier), or stay Pending when the pool has none.",
  },
  "viability.training-node-upgrade": {
    severity: "high",
    why: "GKE node auto-upgrade and AKS node image upgrades drain nodes on the cloud's schedule unless a maintenance window or exclusion confines them: a multi-day distributed training run loses ranks at every node image release.",
  },
  "viability.training-without-efa": {
    severity: "medium",
    why: "p4d and p5 instances are built around EFA: multi-node NCCL without it falls back to TCP sockets, several times slower in the collectives every training step waits on. The run works, at a fraction of the speed the instances are paid for.",
  },
  "viability.training-without-infiniband": {
    severity: "medium",
    why: "ND-series VMs are built around InfiniBand: multi-node NCCL without the RDMA device falls back to TCP over the VM's Ethernet, several times slower in the collectives every training step waits on.",
  },
  "viability.training-not-colocated": {
    severity: "medium",
    why: "Multi-node NCCL gets the bandwidth and latency its GPUs are paid for only between nodes placed close together (a GKE COMPACT placement policy, an Azure proximity placement group): ranks spread over a region's zones and racks wait on every all-reduce.",
  },
  "viability.gpudirect-not-configured": {
    severity: "info",
    why: "A3 High and A3 Mega nodes reach their full GPU-to-GPU bandwidth only through GPUDirect-TCPX / TCPXO (extra VPCs and NICs, GKE multi-networking, the NCCL plugin and its receive-data-path manager); without it NCCL uses the primary NIC alone.",
  },
  "viability.api-unreachable": {
    severity: "medium",
    why: "A cluster API with a private endpoint, no authorized ranges and no in-cloud command route is reachable only from inside its network: the runbooks' kubectl and helm, and a recovery run from anywhere else, time out until someone opens a path.",
  },
} as const satisfies Record<string, { severity: Severity; why: string }>;

export type ViabilityCheckId = keyof typeof viabilityChecks;

export function viabilityFinding(
  check: ViabilityCheckId,
  object: KubernetesObject,
  path: string,
  message: string,
  fix: string,
): SecurityFinding {
  const ref = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  };
  return {
    check,
    severity: viabilityChecks[check].severity,
    object: ref,
    path,
    message,
    why: viabilityChecks[check].why,
    fix,
  };
}
