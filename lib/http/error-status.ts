// The one table from domain error codes to HTTP statuses (route() answers with it).
import { DomainError, type DomainErrorCode } from "@/lib/errors/domain-error";
import { HttpError } from "./errors";

const statusByCode: Record<DomainErrorCode, number> = {
  validation_failed: 422,
  invalid_input: 422,
  invalid_plan: 422,
  unviable_plan: 422,
  protected_namespace: 422,
  confirmation_required: 422,
  override_required: 422,
  no_cluster: 422,
  cluster_unavailable: 422,
  unauthenticated: 401,
  forbidden: 403,
  protected_namespaces: 403,
  not_found: 404,
  no_history: 404,
  conflict: 409,
  confirmation_changed: 409,
  namespace_clash: 409,
  prometheus_not_configured: 409,
  url_refused: 409,
  rate_limited: 429,
  prometheus_failed: 502,
};

function statusForCode(code: DomainErrorCode): number {
  return statusByCode[code];
}

/** The status a caller gets for an expected error; null for anything else (route() logs it as a 500). */
export function statusForError(error: unknown): number | null {
  if (error instanceof DomainError) return statusForCode(error.code);
  if (error instanceof HttpError) return error.status;
  return null;
}
