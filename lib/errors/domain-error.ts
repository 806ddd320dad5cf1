// Expected failures of a use case, as the web, the worker and the CLI all see them: a code a program can branch on,
// a message a person can act on, and the fields it names. No HTTP here: route() maps each code to a status.

/** One input field that was wrong, as a dotted path ("input.node_pools.0.min_nodes") and what to do about it. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * Every code a use case may fail with. lib/http/error-status.ts gives each its HTTP status, so a new code cannot
 * reach a caller without one.
 */
export type DomainErrorCode =
  // The caller's input, read alone or against the portal's state, cannot be accepted as sent.
  | "validation_failed"
  | "invalid_input"
  | "invalid_plan"
  | "unviable_plan"
  | "protected_namespace"
  | "confirmation_required"
  | "override_required"
  | "no_cluster"
  | "cluster_unavailable"
  // The caller is not known, or may not do this.
  | "unauthenticated"
  | "forbidden"
  | "protected_namespaces"
  // The thing named does not exist (or is hidden from this caller).
  | "not_found"
  | "no_history"
  // The portal's state does not allow it now.
  | "conflict"
  | "confirmation_changed"
  | "namespace_clash"
  | "prometheus_not_configured"
  | "url_refused"
  // Asked again too soon: the answer says when to try again.
  | "rate_limited"
  // A system the portal depends on failed to answer.
  | "prometheus_failed";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("not_found", `${what} was not found`);
export const conflict = (message: string) => new DomainError("conflict", message);
export const unprocessable = (message: string, fields?: FieldError[]) =>
  new DomainError("validation_failed", message, fields);
export const forbidden = (message = "You are not allowed to do this.") => new DomainError("forbidden", message);

/** "spec.maxReplicas: must be ≥ 1" style field errors from a zod error's issues. */
export function fieldErrorsFromIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  prefix = "",
): FieldError[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
}
