// A script that runs from a volume the plan creates must be put there by something: a claim created empty by
// the same set, read by the workload and written by no other pod, holds nothing, and every pod fails at start
// with "No such file". Claims the set does not create, or that bring data (a dataSource, a bound volume), are
// left alone: their content is not the set's to know.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asArray, asRecord, listContainers } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import { scriptArgument } from "./check-commands";
import { programName } from "./images";
import { listPods, refName, type PodFacts } from "./pods";

interface ClaimMount {
  pod: PodFacts;
  container: Record<string, unknown>;
  claim: string;
  mountPath: string;
  readOnly: boolean;
}

/** Every mount of a PersistentVolumeClaim by a container of the set, read-only when the mount or the volume says so. */
function claimMounts(objects: readonly KubernetesObject[]): ClaimMount[] {
  const mounts: ClaimMount[] = [];
  for (const pod of listPods(objects)) {
    const volumes = new Map(
      asArray(pod.location.spec.volumes)
        .map((v) => asRecord(v) ?? {})
        .map((v) => [String(v.name ?? ""), asRecord(v.persistentVolumeClaim)] as const),
    );
    for (const c of listContainers(pod.location).filter((l) => l.list !== "ephemeralContainers")) {
      for (const m of asArray(c.container.volumeMounts).map((x) => asRecord(x) ?? {})) {
        const source = volumes.get(String(m.name ?? ""));
        if (typeof source?.claimName !== "string") continue;
        mounts.push({
          pod,
          container: c.container,
          claim: source.claimName,
          mountPath: String(m.mountPath ?? ""),
          readOnly: m.readOnly === true || source.readOnly === true,
        });
      }
    }
  }
  return mounts;
}

/** A claim the set creates with nothing in it: no dataSource to clone or restore from, no existing volume bound. */
function createdEmpty(objects: readonly KubernetesObject[], namespace: string, claim: string): boolean {
  const pvc = objects.find(
    (o) =>
      o.kind === "PersistentVolumeClaim" && o.metadata.name === claim && (o.metadata.namespace ?? "") === namespace,
  );
  if (!pvc) return false;
  const spec = asRecord(pvc.spec) ?? {};
  return !spec.dataSource && !spec.dataSourceRef && !spec.volumeName;
}

/** A writer of the claim: a writable mount by a container that does more than hold it open (a backup reader sleeps). */
function writes(mount: ClaimMount): boolean {
  const program = programName(String(asArray(mount.container.command)[0] ?? ""));
  return !mount.readOnly && program !== "sleep";
}

const under = (path: string, mountPath: string) =>
  path.startsWith(mountPath.endsWith("/") ? mountPath : `${mountPath}/`);

export function checkClaimSeeding(objects: readonly KubernetesObject[]): SecurityFinding[] {
  const mounts = claimMounts(objects);
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects)) {
    for (const c of listContainers(pod.location).filter((l) => l.list !== "ephemeralContainers")) {
      const argv = [...asArray(c.container.command), ...asArray(c.container.args)].map(String);
      const script = scriptArgument(argv);
      if (!script) continue;
      const mount = mounts.find((m) => m.container === c.container && under(script, m.mountPath));
      if (!mount || !createdEmpty(objects, pod.namespace, mount.claim)) continue;
      const seeded = mounts.some(
        (m) => m.container !== c.container && m.pod.namespace === pod.namespace && m.claim === mount.claim && writes(m),
      );
      if (seeded) continue;
      const name = String(c.container.name ?? c.path);
      findings.push(
        viabilityFinding(
          "viability.script-on-unseeded-claim",
          pod.object,
          `${c.path}.args`,
          `Container "${name}" of ${refName(pod.object)} runs ${script} from claim ${pod.namespace}/${mount.claim} (mounted at ${mount.mountPath}), which the plan creates empty and no other pod writes: every pod fails with "No such file".`,
          `Fill ${mount.claim} before the pods start: a Job that copies the code and data into it from the object store (and an init container that waits for it), a dataSource that clones a populated claim, or an image that ships the script (then point the command at its path).`,
        ),
      );
    }
  }
  return findings;
}
