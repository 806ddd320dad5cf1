// A container's command exists in its image: the program is on a known image's PATH, and a script it runs lives
// on a volume the container mounts (a vendor image ships no user code). Only images the checker knows are judged.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asArray, asRecord, listContainers } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import { knownImage, programName } from "./images";
import { listPods, refName } from "./pods";

const scriptRunners = new Set(["python", "python3", "torchrun", "sh", "bash"]);

/** The first argument after the program that names a script file (skipping flags), for interpreters. */
export function scriptArgument(argv: string[]): string | undefined {
  if (!scriptRunners.has(programName(argv[0] ?? ""))) return undefined;
  for (const arg of argv.slice(1)) {
    if (arg === "-c" || arg === "-m") return undefined; // inline code or a module: nothing on disk to find
    if (arg.startsWith("-")) continue;
    return /\.(py|sh)$/.test(arg) ? arg : undefined;
  }
  return undefined;
}

export function checkCommands(objects: readonly KubernetesObject[]): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects)) {
    for (const c of listContainers(pod.location).filter((l) => l.list !== "ephemeralContainers")) {
      const image = String(c.container.image ?? "");
      const known = knownImage(image);
      const command = asArray(c.container.command).map(String);
      if (!known || command.length === 0) continue;
      const name = String(c.container.name ?? c.path);
      const program = command[0];
      if (!program!.includes("$(") && !known.programs.includes(programName(program!))) {
        findings.push(
          viabilityFinding(
            "viability.command-not-in-image",
            pod.object,
            `${c.path}.command`,
            `Container "${name}" of ${refName(pod.object)} runs "${program}", which the ${known.label} image (${image}) does not have.`,
            `Run one of ${known.programs.slice(0, 4).join(", ")} in ${c.path}.command, or use an image that ships "${program}".`,
          ),
        );
        continue;
      }
      const script = scriptArgument([...command, ...asArray(c.container.args).map(String)]);
      if (!script) continue;
      const mounts = asArray(c.container.volumeMounts).map((m) => String(asRecord(m)?.mountPath ?? ""));
      if (mounts.some((m) => m && script.startsWith(m.endsWith("/") ? m : `${m}/`))) continue;
      findings.push(
        viabilityFinding(
          "viability.command-not-in-image",
          pod.object,
          `${c.path}.command`,
          `Container "${name}" of ${refName(pod.object)} runs ${script}, but the ${known.label} image ships no such file and no volume of the container is mounted there.`,
          `Put the script on a volume the container mounts (e.g. a ConfigMap or the data volume) and point ${c.path} at that path, or build an image that contains it.`,
        ),
      );
    }
  }
  return findings;
}

/** Containers of images that write under HOME keep a writable HOME when their root filesystem is read-only. */
export function checkWritableHome(objects: readonly KubernetesObject[]): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects)) {
    for (const c of listContainers(pod.location).filter((l) => l.list !== "ephemeralContainers")) {
      const known = knownImage(String(c.container.image ?? ""));
      if (!known?.writesHome || asRecord(c.container.securityContext)?.readOnlyRootFilesystem !== true) continue;
      const home = asArray(c.container.env)
        .map((e) => asRecord(e) ?? {})
        .find((e) => e.name === "HOME");
      const writableMounts = asArray(c.container.volumeMounts)
        .map((m) => asRecord(m) ?? {})
        .filter((m) => m.readOnly !== true)
        .map((m) => String(m.mountPath ?? ""));
      const homePath = typeof home?.value === "string" ? home.value : undefined;
      if (homePath && writableMounts.some((m) => homePath === m || homePath.startsWith(`${m.replace(/\/$/, "")}/`)))
        continue;
      const name = String(c.container.name ?? c.path);
      findings.push(
        viabilityFinding(
          "viability.home-not-writable",
          pod.object,
          `${c.path}.env`,
          `Container "${name}" of ${refName(pod.object)} runs ${known.label} with a read-only root filesystem and ${homePath ? `HOME=${homePath} on no writable volume` : "no writable HOME"}: its caches (~/.cache, ~/.triton, ~/.config) cannot be written and it fails at start.`,
          `Mount an emptyDir (e.g. at /home/app) in ${c.path}.volumeMounts and set HOME (and XDG_CACHE_HOME, HF_HOME) to it in ${c.path}.env.`,
        ),
      );
    }
  }
  return findings;
}
