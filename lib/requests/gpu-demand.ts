// GPUs a plan needs per namespace: at its floor (what must fit for the apply to make sense) and at full scale
// (what autoscaling may reach). A ResourceQuota caps scaling, it does not break it: the apply is blocked only
// when the floor does not fit, and the ceiling is reported as a warning.
import type { KubernetesObject } from "@/lib/k8s/types";
import { requiredGpuQuota } from "@/lib/plans/recoveries";

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : {});

function podGpus(template: unknown): number {
  const containers = (rec(rec(template).spec).containers as unknown[]) ?? [];
  return containers.reduce<number>((sum, c) => {
    const resources = rec(rec(c).resources);
    return (
      sum + (Number(rec(resources.requests)["nvidia.com/gpu"] ?? rec(resources.limits)["nvidia.com/gpu"] ?? 0) || 0)
    );
  }, 0);
}

export interface GpuDemand {
  namespace: string;
  floor: number;
  ceiling: number;
}

export function gpuDemand(objects: readonly KubernetesObject[]): GpuDemand[] {
  const scaledMin = new Map<string, number>();
  for (const o of objects) {
    if (o.kind === "ScaledObject") {
      const spec = rec(o.spec);
      scaledMin.set(
        `${o.metadata.namespace}/${String(rec(spec.scaleTargetRef).name)}`,
        Number(spec.minReplicaCount ?? 0),
      );
    }
  }
  const floors = new Map<string, number>();
  for (const o of objects) {
    const spec = rec(o.spec);
    const ns = o.metadata.namespace ?? "default";
    let gpus = 0;
    if (o.kind === "Deployment" || o.kind === "StatefulSet")
      gpus = podGpus(spec.template) * (scaledMin.get(`${ns}/${o.metadata.name}`) ?? Number(spec.replicas ?? 1));
    else if (o.kind === "Job") gpus = podGpus(spec.template) * Number(spec.parallelism ?? 1);
    if (gpus > 0) floors.set(ns, (floors.get(ns) ?? 0) + gpus);
  }
  const ceilings = new Map(requiredGpuQuota({ deployment_manifests: [...objects] }).map((q) => [q.namespace, q.gpus]));
  const namespaces = [...new Set([...floors.keys(), ...ceilings.keys()])].sort();
  return namespaces.map((namespace) => ({
    namespace,
    floor: floors.get(namespace) ?? 0,
    ceiling: ceilings.get(namespace) ?? floors.get(namespace) ?? 0,
  }));
}
