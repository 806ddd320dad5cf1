// Exponential backoff with full jitter, honouring the server's Retry-After, for retryable Kubernetes failures.
import { type KubernetesApiFailure, describeApiError } from "./api-errors";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 15_000 };

/** Delay before the attempt after `failedAttempt` (1-based). Retry-After wins when it asks for longer. */
export function backoffDelayMs(
  failedAttempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterSeconds?: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  const jittered = Math.round(random() * ceiling);
  if (retryAfterSeconds === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfterSeconds * 1000, policy.maxDelayMs * 4));
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  knownSecrets?: readonly string[];
  onRetry?: (info: { attempt: number; delayMs: number; failure: KubernetesApiFailure }) => void;
}

export type Attempted<T> =
  { ok: true; value: T; attempts: number } | { ok: false; failure: KubernetesApiFailure; attempts: number };

export async function callWithRetries<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<Attempted<T>> {
  const policy = { ...defaultRetryPolicy, ...options.policy };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await call(), attempts: attempt };
    } catch (error) {
      const failure = describeApiError(error, options.knownSecrets);
      if (!failure.retryable || attempt >= policy.maxAttempts) return { ok: false, failure, attempts: attempt };
      const delayMs = backoffDelayMs(attempt, policy, random, failure.retryAfterSeconds);
      options.onRetry?.({ attempt, delayMs, failure });
      await sleep(delayMs);
    }
  }
}
