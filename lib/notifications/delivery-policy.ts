// How a delivery is signed and retried. Pure: time and keys come in.

/** Attempts per delivery: the first and five retries (after 30 s, 1, 2, 4 and 8 min with the default base). */
export const MAX_DELIVERY_ATTEMPTS = 6;
export const DEFAULT_RETRY_BASE_SECONDS = 30;
const MAX_RETRY_DELAY_SECONDS = 3600;

/** Seconds to wait after failed attempt `attempt` (1-based): base · 2^(attempt-1), at most an hour. */
export function retryDelaySeconds(attempt: number, baseSeconds = DEFAULT_RETRY_BASE_SECONDS): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, baseSeconds * 2 ** Math.max(0, attempt - 1));
}

/** The next step after an attempt: done, retry at a time, or give up. */
export function nextStep(o: {
  ok: boolean;
  attempt: number;
  maxAttempts: number;
  now: Date;
  baseSeconds?: number;
}): { status: "delivered" } | { status: "retrying"; at: Date } | { status: "failed" } {
  if (o.ok) return { status: "delivered" };
  if (o.attempt >= o.maxAttempts) return { status: "failed" };
  return { status: "retrying", at: new Date(o.now.getTime() + retryDelaySeconds(o.attempt, o.baseSeconds) * 1000) };
}

/** A receiver's answer as the delivery log shows it: the status and the start of the body, on one line. */
export function describeHttpFailure(status: number, body: string): string {
  const snippet = body.replace(/\s+/g, " ").trim().slice(0, 200);
  return `the receiver answered HTTP ${status}${snippet ? `: ${snippet}` : ""}`;
}
