// Backups capture data where it lives: file shares only through Velero's file-system backup, which works through
// the pods that mount the volumes (so pods may not be excluded).
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asArray, asRecord } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import { isFileStorageClass, type ViabilityFacts, type VolumeFact } from "./facts";
import { listPods, refName } from "./pods";

function backupSpecs(o: KubernetesObject): { spec: Record<string, unknown>; path: string } | undefined {
  if (!o.apiVersion.startsWith("velero.io/")) return undefined;
  if (o.kind === "Schedule") return { spec: asRecord(asRecord(o.spec)?.template) ?? {}, path: "spec.template" };
  if (o.kind === "Backup") return { spec: asRecord(o.spec) ?? {}, path: "spec" };
  return undefined;
}

export function checkBackups(objects: readonly KubernetesObject[], facts: ViabilityFacts): SecurityFinding[] {
  const volumes: VolumeFact[] = [
    ...facts.externalVolumes,
    ...objects
      .filter((o) => o.kind === "PersistentVolumeClaim")
      .map((o) => ({
        namespace: o.metadata.namespace ?? "",
        claim: o.metadata.name,
        storageClass: String(asRecord(o.spec)?.storageClassName ?? ""),
      })),
  ];
  const findings: SecurityFinding[] = [...volumesNoScheduleIncludes(objects, volumes)];
  for (const object of objects) {
    const backup = backupSpecs(object);
    if (!backup) continue;
    const { spec, path } = backup;
    const excluded = asArray(spec.excludedResources).map(String);
    const fsBackup = spec.defaultVolumesToFsBackup === true;
    if (fsBackup && excluded.includes("pods")) {
      findings.push(
        viabilityFinding(
          "viability.backup-misses-data",
          object,
          `${path}.excludedResources`,
          `${refName(object)} backs volumes up through the file system but excludes pods, so Velero finds no pod to read any volume through: the backup holds no volume data.`,
          `Remove "pods" from ${path}.excludedResources.`,
        ),
      );
    }
    const included = asArray(spec.includedNamespaces).map(String);
    findings.push(...unreadableVolumes(object, path, included, volumes, objects, facts));
    const covered = (ns: string) => included.length === 0 || included.includes("*") || included.includes(ns);
    const shares = volumes.filter((v) => covered(v.namespace) && isFileStorageClass(v.storageClass, objects));
    if (!fsBackup && shares.length > 0) {
      findings.push(
        viabilityFinding(
          "viability.backup-misses-data",
          object,
          `${path}.defaultVolumesToFsBackup`,
          `${refName(object)} relies on volume snapshots, which cannot capture file shares: ${shares.map((v) => `${v.namespace}/${v.claim} (${v.storageClass})`).join(", ")}.`,
          `Set ${path}.defaultVolumesToFsBackup: true (and install Velero's node agent), or annotate the pods with backup.velero.io/backup-volumes.`,
        ),
      );
    }
  }
  return findings;
}

/** Whether a backup spec takes in a namespace: included (none listed means all) and not excluded. */
function takesNamespace(spec: Record<string, unknown>, ns: string): boolean {
  const included = asArray(spec.includedNamespaces).map(String);
  const excluded = asArray(spec.excludedNamespaces).map(String);
  return (included.length === 0 || included.includes("*") || included.includes(ns)) && !excluded.includes(ns);
}

/**
 * Where the set schedules backups, every volume it knows of lives in a namespace some Schedule takes in: a volume
 * outside all of them is never backed up, however the Schedules treat the rest.
 */
function volumesNoScheduleIncludes(objects: readonly KubernetesObject[], volumes: VolumeFact[]): SecurityFinding[] {
  const schedules = objects.filter((o) => o.kind === "Schedule" && o.apiVersion.startsWith("velero.io/"));
  const first = schedules[0];
  if (!first) return [];
  const templates = schedules.map((o) => asRecord(asRecord(o.spec)?.template) ?? {});
  const names = schedules.map(refName).join(", ");
  return volumes
    .filter((v) => !templates.some((t) => takesNamespace(t, v.namespace)))
    .map((v) => {
      const claim = objects.find(
        (o) =>
          o.kind === "PersistentVolumeClaim" &&
          o.metadata.name === v.claim &&
          (o.metadata.namespace ?? "") === v.namespace,
      );
      return viabilityFinding(
        "viability.backup-misses-data",
        claim ?? first,
        claim ? "metadata.namespace" : "spec.template.includedNamespaces",
        `Volume ${v.namespace}/${v.claim} (${v.storageClass}) lives in namespace ${v.namespace}, which no Velero Schedule (${names}) includes: it is never backed up.`,
        `Add "${v.namespace}" to spec.template.includedNamespaces of ${refName(first)} (and drop it from excludedNamespaces), or add a Schedule for it.`,
      );
    });
}

/** Claims (namespace/name) that a long-running pod of the set mounts: Velero's file-system backup reads them. */
function claimsOfRunningPods(objects: readonly KubernetesObject[]): Set<string> {
  const mounted = new Set<string>();
  for (const pod of listPods(objects)) {
    if (!["Deployment", "StatefulSet", "DaemonSet"].includes(pod.object.kind)) continue;
    for (const v of asArray(pod.location.spec.volumes)) {
      const claim = asRecord(asRecord(v)?.persistentVolumeClaim)?.claimName;
      if (typeof claim === "string") mounted.add(`${pod.namespace}/${claim}`);
    }
  }
  return mounted;
}

/**
 * Checkpoint and model volumes on file shares that only Jobs mount: no snapshot captures them and the file-system
 * backup never sees them, unless the file system is backed up natively or a running pod of the set mounts them.
 */
function unreadableVolumes(
  backup: KubernetesObject,
  path: string,
  included: string[],
  volumes: VolumeFact[],
  objects: readonly KubernetesObject[],
  facts: ViabilityFacts,
): SecurityFinding[] {
  if (!facts.nativeBackupClasses) return [];
  const native = new Set(facts.nativeBackupClasses);
  const running = claimsOfRunningPods(objects);
  const covered = (ns: string) => included.length === 0 || included.includes("*") || included.includes(ns);
  const unread = volumes.filter(
    (v) =>
      v.jobOnly &&
      covered(v.namespace) &&
      isFileStorageClass(v.storageClass, objects) &&
      !native.has(v.storageClass) &&
      !running.has(`${v.namespace}/${v.claim}`),
  );
  if (unread.length === 0) return [];
  return [
    viabilityFinding(
      "viability.backup-cannot-read",
      backup,
      path,
      `${refName(backup)} cannot read ${unread.map((v) => `${v.namespace}/${v.claim} (${v.storageClass})`).join(", ")}: only Jobs mount them, and Velero's file-system backup reads volumes through running pods.`,
      "Back the file system up natively (AWS Backup for EFS, Filestore backups, Azure Files share snapshots), or keep the claims mounted by a long-running pod annotated backup.velero.io/backup-volumes.",
    ),
  ];
}
