// When `npm start` restarts a child that exited on its own (the worker): at once after a long run, then waiting
// longer after each quick exit (1 s, 2 s, 4 s … up to a cap), so a worker that crashes at start-up does not spin.
// Pure: times are passed in.

export interface RestartPolicy {
  /** Wait before the first restart after a quick exit. */
  initialDelayMs: number;
  /** The longest wait between restarts. */
  maxDelayMs: number;
  /** A child that ran at least this long before exiting counts as having been healthy: the backoff starts over. */
  stableAfterMs: number;
}

export const workerRestartPolicy: RestartPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, stableAfterMs: 60_000 };

export interface RestartDecision {
  delayMs: number;
  /** Consecutive quick exits including this one: 1 after a healthy run. */
  attempt: number;
}

/**
 * The wait before restarting a child that ran from `startedAt` to `exitedAt`, given how many quick exits came just
 * before it (`previousAttempts`, 0 at first).
 */
export function nextRestart(
  previousAttempts: number,
  startedAt: number,
  exitedAt: number,
  policy: RestartPolicy = workerRestartPolicy,
): RestartDecision {
  const attempt = exitedAt - startedAt >= policy.stableAfterMs ? 1 : previousAttempts + 1;
  // 2^(attempt-1) grows past any cap long before it overflows; the min keeps the wait bounded.
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
  return { delayMs, attempt };
}
