// Each pod's CPU, memory, GPUs and EFA interfaces fit on one node of the pool it targets: its node's allocatable
// (capacity less kubelet reservations) less what the per-node DaemonSets take. A pod larger than every node type
// of its pool stays Pending however far the pool scales; a fallback type smaller than the pod is capacity on paper.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asRecord, listContainers } from "@/lib/security/pod-specs";
import { cpuCores, memoryGib, nodeRoom, type NodeRoom, type NodeShape } from "../node-allocatable";
import { viabilityFinding } from "./catalog";
import type { PoolFact } from "./facts";
import { candidatePools, listPods, refName, untoleratedTaints, type PodFacts } from "./pods";
import { rdmaResource } from "../training-interconnect";

interface PodRequest {
  cpu: number;
  memoryGib: number;
  gpus: number;
  efa: number;
}

const zero: PodRequest = { cpu: 0, memoryGib: 0, gpus: 0, efa: 0 };

/** What one container asks for; Kubernetes takes the limit as the request when only the limit is set. */
function containerRequest(container: Record<string, unknown>): PodRequest {
  const resources = asRecord(container.resources) ?? {};
  const requests = asRecord(resources.requests) ?? {};
  const limits = asRecord(resources.limits) ?? {};
  const pick = (key: string) => requests[key] ?? limits[key];
  return {
    cpu: cpuCores(pick("cpu")) ?? 0,
    memoryGib: memoryGib(pick("memory")) ?? 0,
    gpus: Number(pick("nvidia.com/gpu") ?? 0) || 0,
    efa: Number(pick("vpc.amazonaws.com/efa") ?? 0) || 0,
  };
}

const add = (a: PodRequest, b: PodRequest): PodRequest => ({
  cpu: a.cpu + b.cpu,
  memoryGib: a.memoryGib + b.memoryGib,
  gpus: a.gpus + b.gpus,
  efa: a.efa + b.efa,
});
const max = (a: PodRequest, b: PodRequest): PodRequest => ({
  cpu: Math.max(a.cpu, b.cpu),
  memoryGib: Math.max(a.memoryGib, b.memoryGib),
  gpus: Math.max(a.gpus, b.gpus),
  efa: Math.max(a.efa, b.efa),
});

/** The scheduler's view of a pod: its containers together, or its largest init container if that is larger. */
export function podRequest(pod: PodFacts): PodRequest {
  const entries = listContainers(pod.location);
  const running = entries.filter((c) => c.list === "containers").map((c) => containerRequest(c.container));
  const init = entries.filter((c) => c.list === "initContainers").map((c) => containerRequest(c.container));
  return [...init].reduce(max, running.reduce(add, zero));
}

/** DaemonSets of the set that run on the pool's nodes: they tolerate its taints and select its labels. */
function daemonSetsOn(pool: PoolFact, objects: readonly KubernetesObject[]): { cpu: number; memoryGib: number } {
  return listPods(objects.filter((o) => o.kind === "DaemonSet"))
    .filter(
      (ds) =>
        untoleratedTaints(ds, pool).length === 0 &&
        Object.entries(ds.nodeSelector).every(([k, v]) => pool.labels[k] === v),
    )
    .map(podRequest)
    .reduce((sum, r) => ({ cpu: sum.cpu + r.cpu, memoryGib: sum.memoryGib + r.memoryGib }), {
      cpu: 0,
      memoryGib: 0,
    });
}

const round = (n: number) => Math.round(n * 100) / 100;

/** What the pod needs beyond the node's room, one phrase per resource; empty when it fits. */
export function shortfall(request: PodRequest, room: NodeRoom): string[] {
  const short: string[] = [];
  if (request.cpu > room.cpu) short.push(`CPU ${round(request.cpu)} > ${round(Math.max(0, room.cpu))} cores`);
  if (request.memoryGib > room.memoryGib)
    short.push(`memory ${round(request.memoryGib)} > ${round(Math.max(0, room.memoryGib))} GiB`);
  if (request.gpus > room.gpus) short.push(`GPUs ${request.gpus} > ${room.gpus}`);
  if (request.efa > room.efa) short.push(`EFA interfaces ${request.efa} > ${room.efa}`);
  return short;
}

