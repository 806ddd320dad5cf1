// Expected failures of an HTTP use case. route() turns them into `{ error: { code, message, fields? } }`.
export interface FieldError {
  path: string;
  message: string;
}

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

export const notFound = (what: string) => new HttpError(404, "not_found", `${what} was not found`);
export const conflict = (message: string) => new HttpError(409, "conflict", message);
export const unprocessable = (message: string, fields?: FieldError[]) => new HttpError(422, "validation_failed", message, fields);

export function errorBody(code: string, message: string, fields?: FieldError[], requestId?: string) {
  return { error: { code, message, ...(fields?.length ? { fields } : {}), ...(requestId ? { requestId } : {}) } };
}

/** "spec.maxReplicas: must be ≥ 1" style field errors from a zod error's issues. */
export function fieldErrorsFromIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix = ""): FieldError[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
}
