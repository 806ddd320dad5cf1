// Training is not disrupted by node lifecycle: Karpenter expiry and consolidation replace nodes under running jobs
// unless the pool never expires and only consolidates empty nodes, or the pods say karpenter.sh/do-not-disrupt.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asRecord } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import type { PoolFact } from "./facts";
import { candidatePools, listPods, refName, type PodFacts } from "./pods";

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
