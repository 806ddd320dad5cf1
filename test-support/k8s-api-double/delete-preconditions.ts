// DeleteOptions.preconditions as the API server checks them: a uid or resourceVersion that does not match the live
// object fails the DELETE with 409 Conflict and nothing is deleted. The words are the server's: the generic registry
// (rest.BeforeDelete) names the kind; the Namespace and CustomResourceDefinition storages check it themselves and
// name the resource.
import { type StatusReply, statusReply } from "./api-status";
import { isPlainObject } from "./field-paths";
import type { K8sObject } from "./managed-fields";
import type { ResourceDefinition } from "./resource-catalog";

export interface DeletePreconditions {
  uid?: string;
  resourceVersion?: string;
}

/** The preconditions of a DELETE's body (a DeleteOptions), or none. */
export function deletePreconditionsOf(body: unknown): DeletePreconditions {
  if (!isPlainObject(body) || !isPlainObject(body.preconditions)) return {};
  const { uid, resourceVersion } = body.preconditions as { uid?: unknown; resourceVersion?: unknown };
  return {
    ...(typeof uid === "string" ? { uid } : {}),
    ...(typeof resourceVersion === "string" ? { resourceVersion } : {}),
  };
}

function conflict(group: string, resource: string, name: string, cause: string): StatusReply {
  const qualified = group ? `${resource}.${group}` : resource;
  return statusReply(409, "Conflict", `Operation cannot be fulfilled on ${qualified} "${name}": ${cause}`, {
    name,
    group,
    kind: resource,
  });
}

/** The 409 the API server answers when `preconditions` do not hold for `live`, or undefined when they hold. */
export function preconditionFailed(
  def: ResourceDefinition,
  live: K8sObject,
  preconditions: DeletePreconditions,
): StatusReply | undefined {
  const name = String(live.metadata.name);
  const uid = String(live.metadata.uid ?? "");
  const resourceVersion = String(live.metadata.resourceVersion ?? "");
  const uidMismatch = preconditions.uid !== undefined && preconditions.uid !== uid;
  const versionMismatch =
    preconditions.resourceVersion !== undefined && preconditions.resourceVersion !== resourceVersion;
  if (!uidMismatch && !versionMismatch) return undefined;
  const ownStorage =
    def.group === "" && def.kind === "Namespace"
      ? "Precondition failed"
      : def.group === "apiextensions.k8s.io" && def.kind === "CustomResourceDefinition"
        ? "precondition failed"
        : undefined;
  if (ownStorage) {
    const cause = uidMismatch
      ? `${ownStorage}: UID in precondition: ${preconditions.uid}, UID in object meta: ${uid}`
      : `${ownStorage}: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${resourceVersion}`;
    return conflict(def.group, def.plural, name, cause);
  }
  const cause = uidMismatch
    ? `the UID in the precondition (${preconditions.uid}) does not match the UID in record (${uid}). The object might have been deleted and then recreated`
    : `the ResourceVersion in the precondition (${preconditions.resourceVersion}) does not match the ResourceVersion in record (${resourceVersion}). The object might have been modified`;
  return conflict(def.group, def.kind, name, cause);
}
