// Distributed training as an Indexed Job behind a headless Service. The reference's plain Job with
// MASTER_ADDR=<job>-0 cannot resolve: only Indexed Job pods get the hostname <job>-<index>, and only a headless
// Service named in spec.subdomain gives them DNS records <job>-<index>.<service>.
import type { KubernetesObject } from "@/lib/k8s/types";
import {
  labelsFor,
  podShareOfNode,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  schedulingFor,
  sharedStorageClass,
  writableHome,
  type PlanContext,
} from "./plan-context";
import { efaInterfaces } from "./efa-instance-types";
import { infinibandVmSizes, rdmaResource } from "./training-interconnect";
import {
  buildTrainingLoader,
  dataMountPath,
  notRetriableExitCode,
  waitForDataContainer,
} from "./build-training-loader";

export interface TrainingJobNames {
  job: string;
  service: string;
  serviceAccount: string;
  dataClaim: string;
  checkpointClaim: string;
  masterAddress: string;
  worldSize: number;
}

export function trainingJobNames(ctx: PlanContext): TrainingJobNames {
  const t = ctx.input.training;
  const ns = ctx.input.namespaces.training;
  return {
    job: t.job_name,
    service: `${t.job_name}-workers`,
    serviceAccount: `${t.job_name}-sa`,
    dataClaim: `${t.job_name}-data`,
    checkpointClaim: `${t.job_name}-checkpoints`,
    masterAddress: `${t.job_name}-0.${t.job_name}-workers.${ns}.svc.cluster.local`,
    worldSize: t.nodes * t.gpus_per_node,
  };
}

/**
 * Whether the cluster's Terraform installs the EFA device plugin: on AWS whenever a pool has an EFA instance type,
 * since any of them may host multi-node training (and its ranks then ask for vpc.amazonaws.com/efa).
 */
export function installsEfaPlugin(input: PlanContext["input"]): boolean {
  return (
    input.cloud_provider === "aws" &&
    input.node_pools.some((p) => [p.instance_type, ...p.fallback_instance_types].some((t) => t in efaInterfaces))
  );
}

/**
 * Whether a rank may land on spot capacity: the workload pool is spot, or a spot pool carries every label the Job
 * selects (the scheduler may place ranks there too). Over-counting only raises backoffLimit, never loses a run.
 */
function mayRunOnSpot(ctx: PlanContext): boolean {
  const selector = Object.entries(schedulingFor(ctx.input, ctx.workloadPool).nodeSelector);
  return ctx.input.node_pools.some(
    (p) =>
      p.capacity_type === "spot" &&
      (p === ctx.workloadPool || selector.every(([key, value]) => p.labels[key] === value)),
  );
}

/** EFA devices each rank asks for on AWS when the job spans nodes of an EFA instance type, else 0. */
export function efaDevicesPerRank(ctx: PlanContext): number {
  if (ctx.input.cloud_provider !== "aws" || ctx.input.training.nodes < 2) return 0;
  // Only a pool labelled for training gets the placement group and its EFA node class (isEfaTrainingPool).
  if (ctx.workloadPool.labels["workload-type"] !== "training") return 0;
  // The requester turned it off (a cluster without the EFA plugin): the viability report says what that costs.
  if (!ctx.input.training.efa) return 0;
  return efaInterfaces[ctx.workloadPool.instance_type] ?? 0;
}

/**
 * Whether each rank asks for the InfiniBand HCAs on AKS: the job spans nodes of an ND-series training pool (the one
 * in the proximity placement group) and the requester left training.efa, the interconnect switch, on.
 */
export function usesInfiniband(ctx: PlanContext): boolean {
  const { input } = ctx;
  return (
    input.cloud_provider === "azure" &&
    input.training.nodes >= 2 &&
    input.training.efa &&
    ctx.workloadPool.labels["workload-type"] === "training" &&
    infinibandVmSizes.has(ctx.workloadPool.instance_type)
  );
}

