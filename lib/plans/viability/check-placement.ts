// Multi-node EFA training runs its ranks inside one cluster placement group: NCCL over EFA between instances
// scattered across a zone's racks loses most of the bandwidth the instance type is chosen for. A managed node
// group joins the group through its launch template; a Karpenter node only when its EC2NodeClass names the group.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asArray, asRecord, listContainers } from "@/lib/security/pod-specs";
import { efaInterfaces } from "../efa-instance-types";
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
