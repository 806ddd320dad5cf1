// Every PVC's StorageClass is created by the object set or provided by the cluster as configured.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asRecord } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import type { ViabilityFacts } from "./facts";
import { refName } from "./pods";

export function checkStorageClasses(objects: readonly KubernetesObject[], facts: ViabilityFacts): SecurityFinding[] {
  if (!facts.providedStorageClasses) return [];
  const provided = new Set([
    ...facts.providedStorageClasses,
    ...objects.filter((o) => o.kind === "StorageClass").map((o) => o.metadata.name),
  ]);
  const findings: SecurityFinding[] = [];
  for (const claim of objects.filter((o) => o.kind === "PersistentVolumeClaim")) {
    const name = asRecord(claim.spec)?.storageClassName;
    // No class: the cluster's default class binds it. "" asks for a pre-bound PersistentVolume.
    if (typeof name !== "string" || name === "" || provided.has(name)) continue;
    findings.push(
      viabilityFinding(
        "viability.missing-storage-class",
        claim,
        "spec.storageClassName",
        `${refName(claim)} asks for StorageClass "${name}", which is not known to exist: neither these objects nor the cluster as configured create it (known: ${[...provided].join(", ")}).`,
        `Use one of ${[...provided].join(", ")}, or add a StorageClass "${name}" (with its CSI driver) to the plan; if the cluster already has it, say so (portal scan --storage-class ${name}).`,
      ),
    );
  }
  return findings;
}