export function checkNodeFit(objects: readonly KubernetesObject[], pools: readonly PoolFact[]): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects.filter((o) => o.kind !== "DaemonSet"))) {
    const candidates = candidatePools(pod, pools).filter((p) => untoleratedTaints(pod, p).length === 0);
    // A pool whose node types are unknown may have any size: nothing to say about this pod.
    if (candidates.length === 0 || candidates.some((p) => !p.nodeShapes?.length)) continue;
    const request = podRequest(pod);
    const fits = candidates.map((pool) => {
      const extra = daemonSetsOn(pool, objects);
      return {
        pool,
        types: pool.nodeShapes!.map((shape: NodeShape) => ({
          shape,
          short: shortfall(request, nodeRoom(shape, extra)),
        })),
      };
    });
    const describe = (t: { shape: NodeShape; short: string[] }) => `${t.shape.instanceType} (${t.short.join(", ")})`;
    if (fits.every((f) => f.types.every((t) => t.short.length > 0))) {
      findings.push(
        viabilityFinding(
          "viability.pod-exceeds-node",
          pod.object,
          `${pod.location.path}.containers`,
          `${refName(pod.object)} asks for more than one node of ${fits.map((f) => f.pool.source).join(", ")} offers after kubelet reservations and per-node DaemonSets: ${fits.flatMap((f) => f.types.map(describe)).join("; ")}. It stays Pending however far the pool scales.`,
          `Lower the containers' requests to fit the node (less than its allocatable minus the DaemonSets), or move the pod to a pool of a larger instance type.`,
        ),
      );
      continue;
    }
    const fittingPools = fits.filter((f) => f.types.some((t) => t.short.length === 0)).map((f) => f.pool);
    for (const f of fits) {
      // Types of the pool that cannot hold one pod while another can: nodes that come up (and bill) for nothing.
      const tooSmall = f.types.filter((t) => t.short.length > 0);
      const fitting = f.types.filter((t) => t.short.length === 0);
      if (tooSmall.length === 0) continue;
      if (fitting.length === 0) {
        // A pool's fallback GPU models become NodePools of their own (`<pool>-<model>`, build-karpenter.ts): one
        // none of whose types holds the pod is the fallback that never serves it when the primary type is short.
        const primary = fittingPools.find((p) => f.pool.name.startsWith(`${p.name}-`));
        if (!primary) continue;
        findings.push(
          viabilityFinding(
            "viability.fallback-too-small",
            f.pool.karpenter ?? pod.object,
            f.pool.karpenter ? "spec.template.spec.requirements" : `${pod.location.path}.containers`,
            `${refName(pod.object)} fits ${primary.source}, but not its fallback ${f.pool.source}: ${tooSmall.map(describe).join("; ")}. When the primary type is short, the pod stays Pending however far the fallback scales.`,
            `Drop ${tooSmall.map((t) => t.shape.instanceType).join(", ")} from the fallback instance types of ${primary.source} (choose a type that holds the pod), or lower the pod's requests to fit them.`,
          ),
        );
        continue;
      }
      findings.push(
        viabilityFinding(
          "viability.fallback-too-small",
          f.pool.karpenter ?? pod.object,
          f.pool.karpenter ? "spec.template.spec.requirements" : `${pod.location.path}.containers`,
          `${refName(pod.object)} fits ${f.pool.source}'s ${fitting.map((t) => t.shape.instanceType).join(", ")}, but not its type(s) ${tooSmall.map(describe).join("; ")}: when those nodes come up, the pod still cannot run on them.`,
          `Drop ${tooSmall.map((t) => t.shape.instanceType).join(", ")} from the instance types of ${f.pool.source} (or make the larger type the primary), or lower the pod's requests to fit them.`,
        ),
      );
    }
  }
  return findings;
}

/** Multi-node GPU training Jobs: Indexed or parallel ranks that talk NCCL to each other. */
export function multiNodeTraining(pod: PodFacts): boolean {
  const spec = asRecord(pod.object.spec) ?? {};
  return pod.object.kind === "Job" && pod.gpus > 0 && Number(spec.parallelism ?? 1) >= 2;
}

/**
 * Multi-node training on instance types built around EFA (p4d, p5) or InfiniBand (Azure ND-series) whose ranks ask
 * for no EFA interface or RDMA device: NCCL falls back to TCP sockets, several times slower in the all-reduce that
 * every step waits on.
 */
export function checkTrainingWithoutEfa(
  objects: readonly KubernetesObject[],
  pools: readonly PoolFact[],
): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects).filter(multiNodeTraining)) {
    const ranks = String(asRecord(pod.object.spec)?.parallelism);
    const tolerated = candidatePools(pod, pools).filter((p) => untoleratedTaints(pod, p).length === 0);
    const efaPools = tolerated.filter((p) => (p.nodeShapes?.[0]?.efa ?? 0) > 0);
    if (podRequest(pod).efa === 0 && efaPools.length > 0) {
      const shape = efaPools[0]!.nodeShapes![0]!;
      findings.push(
        viabilityFinding(
          "viability.training-without-efa",
          pod.object,
          `${pod.location.path}.containers`,
          `${refName(pod.object)} runs ${ranks} ranks on ${efaPools.map((p) => p.source).join(", ")} (${shape.instanceType}, ${shape.efa} EFA interfaces) but asks for no vpc.amazonaws.com/efa: NCCL runs over TCP, several times slower between nodes.`,
          `Request vpc.amazonaws.com/efa: "${shape.efa}" in each rank's resources with the EFA device plugin installed and the nodes in one cluster placement group (in a plan: training.efa: true does all three), or run the training on one node.`,
        ),
      );
    }
    const ibPools = tolerated.filter((p) => p.nodeShapes?.[0]?.infiniband === true);
    if (!asksForRdma(pod) && ibPools.length > 0) {
      const shape = ibPools[0]!.nodeShapes![0]!;
      findings.push(
        viabilityFinding(
          "viability.training-without-infiniband",
          pod.object,
          `${pod.location.path}.containers`,
          `${refName(pod.object)} runs ${ranks} ranks on ${ibPools.map((p) => p.source).join(", ")} (${shape.instanceType}, InfiniBand) but asks for no RDMA device (rdma/*): NCCL runs over TCP, several times slower between nodes.`,
          `Request ${rdmaResource}: "1" in each rank's resources with NCCL_IB_DISABLE=0, and run the NVIDIA Network Operator with its RDMA shared device plugin on the pool (in a plan: training.efa: true, the interconnect switch, does the Job's part), or run the training on one node.`,
        ),
      );
    }
  }
  return findings;
}

/** Whether any container of the pod asks for an RDMA device (rdma/<resource> of the RDMA shared device plugin). */
function asksForRdma(pod: PodFacts): boolean {
  return listContainers(pod.location).some((c) => {
    const resources = asRecord(c.container.resources) ?? {};
    return [...Object.keys(asRecord(resources.requests) ?? {}), ...Object.keys(asRecord(resources.limits) ?? {})].some(
      (r) => r.startsWith("rdma/"),
    );
  });
}
