// Every PVC's StorageClass is created by the object set or provided by the cluster as configured.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asArray, asRecord } from "@/lib/security/pod-specs";
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
  // A StatefulSet's volumeClaimTemplates become claims as well, one per replica.
  const claims = objects.flatMap((o) =>
    o.kind === "PersistentVolumeClaim"
      ? [{ object: o, spec: asRecord(o.spec), path: "spec.storageClassName", what: refName(o) }]
      : o.kind === "StatefulSet"
        ? asArray(asRecord(o.spec)?.volumeClaimTemplates).map((t, i) => ({
            object: o,
            spec: asRecord(asRecord(t)?.spec),
            path: `spec.volumeClaimTemplates[${i}].spec.storageClassName`,
            what: `${refName(o)}'s volumeClaimTemplate "${String(asRecord(asRecord(t)?.metadata)?.name ?? i)}"`,
          }))
        : [],
  );
  for (const claim of claims) {
    const name = claim.spec?.storageClassName;
    // No class: the cluster's default class binds it. "" asks for a pre-bound PersistentVolume.
    if (typeof name !== "string" || name === "" || provided.has(name)) continue;
    findings.push(
      viabilityFinding(
        "viability.missing-storage-class",
        claim.object,
        claim.path,
        `${claim.what} asks for StorageClass "${name}", which is not known to exist: neither these objects nor the cluster as configured create it (known: ${[...provided].join(", ")}).`,
        `Use one of ${[...provided].join(", ")}, or add a StorageClass "${name}" (with its CSI driver) to the plan; if the cluster already has it, say so (portal scan --storage-class ${name}).`,
      ),
    );
  }
  return findings;
}
