// Every extended resource a pod asks for (nvidia.com/gpu, vpc.amazonaws.com/efa, ...) is advertised by a device
// plugin the object set installs or one the cluster provides: otherwise no node ever has it and the pod stays
// Pending, whatever the pool's instance type.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asRecord, findPodSpec, listContainers } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import type { ViabilityFacts } from "./facts";
import { listPods, refName } from "./pods";

const nativeResources = /^(cpu|memory|ephemeral-storage|storage|hugepages-.+)$/;

/** Device plugins by image, and the resource each advertises. */
export const devicePluginImages: readonly { pattern: RegExp; resource: string; install: string }[] = [
  {
    pattern: /nvidia\/k8s-device-plugin[:@]/,
    resource: "nvidia.com/gpu",
    install: "the NVIDIA device plugin DaemonSet (or the GPU Operator)",
  },
  {
    pattern: /aws-efa-k8s-device-plugin[:@]/,
    resource: "vpc.amazonaws.com/efa",
    install: "the AWS EFA device plugin (Helm chart eks/aws-efa-k8s-device-plugin)",
  },
  {
    pattern: /(sriov-network-device-plugin|rdma-shared-dev-plugin)[:@]/,
    resource: "rdma/",
    install: "the RDMA device plugin",
  },
];

function installedResources(objects: readonly KubernetesObject[]): string[] {
  return objects
    .filter((o) => o.kind === "DaemonSet")
    .flatMap((o) => {
      const location = findPodSpec(o);
      return location ? listContainers(location).map((c) => String(c.container.image ?? "")) : [];
    })
    .flatMap((image) => devicePluginImages.filter((p) => p.pattern.test(image)).map((p) => p.resource));
}

export function checkExtendedResources(objects: readonly KubernetesObject[], facts: ViabilityFacts): SecurityFinding[] {
  if (!facts.providedResources) return [];
  const provided = [...facts.providedResources, ...installedResources(objects)];
  const isProvided = (r: string) => provided.some((p) => (p.endsWith("/") ? r.startsWith(p) : p === r));
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects)) {
    for (const c of listContainers(pod.location).filter((l) => l.list !== "ephemeralContainers")) {
      const resources = asRecord(c.container.resources) ?? {};
      const names = new Set([
        ...Object.keys(asRecord(resources.requests) ?? {}),
        ...Object.keys(asRecord(resources.limits) ?? {}),
      ]);
      for (const resource of [...names].filter((r) => !nativeResources.test(r) && !isProvided(r))) {
        const plugin = devicePluginImages.find((p) =>
          p.resource.endsWith("/") ? resource.startsWith(p.resource) : p.resource === resource,
        );
        findings.push(
          viabilityFinding(
            "viability.unprovided-resource",
            pod.object,
            `${c.path}.resources`,
            `Container "${String(c.container.name ?? c.path)}" of ${refName(pod.object)} asks for ${resource}, which no device plugin of this plan or the cluster advertises: no node ever has it and the pod stays Pending.`,
            `Install ${plugin?.install ?? `the device plugin that advertises ${resource}`} on the nodes of the pool, or drop ${resource} from ${c.path}.resources.`,
          ),
        );
      }
    }
  }
  return findings;
}
