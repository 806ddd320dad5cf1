import "server-only";
import type { PolicyResponse } from "@/lib/net/policy-fetch.server";

export interface ThrottleRetry {
  /** Attempts per page, throttled ones included. */
  maxAttempts?: number;
  /** First back-off when the answer names no Retry-After; doubles each time. */
  baseDelayMs?: number;
  /** Longest wait honoured, whatever Retry-After asks. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const THROTTLED = new Set([429, 503]);

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/**
 * Calls `attempt` again while the price API answers 429 (or 503), waiting what Retry-After asks (capped) or an
 * exponential back-off; the last answer is returned, throttled or not, for the caller to report.
 */
export async function fetchWithThrottleRetry(
  attempt: () => Promise<PolicyResponse>,
  o: ThrottleRetry = {},
): Promise<PolicyResponse> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const max = o.maxAttempts ?? 5;
  for (let n = 1; ; n++) {
    const res = await attempt();
    if (!THROTTLED.has(res.status) || n >= max) return res;
    const wait = retryAfterMs(res.headers["retry-after"], Date.now()) ?? (o.baseDelayMs ?? 1000) * 2 ** (n - 1);
    await sleep(Math.min(wait, o.maxDelayMs ?? 30_000));
  }
}
