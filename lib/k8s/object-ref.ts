import type { KubernetesObject } from "./types";

/** Identifies one object in a cluster; what results, drift reports and revert confirmations name. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export function refOf(obj: KubernetesObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
  };
}

/** "Deployment ml-inference/llm-server", "Namespace ml-inference": how people name an object. */
/** The identity of a stored row (a null namespace is a cluster-scoped object): nothing but the ref's fields. */
export function refOfRow(r: { apiVersion: string; kind: string; name: string; namespace?: string | null }): ObjectRef {
  return { apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) };
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}

export function refKey(ref: ObjectRef): string {
  return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ""}|${ref.name}`;
}

/** A spec with just enough for KubernetesObjectApi to build the URL of the object. */
export function specOfRef(ref: ObjectRef): KubernetesObject {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
  };
}
