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

/** For parts of objects, e.g. a ReplicaSet's pod template ("V1PodTemplateSpec"). */
export function serializeModel(value: unknown, modelType: string): unknown {
  return ObjectSerializer.serialize(value, modelType);
}
