// Tolerations cover every taint of the target pool (cloud-added ones included), a pool matches the nodeSelector,
// and the workload's size fits the pools it can land on.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asRecord } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import type { NodeShape } from "../node-allocatable";
import type { PoolFact, TaintFact, ViabilityFacts } from "./facts";
import {
  candidatePools,
  describeTaint,
  listPods,
  podFacts,
  refName,
  tolerates,
  untoleratedTaints,
  type PodFacts,
} from "./pods";

/**
 * Spot node labels whose nodes the cloud taints by itself (see cloudTaints in plan-context.ts): a pod that selects
 * them schedules only with the matching toleration, even when the checker knows nothing else about the pools
 * (portal scan on bare manifests). AKS taints every spot node. GKE only labels Standard spot nodes
 * cloud.google.com/gke-spot=true; they carry the gke-spot taint only when the pool sets it (a pool the checker then
 * knows from the plan), and Autopilot adds the toleration to the pods itself, so the label alone proves no taint.
 */
const spotLabels: { key: string; value: string; cloud: string; taint: TaintFact }[] = [
  {
    key: "kubernetes.azure.com/scalesetpriority",
    value: "spot",
    cloud: "AKS",
    taint: { key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" },
  },
];

function spotSelectorTaints(pod: PodFacts): { label: string; cloud: string; taint: TaintFact }[] {
  return spotLabels
    .filter((l) => pod.nodeSelector[l.key] === l.value)
    .map((l) => ({ label: `${l.key}=${l.value}`, cloud: l.cloud, taint: l.taint }));
}

function tolerationFor(t: { key: string; value?: string; effect: string }): string {
  return t.value
    ? `{key: ${t.key}, operator: Equal, value: "${t.value}", effect: ${t.effect}}`
    : `{key: ${t.key}, operator: Exists, effect: ${t.effect}}`;
}

export function checkTolerations(
  objects: readonly KubernetesObject[],
  facts: ViabilityFacts,
  pools: readonly PoolFact[],
): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects)) {
    const candidates = candidatePools(pod, pools);
    if (candidates.length === 0) {
      const spot = spotSelectorTaints(pod).filter((t) => !tolerates(pod.tolerations, t.taint));
      if (spot.length > 0) {
        findings.push(
          viabilityFinding(
            "viability.untolerated-taint",
            pod.object,
            `${pod.location.path}.tolerations`,
            `${refName(pod.object)} selects spot nodes (${spot.map((t) => `${t.label}`).join(", ")}), which ${spot.map((t) => t.cloud).join(" and ")} taint(s) ${spot.map((t) => describeTaint(t.taint)).join(", ")}; the pod does not tolerate it.`,
            `Add to ${pod.location.path}.tolerations: ${spot.map((t) => tolerationFor(t.taint)).join(", ")}.`,
          ),
        );
        continue;
      }
      if (facts.poolsComplete && Object.keys(pod.nodeSelector).length > 0) {
        findings.push(
          viabilityFinding(
            "viability.no-matching-pool",
            pod.object,
            `${pod.location.path}.nodeSelector`,
            `${refName(pod.object)} selects nodes ${JSON.stringify(pod.nodeSelector)}${pod.gpus ? " with GPUs" : ""}, which no node pool (${pools.map((p) => p.name).join(", ")}) has.`,
            "Point the nodeSelector at an existing pool's labels, or add a pool with these labels.",
          ),
        );
      }
      continue;
    }
    if (candidates.some((pool) => untoleratedTaints(pod, pool).length === 0)) continue;
    const pool = candidates[0];
    const missing = untoleratedTaints(pod, pool!);
    findings.push(
      viabilityFinding(
        "viability.untolerated-taint",
        pod.object,
        `${pod.location.path}.tolerations`,
        `${refName(pod.object)} targets ${pool!.source} but does not tolerate its taint(s) ${missing.map(describeTaint).join(", ")}.`,
        `Add to ${pod.location.path}.tolerations: ${missing.map(tolerationFor).join(", ")}.`,
      ),
    );
  }
  return findings;
}

/** Nodes of `shape` a Karpenter NodePool's limits allow (they count node capacity); Infinity without limits. */
function nodesWithinLimits(pool: PoolFact, shape: NodeShape): number {
  const { cpu, memoryGib, gpus } = pool.limits ?? {};
  const bounds = [
    cpu === undefined ? Infinity : Math.floor(cpu / shape.vcpu),
    memoryGib === undefined ? Infinity : Math.floor(memoryGib / shape.memoryGib),
    gpus === undefined || shape.gpus === 0 ? Infinity : Math.floor(gpus / shape.gpus),
  ];
  return Math.max(0, Math.min(...bounds));
}

/**
 * How many pods of `gpusPerPod` GPUs the pools can hold at most. A pool without GPUs holds none, a node with
 * fewer GPUs than the pod holds none of it. A Karpenter NodePool holds its managed floor plus what its limits let
 * it launch, counted on the instance type that holds the most (an upper bound); without limits it is unbounded.
 */