/** Whether the cluster plan's Network Operator requirement advertises the RDMA device on an InfiniBand pool. */
export function needsRdmaDevicePlugin(input: PlanContext["input"]): boolean {
  return (
    input.cloud_provider === "azure" &&
    input.node_pools.some((p) => p.labels["workload-type"] === "training" && infinibandVmSizes.has(p.instance_type))
  );
}

export function buildTrainingJob(ctx: PlanContext): KubernetesObject[] {
  const { input } = ctx;
  const t = input.training;
  const namespace = input.namespaces.training;
  const names = trainingJobNames(ctx);
  const podLabels = labelsFor(ctx, names.job, { "app.kubernetes.io/component": "trainer" });
  const share = podShareOfNode(input, ctx.workloadPool);
  const efa = efaDevicesPerRank(ctx);
  // On EKS several NodePools (the pool's own, its fallback types') carry the labels the ranks select, so one job
  // could mix GPU types and NCCL would run at the slowest one's pace, or fail. Every rank goes where the first
  // landed: same instance type. The first rank matches its own selector, which lets it schedule alone.
  const sameInstanceType =
    input.cloud_provider === "aws" && t.nodes > 1
      ? {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: podLabels }, topologyKey: "node.kubernetes.io/instance-type" },
            ],
          },
        }
      : undefined;
  const infiniband = usesInfiniband(ctx);
  const interconnectResources: Record<string, string> = {
    ...(efa ? { "vpc.amazonaws.com/efa": String(efa) } : {}),
    // One unit of the shared RDMA device gives the rank every InfiniBand HCA of its node.
    ...(infiniband ? { [rdmaResource]: "1" } : {}),
  };
  const claim = (name: string, size: string): KubernetesObject => ({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace, labels: labelsFor(ctx, names.job) },
    spec: {
      accessModes: ["ReadWriteMany"],
      storageClassName: sharedStorageClass[input.cloud_provider],
      resources: { requests: { storage: size } },
    },
  });

  return [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: names.serviceAccount, namespace, labels: labelsFor(ctx, names.job) },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: names.service, namespace, labels: labelsFor(ctx, names.job) },
      spec: {
        clusterIP: "None",
        // Ranks must resolve each other before any of them is Ready, or the rendezvous never completes.
        publishNotReadyAddresses: true,
        selector: { "app.kubernetes.io/name": names.job, "app.kubernetes.io/component": "trainer" },
        ports: [{ name: "rendezvous", port: t.master_port, targetPort: t.master_port, protocol: "TCP" }],
      },
    },
    claim(names.dataClaim, t.data_volume_size),
    claim(names.checkpointClaim, t.checkpoint_volume_size),
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: names.job, namespace, labels: labelsFor(ctx, names.job) },
      spec: {
        completionMode: "Indexed",
        completions: t.nodes,
        parallelism: t.nodes,
        // On spot, a reclaim of rank 0's node takes the c10d store with it and every other rank's agent fails too:
        // backoff_limit then counts whole-job restarts (each from the last checkpoint), so one reclaim costs one.
        backoffLimit: mayRunOnSpot(ctx) && t.nodes > 1 ? Math.max(1, t.backoff_limit) * t.nodes : t.backoff_limit,
        // A preempted or drained rank is not the program's fault: it is replaced without using up backoffLimit,
        // and rejoins through the elastic rendezvous below instead of leaving the others hanging until NCCL times out.
        // What no retry fixes fails the whole Job at once, rather than each rank in turn up to backoffLimit: the
        // loader's failure or a missing script (wait-for-data), and torchrun's own usage error (argparse's 2; a
        // rank's failure in the script exits 1 and stays retriable).
        podFailurePolicy: {
          rules: [
            { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] },
            {
              action: "FailJob",
              onExitCodes: { containerName: "wait-for-data", operator: "In", values: [notRetriableExitCode] },
            },
            { action: "FailJob", onExitCodes: { containerName: "trainer", operator: "In", values: [2] } },
          ],
        },
        template: {
          // Karpenter never drains a node under a running rank (expiry, drift, consolidation); other clouds ignore it.
          metadata: { labels: podLabels, annotations: { "karpenter.sh/do-not-disrupt": "true" } },
          spec: {
            subdomain: names.service,
            restartPolicy: "Never",
            serviceAccountName: names.serviceAccount,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext,
            ...schedulingFor(ctx.input, ctx.workloadPool),
            ...(sameInstanceType ? { affinity: sameInstanceType } : {}),
            initContainers: [waitForDataContainer(ctx)],
            containers: [
              {
                name: "trainer",
                image: t.image,
                command: ["torchrun"],
                // $(VAR) is expanded by the kubelet from the env below; no shell is involved. The c10d rendezvous
                // (on rank 0's pod) lets torchrun restart every rank together when one fails or is replaced; a
                // static rendezvous left the survivors blocked until the NCCL timeout.
                args: [
                  `--nnodes=${t.nodes}`,
                  `--nproc-per-node=${t.gpus_per_node}`,
                  "--rdzv-backend=c10d",
                  "--rdzv-endpoint=$(MASTER_ADDR):$(MASTER_PORT)",
                  `--rdzv-id=${names.job}`,
                  `--max-restarts=${t.backoff_limit}`,
                  t.script,
                ],
                env: [
                  { name: "MASTER_ADDR", value: names.masterAddress },
                  { name: "MASTER_PORT", value: String(t.master_port) },
                  { name: "WORLD_SIZE", value: String(names.worldSize) },
                  { name: "NNODES", value: String(t.nodes) },
                  { name: "NPROC_PER_NODE", value: String(t.gpus_per_node) },
                  {
                    name: "JOB_COMPLETION_INDEX",
                    valueFrom: {
                      fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
                    },
                  },
                  { name: "NCCL_DEBUG", value: "WARN" },
                  // A rank whose peer died raises instead of waiting out the collective timeout.
                  { name: "TORCH_NCCL_ASYNC_ERROR_HANDLING", value: "1" },
                  ...(efa
                    ? [
                        { name: "FI_PROVIDER", value: "efa" },
                        { name: "FI_EFA_USE_DEVICE_RDMA", value: "1" },
                      ]
                    : []),
                  // NCCL over the ND-series' InfiniBand HCAs (mlx5_*), bootstrapping over the pod's eth0; without
                  // the device it silently falls back to TCP sockets.
                  ...(infiniband
                    ? [
                        { name: "NCCL_IB_DISABLE", value: "0" },
                        { name: "NCCL_IB_HCA", value: "mlx5" },
                        { name: "NCCL_SOCKET_IFNAME", value: "eth0" },
                      ]
                    : []),
                  ...writableHome.env,
                ],
                ports: [{ name: "rendezvous", containerPort: t.master_port, protocol: "TCP" }],
                resources: {
                  requests: {
                    cpu: share.cpu,
                    memory: share.memory,
                    "nvidia.com/gpu": String(t.gpus_per_node),
                    ...interconnectResources,
                  },
                  limits: { memory: share.memory, "nvidia.com/gpu": String(t.gpus_per_node), ...interconnectResources },
                },
                securityContext: restrictedContainerSecurityContext,
                volumeMounts: [
                  { name: "training-data", mountPath: dataMountPath, readOnly: true },
                  { name: "checkpoints", mountPath: "/checkpoints" },
                  { name: "shm", mountPath: "/dev/shm" },
                  { name: "tmp", mountPath: "/tmp" },
                  writableHome.mount,
                ],
              },
            ],
            volumes: [
              { name: "training-data", persistentVolumeClaim: { claimName: names.dataClaim, readOnly: true } },
              { name: "checkpoints", persistentVolumeClaim: { claimName: names.checkpointClaim } },
              // NCCL and DataLoader workers exchange tensors through /dev/shm; the container default of 64 MiB stalls them.
              { name: "shm", emptyDir: { medium: "Memory", sizeLimit: t.shm_size } },
              { name: "tmp", emptyDir: { sizeLimit: "10Gi" } },
              writableHome.volume,
            ],
          },
        },
      },
    },
    // Fills the data claim from the object store; the ranks wait for it (build-training-loader.ts).
    ...buildTrainingLoader(ctx, names.dataClaim),
  ];
}
