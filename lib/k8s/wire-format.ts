// client-node deserializes responses into model classes: Dates instead of strings and a few renamed fields
// (NetworkPolicy "from" becomes "_from", LimitRange "default" becomes "_default"). Comparing with plan
// objects, or sending an object back, needs the JSON the API server speaks.
import { ObjectSerializer } from "@kubernetes/client-node/dist/serializer.js";
import { getSerializationType } from "@kubernetes/client-node/dist/util.js";
import type { KubernetesObject } from "./types";

export function toWireFormat(obj: unknown, apiVersion: string, kind: string): KubernetesObject {
  const wire = ObjectSerializer.serialize(obj, getSerializationType(apiVersion, kind)) as KubernetesObject;
  return { ...wire, apiVersion, kind };
}

/**
 * The reverse, needed before KubernetesObjectApi.patch/create: they serialize built-in kinds through the model
 * classes, which silently drops wire names such as NetworkPolicy "from" from a plain object.
 */
export function toClientModel<T extends KubernetesObject>(obj: T): T {
  const model = ObjectSerializer.deserialize(structuredClone(obj), getSerializationType(obj.apiVersion, obj.kind)) as T;
  return { ...model, apiVersion: obj.apiVersion, kind: obj.kind };
}
