// What the portal says when an AWS call fails. The SDK puts the service's answer into its errors (the JSON body's
// `message`, or for a body it cannot read, text about it), and with a custom awsEndpoint that answer comes from
// whatever the URL points at. The message is stored as the ingestion run's error and shown to engineers, so it keeps
// only the HTTP status and the error's name (an AWS error code such as AccessDeniedException); the caller logs the rest.

interface SdkFailure {
  name?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $response?: unknown;
}

/** The SDK's service or deserialization errors carry the answer; connection errors and URL refusals are the portal's own words. */
export function isRemoteAnswerError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as SdkFailure;
  return e.$response !== undefined || typeof e.$metadata?.httpStatusCode === "number";
}

export function awsFailureMessage(what: string, error: unknown): string {
  if (!isRemoteAnswerError(error)) return error instanceof Error ? error.message : String(error);
  const e = error as SdkFailure;
  const status = typeof e.$metadata?.httpStatusCode === "number" ? ` with HTTP ${e.$metadata.httpStatusCode}` : "";
  const code = typeof e.name === "string" && /^[A-Za-z][A-Za-z0-9.]{0,63}$/.test(e.name) ? ` (${e.name})` : "";
  return `${what} failed${status}${code}: the server log has the answer's details`;
}
