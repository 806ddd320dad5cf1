// A use case's error as a caller of the API sees it: route()'s status beside the code, message and fields, so a
// use-case test asserts the answer a person or pipeline gets without going through HTTP.
import { DomainError, type FieldError } from "@/lib/errors/domain-error";
import { statusForError } from "@/lib/http/error-status";

export interface HttpView {
  status: number;
  code: string;
  message: string;
  fields?: FieldError[];
}

/** The error as route() would answer it; anything route() would log as a 500 is returned unchanged. */
export function httpView(error: unknown): HttpView | unknown {
  const status = statusForError(error);
  if (status === null || !(error instanceof Error)) return error;
  const { code, fields } = error as DomainError;
  return { status, code, message: error.message, ...(fields ? { fields } : {}) };
}

/** The promise's value, or its rejection as httpView gives it. */
export async function httpRejection<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw httpView(error);
  }
}
