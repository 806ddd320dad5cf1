// metav1.Status bodies exactly as the API server shapes them for errors and successful deletes.
import type { ResourceDefinition } from "./resource-catalog";

export interface StatusCause {
  type?: string;
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusReply {
  code: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export function statusReply(
  code: number,
  reason: string,
  message: string,
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number },
): StatusReply {
  return {
    code,
    body: {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: code < 400 ? "Success" : "Failure",
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    },
  };
}

export const resourceLabel = (def: ResourceDefinition) => (def.group ? `${def.plural}.${def.group}` : def.plural);
export const kindLabel = (def: ResourceDefinition) => (def.group ? `${def.kind}.${def.group}` : def.kind);

export function notFound(def: ResourceDefinition, name: string): StatusReply {
  return statusReply(404, "NotFound", `${resourceLabel(def)} "${name}" not found`, {
    name,
    group: def.group,
    kind: def.plural,
  });
}

export function invalid(def: ResourceDefinition, name: string, causes: StatusCause[]): StatusReply {
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  const text = parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`;
  return statusReply(422, "Invalid", `${kindLabel(def)} "${name}" is invalid: ${text}`, {
    name,
    group: def.group,
    kind: def.kind,
    causes: causes.map((c) => ({ reason: c.reason ?? "FieldValueInvalid", message: c.message, field: c.field })),
  });
}

export function badRequest(message: string): StatusReply {
  return statusReply(400, "BadRequest", message);
}
