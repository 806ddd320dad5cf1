// Training is not disrupted by node lifecycle: Karpenter expiry and consolidation replace nodes under running jobs
// unless the pool never expires and only consolidates empty nodes, or the pods say karpenter.sh/do-not-disrupt.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asRecord } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import type { PoolFact } from "./facts";
import { candidatePools, listPods, refName, untoleratedTaints, type PodFacts } from "./pods";

function isTraining(pod: PodFacts): boolean {
  const spec = asRecord(pod.object.spec) ?? {};
  return (
    pod.object.kind === "Job" &&
    pod.gpus > 0 &&
    (spec.completionMode === "Indexed" ||
      pod.labels["app.kubernetes.io/component"] === "trainer" ||
      pod.nodeSelector["workload-type"] === "training")
  );
}

export function checkNodeLifecycle(
  objects: readonly KubernetesObject[],
  pools: readonly PoolFact[],
): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects).filter(isTraining)) {
    if (pod.annotations["karpenter.sh/do-not-disrupt"] === "true") continue;
    for (const pool of candidatePools(pod, pools).filter((p) => p.karpenter)) {
      const expires = pool.expireAfter !== "Never";
      const repacks = pool.consolidationPolicy !== "WhenEmpty";
      if (!expires && !repacks) continue;
      const how = [
        expires ? `expires nodes after ${pool.expireAfter}` : "",
        repacks ? `consolidates underutilized nodes (${pool.consolidationPolicy})` : "",
      ]
        .filter(Boolean)
        .join(" and ");
      findings.push(
        viabilityFinding(
          "viability.training-disrupted",
          pod.object,
          `${pod.location.metadataPath}.annotations`,
          `${refName(pod.object)} runs distributed training on ${pool.source}, which ${how}: Karpenter will drain its nodes mid-run.`,
          `Add the annotation karpenter.sh/do-not-disrupt: "true" to ${pod.location.metadataPath}, or set expireAfter: Never and consolidationPolicy: WhenEmpty on ${pool.source}.`,
        ),
      );
    }
  }
  return findings;
}

/**
 * GKE node auto-upgrade and AKS node OS upgrades drain nodes on the cloud's schedule: a distributed training run
 * whose pool has no maintenance window or exclusion loses its ranks whenever a new node image is released.
 */
export function checkManagedNodeUpgrades(
  objects: readonly KubernetesObject[],
  pools: readonly PoolFact[],
): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects).filter(isTraining)) {
    for (const pool of candidatePools(pod, pools)) {
      if (!pool.managedUpgrades || pool.managedUpgrades.confinedBy || untoleratedTaints(pod, pool).length > 0) continue;
      findings.push(
        viabilityFinding(
          "viability.training-node-upgrade",
          pod.object,
          `${pod.location.path}.nodeSelector`,
          `${refName(pod.object)} trains on ${pool.source}, whose nodes ${pool.managedUpgrades.by} upgrades at any time: each upgrade drains a node and ends the run on it (static ranks restart from the last checkpoint at best).`,
          pool.managedUpgrades.by.startsWith("GKE")
            ? `Give the cluster a maintenance_policy: a recurring_window outside training hours, or a maintenance_exclusion with exclusion_options.scope = "NO_MINOR_OR_NODE_UPGRADES" while runs are in flight.`
            : `Confine node OS upgrades to a maintenance_window_node_os (and set node_os_upgrade_channel explicitly), and give the training node pool upgrade_settings (max_surge, drain_timeout_in_minutes).`,
        ),
      );
    }
  }
  return findings;
}

/** Mount paths of the pod's persistent volumes (emptyDir and the like do not survive a restart). */
function persistentMounts(pod: PodFacts): string[] {
  const claims = new Set(
    (Array.isArray(pod.location.spec.volumes) ? pod.location.spec.volumes : [])
      .map((v) => asRecord(v) ?? {})
      .filter((v) => asRecord(v.persistentVolumeClaim))
      .map((v) => String(v.name)),
  );
  const containers = Array.isArray(pod.location.spec.containers) ? pod.location.spec.containers : [];
  return containers.flatMap((c) =>
    (Array.isArray(asRecord(c)?.volumeMounts) ? (asRecord(c)?.volumeMounts as unknown[]) : [])
      .map((m) => asRecord(m) ?? {})
      .filter((m) => claims.has(String(m.name)) && m.readOnly !== true)
      .map((m) => String(m.mountPath)),
  );
}

/**
 * Multi-node training with its c10d rendezvous store in rank 0's pod may run on spot only with checkpoint-restart:
 * a writable persistent checkpoint volume, and a backoffLimit that survives one reclaim failing every rank at once
 * (the store goes with rank 0, so each other rank's agent fails too) so the Job recreates them all from the
 * last checkpoint.
 */
export function checkRendezvousOnSpot(
  objects: readonly KubernetesObject[],
  pools: readonly PoolFact[],
): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects).filter(isTraining)) {
    const spec = asRecord(pod.object.spec) ?? {};
    const ranks = Number(spec.parallelism ?? 1);
    if (ranks < 2) continue;
    const spot = candidatePools(pod, pools).filter((p) => p.spot && untoleratedTaints(pod, p).length === 0);
    if (spot.length === 0) continue;
    const checkpoints = persistentMounts(pod).length > 0;
    const backoffLimit = Number(spec.backoffLimit ?? 6);
    if (checkpoints && backoffLimit >= ranks) continue;
    const missing = [
      checkpoints ? "" : "no writable persistent volume to checkpoint to",
      backoffLimit >= ranks
        ? ""
        : `backoffLimit ${backoffLimit} is used up by one reclaim that fails all ${ranks} ranks`,
    ].filter(Boolean);
    findings.push(
      viabilityFinding(
        "viability.rendezvous-on-spot",
        pod.object,
        checkpoints ? "spec.backoffLimit" : `${pod.location.path}.volumes`,
        `${refName(pod.object)} keeps its rendezvous store in rank 0's pod on spot capacity (${spot.map((p) => p.source).join(", ")}), and has ${missing.join(" and ")}: a reclaim of rank 0's node ends the run.`,
        `Run the training pool on on-demand capacity, or keep spot with checkpoint-restart: mount a writable PersistentVolumeClaim for checkpoints and set spec.backoffLimit to at least ${ranks} (one full restart of every rank).`,
      ),
    );
  }
  return findings;
}
