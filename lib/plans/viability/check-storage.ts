// Every PVC's StorageClass is created by the object set or provided by the cluster as configured.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asArray, asRecord, findPodSpec } from "@/lib/security/pod-specs";
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

/**
 * Every claim a pod template mounts is created by the set (a PersistentVolumeClaim, or a StatefulSet's
 * volumeClaimTemplate) or named in the plan's `requires` as created before it.
 */
export function checkMountedClaims(objects: readonly KubernetesObject[], facts: ViabilityFacts): SecurityFinding[] {
  if (!facts.requiredClaims) return [];
  const known = new Set([
    ...facts.requiredClaims,
    ...objects
      .filter((o) => o.kind === "PersistentVolumeClaim")
      .map((o) => `${o.metadata.namespace ?? "default"}/${o.metadata.name}`),
  ]);
  const findings: SecurityFinding[] = [];
  for (const object of objects) {
    const pod = findPodSpec(object);
    if (!pod) continue;
    const namespace = object.metadata.namespace ?? "default";
    // A StatefulSet's own templates become claims "<template>-<pod>": not named in the pod's volumes.
    const templates = new Set(
      asArray(asRecord(object.spec)?.volumeClaimTemplates).map((t) => String(asRecord(asRecord(t)?.metadata)?.name)),
    );
    asArray(pod.spec.volumes).forEach((v, i) => {
      const claim = asRecord(asRecord(v)?.persistentVolumeClaim)?.claimName;
      if (typeof claim !== "string" || templates.has(claim) || known.has(`${namespace}/${claim}`)) return;
      findings.push(
        viabilityFinding(
          "viability.unknown-claim",
          object,
          `${pod.path}.volumes[${i}].persistentVolumeClaim.claimName`,
          `${refName(object)} mounts PersistentVolumeClaim ${namespace}/${claim}, which neither these objects create nor the plan's requires names: its pods stay Pending.`,
          `Add the claim to the plan, or list it in requires with the plan that creates it (apply that plan first).`,
        ),
      );
    });
  }
  return findings;
}
