// The one error every /api/v1 call rejects with: the API's { error: { code, message, fields? } }, with the status.
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }

  /**
   * Field messages by form field name: the API names a body field "body.x.y" or "x.y"; a form knows it as "x.y".
   * The first message for a field wins, as a form shows one per field.
   */
  fieldMessages(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.fields) {
      const name = f.path.replace(/^body\.?/, "");
      out[name] ??= f.message;
    }
    return out;
  }
}

/** Status 0: the portal could not be reached at all (offline, DNS, the server down). */
export function unreachable(error: unknown): ApiError {
  return new ApiError(
    0,
    "unreachable",
    `The portal could not be reached (${String(error)}): check your connection and try again.`,
  );
}

/** Whatever a call threw, as an ApiError (anything else is a bug of ours, shown with a generic message). */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, "client_error", error instanceof Error ? error.message : String(error));
}
