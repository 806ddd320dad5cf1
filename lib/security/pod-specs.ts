// Finds the pod template inside every kind that creates pods, so each check is written once against a pod spec.
import type { KubernetesObject } from "@/lib/k8s/types";

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/** Any value as message text; never throws (String() does on objects without a prototype). */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Where the pod spec sits in each pod-bearing kind (kind names are stable across API versions). */
const podSpecPaths: Record<string, readonly string[]> = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
  // KEDA's ScaledJob embeds a whole JobSpec under jobTargetRef.
  ScaledJob: ["spec", "jobTargetRef", "template", "spec"],
};

export interface PodSpecLocation {
  object: KubernetesObject;
  spec: JsonRecord;
  /** Dotted path of the pod spec inside the object, e.g. "spec.template.spec". */
  path: string;
  /** The pod's metadata (the template's, or the Pod's own) and its path, e.g. "spec.template.metadata". */
  metadata: JsonRecord;
  metadataPath: string;
}

export function findPodSpec(object: KubernetesObject): PodSpecLocation | undefined {
  const segments = podSpecPaths[object.kind];
  if (!segments) return undefined;
  let parent: unknown;
  let current: unknown = object;
  for (const segment of segments) {
    parent = current;
    current = asRecord(current)?.[segment];
  }
  const spec = asRecord(current);
  if (!spec) return undefined;
  const parentPath = segments.slice(0, -1).join(".");
  return {
    object,
    spec,
    path: segments.join("."),
    metadata: asRecord(asRecord(parent)?.metadata) ?? {},
    metadataPath: parentPath ? `${parentPath}.metadata` : "metadata",
  };
}

export const containerListNames = ["initContainers", "containers", "ephemeralContainers"] as const;

export interface ContainerLocation {
  container: JsonRecord;
  list: (typeof containerListNames)[number];
  /** e.g. "spec.template.spec.containers[0]" */
  path: string;
}

export function listContainers(pod: PodSpecLocation): ContainerLocation[] {
  const found: ContainerLocation[] = [];
  for (const list of containerListNames) {
    asArray(pod.spec[list]).forEach((item, index) => {
      const container = asRecord(item);
      if (container) found.push({ container, list, path: `${pod.path}.${list}[${index}]` });
    });
  }
  return found;
}

export function containerName(location: ContainerLocation): string {
  return typeof location.container.name === "string" ? location.container.name : location.path;
}
