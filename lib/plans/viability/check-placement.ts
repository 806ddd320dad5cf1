// Multi-node EFA training runs its ranks inside one cluster placement group: NCCL over EFA between instances
// scattered across a zone's racks loses most of the bandwidth the instance type is chosen for. A managed node
// group joins the group through its launch template; a Karpenter node only when its EC2NodeClass names the group.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asArray, asRecord, listContainers } from "@/lib/security/pod-specs";
import { efaInterfaces } from "../efa-instance-types";
import { gpuDirectMachineTypes } from "../training-interconnect";
import { multiNodeTraining } from "./check-node-fit";
import { viabilityFinding } from "./catalog";
import type { PoolFact } from "./facts";
import { candidatePools, listPods, refName, untoleratedTaints, type PodFacts } from "./pods";

function efaDevices(pod: PodFacts): number {
  return listContainers(pod.location).reduce((sum, c) => {
    const resources = asRecord(c.container.resources) ?? {};
    const wanted =
      asRecord(resources.limits)?.["vpc.amazonaws.com/efa"] ?? asRecord(resources.requests)?.["vpc.amazonaws.com/efa"];
    return sum + (Number(wanted) || 0);
  }, 0);
}

/**
 * Whether the NodePool may launch an instance type with EFA interfaces. A rank that requests
 * vpc.amazonaws.com/efa never schedules on a node without them, so a pool of such types hosts no rank.
 * A pool that names no instance types may launch any, EFA ones included.
 */
function mayProvideEfa(pool: PoolFact): boolean {
  const requirements = asArray(asRecord(asRecord(asRecord(pool.karpenter?.spec)?.template)?.spec)?.requirements);
  const types = requirements
    .map((r) => asRecord(r) ?? {})
    .filter((r) => r.key === "node.kubernetes.io/instance-type" && r.operator === "In")
    .flatMap((r) => asArray(r.values).map(String));
  return types.length === 0 || types.some((t) => t in efaInterfaces);
}

function nodeClassOf(pool: PoolFact, objects: readonly KubernetesObject[]): KubernetesObject | undefined {
  const ref = asRecord(asRecord(asRecord(asRecord(pool.karpenter?.spec)?.template)?.spec)?.nodeClassRef);
  return objects.find((o) => o.kind === "EC2NodeClass" && o.metadata.name === ref?.name);
}

export function checkPlacementGroups(
  objects: readonly KubernetesObject[],
  pools: readonly PoolFact[],
): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects)) {
    const spec = asRecord(pod.object.spec) ?? {};
    if (pod.object.kind !== "Job" || Number(spec.parallelism ?? 1) < 2 || efaDevices(pod) === 0) continue;
    for (const pool of candidatePools(pod, pools)) {
      if (!pool.karpenter || !mayProvideEfa(pool) || untoleratedTaints(pod, pool).length > 0) continue;
      const nodeClass = nodeClassOf(pool, objects);
      // A node class outside the set (an existing cluster's) is not known: nothing to say about it.
      if (!nodeClass || asRecord(nodeClass.spec)?.placementGroupSelector) continue;
      findings.push(
        viabilityFinding(
          "viability.efa-outside-placement-group",
          pool.karpenter,
          "spec.template.spec.nodeClassRef",
          `${refName(pod.object)} runs ${String(spec.parallelism)} EFA ranks that ${pool.source} may place on nodes of ${refName(nodeClass)}, which names no placement group: those ranks land outside the cluster placement group the other nodes share.`,
          `Point ${pool.source} at an EC2NodeClass with spec.placementGroupSelector naming the training placement group (and its zone in the requirements), or keep multi-node EFA training on a managed node group in that group.`,
        ),
      );
    }
  }
  return findings;
}

/**
 * Multi-node GPU training on GKE or AKS pools whose machine type can be placed close together but is not (no COMPACT
 * placement policy, no proximity placement group): the ranks' nodes may sit in different zones or far-apart racks.
 */
export function checkColocation(objects: readonly KubernetesObject[], pools: readonly PoolFact[]): SecurityFinding[] {
  return listPods(objects)
    .filter(multiNodeTraining)
    .flatMap((pod) =>
      candidatePools(pod, pools)
        .filter((p) => p.colocated === false && untoleratedTaints(pod, p).length === 0)
        .map((pool) =>
          viabilityFinding(
            "viability.training-not-colocated",
            pod.object,
            `${pod.location.path}.nodeSelector`,
            `${refName(pod.object)} runs ${String(asRecord(pod.object.spec)?.parallelism)} ranks on ${pool.source}, whose nodes are not placed close together: NCCL between them crosses zones or racks.`,
            `Give ${pool.source} the label workload-type: training (the plan's Terraform then adds a COMPACT placement policy on GKE, or a proximity placement group on AKS, in one zone), or set them on the pool yourself.`,
          ),
        ),
    );
}

/** A3 High/Mega training across nodes: GPUDirect-TCPX(O) is not generated, so NCCL uses the primary NIC only. */
export function checkGpuDirect(objects: readonly KubernetesObject[], pools: readonly PoolFact[]): SecurityFinding[] {
  return listPods(objects)
    .filter(multiNodeTraining)
    .flatMap((pod) => {
      const types = candidatePools(pod, pools)
        .filter((p) => untoleratedTaints(pod, p).length === 0)
        .flatMap((p) => (p.nodeShapes ?? []).map((s) => s.instanceType))
        .filter((t) => t in gpuDirectMachineTypes);
      const type = types[0];
      if (!type) return [];
      return [
        viabilityFinding(
          "viability.gpudirect-not-configured",
          pod.object,
          `${pod.location.path}`,
          `${refName(pod.object)} trains across ${type} nodes without ${gpuDirectMachineTypes[type]}: NCCL runs over the primary NIC, a fraction of the bandwidth the machine type has between GPUs.`,
          `Follow GKE's "Maximize GPU network bandwidth" guide for ${type}: the additional VPCs and subnets, GKE multi-networking with a Network per NIC, the NCCL plugin installer DaemonSet, and the ${gpuDirectMachineTypes[type] === "GPUDirect-TCPX" ? "tcpx" : "tcpxo"} daemon sidecar in the Job.`,
        ),
      ];
    });
}
