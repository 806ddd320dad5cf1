// Every namespaced object lands in a namespace that exists: one the set creates or one the cluster already has.
// Otherwise `kubectl apply` refuses the object (namespaces "…" not found), and whatever mounts or reads it is missing.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { viabilityFinding } from "./catalog";
import type { ViabilityFacts } from "./facts";
import { refName } from "./pods";

export function checkNamespaces(objects: readonly KubernetesObject[], facts: ViabilityFacts): SecurityFinding[] {
  if (!facts.existingNamespaces) return [];
  const known = new Set([
    ...facts.existingNamespaces,
    ...objects.filter((o) => o.kind === "Namespace").map((o) => o.metadata.name),
  ]);
  return objects
    .filter((o) => o.metadata.namespace !== undefined && !known.has(o.metadata.namespace))
    .map((o) =>
      viabilityFinding(
        "viability.namespace-missing",
        o,
        "metadata.namespace",
        `${refName(o)} is in namespace ${o.metadata.namespace}, which the plan neither creates nor lists as already on the cluster (${[...known].join(", ")}).`,
        `Create namespace ${o.metadata.namespace} in the plan, or leave out the objects that belong to a workload the plan is not for.`,
      ),
    );
}
