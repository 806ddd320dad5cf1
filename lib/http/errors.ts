// Failures of the HTTP exchange itself (no session, a body too large or not JSON), which only route() raises; a use
// case's failures are DomainErrors (lib/errors). route() turns both into `{ error: { code, message, fields? } }`.
import type { FieldError } from "@/lib/errors/domain-error";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function errorBody(code: string, message: string, fields?: FieldError[], traceId?: string) {
  return {
    error: { code, message, ...(fields?.length ? { fields } : {}), ...(traceId ? { requestId: traceId } : {}) },
  };
}
