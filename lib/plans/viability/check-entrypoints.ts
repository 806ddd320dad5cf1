// Every container has something to run: a command, or an image whose own entrypoint serves.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asArray, listContainers } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import { listPods, refName } from "./pods";

// Images whose entrypoint starts the server with no arguments (args alone configure them).
const servingImages = [
  /(^|\/)vllm\/vllm-openai[:@]/,
  /(^|\/)text-generation-inference[:@]/,
  /(^|\/)nginx[:@]/,
  /(^|\/)prom\/prometheus[:@]/,
  /(^|\/)kserve\//,
  /(^|\/)seldonio\//,
  /k8s-device-plugin[:@]/,
  /dcgm-exporter[:@]/,
];
// Images whose default is a shell or an idle entrypoint: without a command they exit at once, or do nothing.
const baseImages = [
  /nvcr\.io\/nvidia\/(tritonserver|pytorch|tensorflow|cuda|nemo)[:@]/,
  /(^|\/)(python|ubuntu|debian|alpine|busybox|pytorch\/pytorch|nvidia\/cuda)[:@]/,
];

export function checkEntrypoints(objects: readonly KubernetesObject[]): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects)) {
    for (const c of listContainers(pod.location).filter((l) => l.list !== "ephemeralContainers")) {
      if (asArray(c.container.command).length > 0) continue;
      const image = String(c.container.image ?? "");
      if (servingImages.some((r) => r.test(image))) continue;
      const name = String(c.container.name ?? c.path);
      if (baseImages.some((r) => r.test(image))) {
        findings.push(
          viabilityFinding(
            "viability.nothing-to-run",
            pod.object,
            `${c.path}.command`,
            `Container "${name}" of ${refName(pod.object)} runs ${image} with no command; that image's entrypoint starts no workload.`,
            `Set ${c.path}.command (and args) to the program the container runs, e.g. ["tritonserver", "--model-repository=/models"], or a script on a volume the container mounts.`,
          ),
        );
      } else if (asArray(c.container.args).length === 0) {
        findings.push(
          viabilityFinding(
            "viability.unknown-entrypoint",
            pod.object,
            `${c.path}.command`,
            `Container "${name}" of ${refName(pod.object)} sets neither command nor args; whether ${image || "its image"} runs anything by itself is not known.`,
            `Set ${c.path}.command if the image's entrypoint does not start the workload.`,
          ),
        );
      }
    }
  }
  return findings;
}
