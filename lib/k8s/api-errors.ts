// Turns whatever @kubernetes/client-node throws into a typed failure that keeps the API's own words:
// the Status message, reason, code and causes (client-node 2.x hands error bodies over as raw text).
import { redactCredentials } from "./redact-credentials";

export interface FieldConflict {
  field: string;
  manager: string;
}

export interface KubernetesApiFailure {
  /** api: the server answered with an error; unknown_kind: the group/version/kind is not served (CRD missing). */
  kind: "api" | "unknown_kind" | "network" | "timeout" | "unexpected";
  code?: number;
  reason?: string;
  message: string;
  causes?: Array<{ type?: string; reason?: string; field?: string; message?: string }>;
  conflicts?: FieldConflict[];
  retryAfterSeconds?: number;
  retryable: boolean;
}

interface ErrorLike {
  code?: unknown;
  body?: unknown;
  headers?: Record<string, string>;
  message?: string;
  name?: string;
  cause?: { code?: string; message?: string; name?: string };
}

const networkCodes = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

function parseStatus(body: unknown): Record<string, unknown> | undefined {
  if (body && typeof body === "object") return body as Record<string, unknown>;
  if (typeof body !== "string" || !body.trim().startsWith("{")) return undefined;
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function conflictsFrom(causes: KubernetesApiFailure["causes"]): FieldConflict[] {
  return (causes ?? [])
    .filter((c) => c.type === "FieldManagerConflict")
    .map((c) => ({
      field: c.field ?? "",
      manager: /conflict with "([^"]+)"/.exec(c.message ?? "")?.[1] ?? c.message ?? "unknown",
    }));
}

function retryAfter(
  headers: Record<string, string> | undefined,
  status: Record<string, unknown> | undefined,
): number | undefined {
  const header = headers?.["retry-after"] ?? headers?.["Retry-After"];
  if (header !== undefined && /^\d+$/.test(header.trim())) return Number(header);
  const details = status?.details as { retryAfterSeconds?: number } | undefined;
  return typeof details?.retryAfterSeconds === "number" ? details.retryAfterSeconds : undefined;
}

const defaultMessages: Record<number, string> = {
  401: "Unauthorized: the cluster rejected the credentials",
  403: "Forbidden: the credentials are not allowed to do this",
  404: "not found",
};

export function describeApiError(error: unknown, knownSecrets: readonly string[] = []): KubernetesApiFailure {
  const e = (error ?? {}) as ErrorLike;
  const redact = (text: string) => redactCredentials(text, knownSecrets);
  // DOMException timeouts carry a numeric legacy code (23), so check the name before treating code as HTTP.
  if (e.name === "TimeoutError" || e.name === "AbortError") {
    return { kind: "timeout", message: "the request to the API server timed out", retryable: true };
  }
  if (typeof e.code === "number" && e.code >= 100 && e.code <= 599) {
    const code = e.code;
    const status = parseStatus(e.body);
    if (!status) {
      const text = typeof e.body === "string" ? e.body.trim() : "";
      if (code === 404 && text.startsWith("404 page not found")) {
        return {
          kind: "unknown_kind",
          code,
          message: "the API group/version is not served by this cluster (404 page not found)",
          retryable: false,
        };
      }
      return {
        kind: "api",
        code,
        message: redact(text || defaultMessages[code] || `HTTP ${code}`),
        retryable: code === 429 || code >= 500,
        retryAfterSeconds: retryAfter(e.headers, undefined),
      };
    }
    const causes = ((status.details as { causes?: KubernetesApiFailure["causes"] } | undefined)?.causes ?? []).map(
      (c) => ({ ...c, message: c.message && redact(c.message) }),
    );
    const conflicts = conflictsFrom(causes);
    return {
      kind: "api",
      code,
      reason: typeof status.reason === "string" ? status.reason : undefined,
      message: redact(String(status.message ?? defaultMessages[code] ?? `HTTP ${code}`)),
      ...(causes.length > 0 ? { causes } : {}),
      ...(conflicts.length > 0 ? { conflicts } : {}),
      retryAfterSeconds: retryAfter(e.headers, status),
      retryable: code === 429 || code >= 500,
    };
  }
  const message = String(e.message ?? error);
  const unknownKind = /Unrecognized API version and kind: (\S+) (\S+)/.exec(message);
  if (unknownKind) {
    return {
      kind: "unknown_kind",
      message: `${unknownKind[1]} ${unknownKind[2]} is not served by this cluster: install its CustomResourceDefinition first`,
      retryable: false,
    };
  }
  if (e.name === "TimeoutError" || e.name === "AbortError" || /aborted due to timeout/i.test(message)) {
    return { kind: "timeout", message: "the request to the API server timed out", retryable: true };
  }
  const causeCode = e.cause?.code;
  if (
    (causeCode && networkCodes.has(causeCode)) ||
    /fetch failed|socket hang up|other side closed|ECONNRESET/i.test(message)
  ) {
    return {
      kind: "network",
      message: redact(`connection to the API server failed: ${e.cause?.message ?? message}`),
      retryable: true,
    };
  }
  return { kind: "unexpected", message: redact(message), retryable: false };
}

/** One line for a timeline: the API's own message, with the conflicting fields and managers when there are some. */
export function summarizeFailure(failure: KubernetesApiFailure): string {
  const head = failure.code ? `${failure.code}${failure.reason ? ` ${failure.reason}` : ""}: ` : "";
  return `${head}${failure.message}`;
}

/**
 * Whether a DELETE sent with preconditions.uid was refused because the object there has another uid: the API server
 * answers 409 Conflict whose message names the UID (the generic registry: "the UID in the precondition (…) does not
 * match the UID in record (…)"; the Namespace and CRD storages: "… UID in precondition: …, UID in object meta: …").
 */
export function isUidPreconditionFailure(failure: KubernetesApiFailure): boolean {
  return (
    failure.kind === "api" &&
    failure.code === 409 &&
    failure.reason === "Conflict" &&
    /\bUID in (the )?precondition\b/i.test(failure.message)
  );
}