export function capacityOf(
  pools: readonly PoolFact[],
  gpusPerPod: number,
): { nodes: number; pods: number; gpus: number } | undefined {
  let nodes = 0;
  let pods = 0;
  let gpus = 0;
  const podsOn = (perNode: number) => (gpusPerPod === 0 ? Infinity : Math.floor(perNode / gpusPerPod));
  for (const pool of pools) {
    if (pool.karpenter && pool.nodeShapes?.length) {
      const floor = pool.minNodes ?? 0;
      const primary = pool.nodeShapes[0]!;
      const best = pool.nodeShapes
        .map((shape) => {
          const n = nodesWithinLimits(pool, shape);
          return { n, pods: podsOn(shape.gpus) * n, gpus: shape.gpus * n };
        })
        .reduce((a, b) => (b.pods > a.pods || (b.pods === a.pods && b.gpus > a.gpus) ? b : a));
      nodes += floor + best.n;
      pods += podsOn(primary.gpus) * floor + best.pods;
      gpus += primary.gpus * floor + best.gpus;
      continue;
    }
    if (pool.maxNodes === undefined && pool.gpuLimit === undefined) return undefined;
    nodes += pool.maxNodes ?? 0;
    const perNode = pool.gpusPerNode;
    if (perNode === undefined) {
      // GPUs per node unknown (a NodePool naming no instance types): its GPU limit bounds GPUs, not pods.
      gpus += pool.gpuLimit ?? Infinity;
      pods += Infinity;
      continue;
    }
    const poolGpus = Math.min(
      pool.maxNodes !== undefined ? pool.maxNodes * perNode : Infinity,
      pool.gpuLimit ?? Infinity,
    );
    gpus += poolGpus;
    if (gpusPerPod === 0) {
      pods += Infinity;
      continue;
    }
    // A pod's GPUs must sit on one node: a node smaller than the pod holds none of it.
    const poolNodes = perNode > 0 ? Math.floor(poolGpus / perNode) : 0;
    pods += podsOn(perNode) * (Number.isFinite(poolNodes) ? poolNodes : (pool.maxNodes ?? 0));
  }
  return { nodes, pods, gpus };
}

/** Replicas each object may run at most: a Job's parallelism, a Deployment's replicas, a KEDA scaler's maximum. */
function maxReplicas(
  object: KubernetesObject,
  objects: readonly KubernetesObject[],
): { pod: PodFacts; replicas: number; path: string; allAtOnce: boolean } | undefined {
  const spec = asRecord(object.spec) ?? {};
  if (object.kind === "ScaledObject") {
    const target = asRecord(spec.scaleTargetRef) ?? {};
    const workload = objects.find(
      (o) =>
        o.kind === (target.kind ?? "Deployment") &&
        o.metadata.name === target.name &&
        (o.metadata.namespace ?? "") === (object.metadata.namespace ?? ""),
    );
    const pod = workload && podFacts(workload);
    return pod
      ? { pod, replicas: Number(spec.maxReplicaCount ?? 100), path: "spec.maxReplicaCount", allAtOnce: false }
      : undefined;
  }
  const pod = podFacts(object);
  if (!pod) return undefined;
  if (object.kind === "ScaledJob")
    return { pod, replicas: Number(spec.maxReplicaCount ?? 100), path: "spec.maxReplicaCount", allAtOnce: false };
  if (object.kind === "Job")
    return {
      pod,
      replicas: Number(spec.parallelism ?? 1),
      path: "spec.parallelism",
      allAtOnce: spec.completionMode === "Indexed",
    };
  if (object.kind === "Deployment" || object.kind === "StatefulSet") {
    const scaled = objects.some(
      (o) => o.kind === "ScaledObject" && asRecord(asRecord(o.spec)?.scaleTargetRef)?.name === object.metadata.name,
    );
    return scaled ? undefined : { pod, replicas: Number(spec.replicas ?? 1), path: "spec.replicas", allAtOnce: false };
  }
  return undefined;
}

export function checkPoolSizes(objects: readonly KubernetesObject[], pools: readonly PoolFact[]): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const object of objects) {
    const sized = maxReplicas(object, objects);
    if (!sized || sized.pod.gpus === 0 || !Number.isFinite(sized.replicas)) continue;
    const candidates = candidatePools(sized.pod, pools).filter((p) => untoleratedTaints(sized.pod, p).length === 0);
    const capacity = candidates.length ? capacityOf(candidates, sized.pod.gpus) : undefined;
    if (!capacity) continue;
    if (sized.replicas > capacity.pods) {
      const wanted = sized.replicas * sized.pod.gpus;
      findings.push(
        viabilityFinding(
          "viability.exceeds-pool",
          object,
          sized.path,
          `${refName(object)} may run ${sized.replicas} pod(s) × ${sized.pod.gpus} GPU(s) = ${wanted} GPUs, but ${candidates.map((p) => p.source).join(", ")} can hold at most ${capacity.pods} such pod(s) (${capacity.gpus} GPUs on ${capacity.nodes} nodes)${sized.allAtOnce ? "; an Indexed training Job needs every rank at once" : ""}.`,
          `Lower ${sized.path} to ${capacity.pods} or less, or raise the pool's max_nodes (on a Karpenter NodePool, its spec.limits cpu, memory and nvidia.com/gpu) to fit ${wanted} GPUs.`,
        ),
      );
    }
  }
  return findings;
}
