// Password sign-in throttling: at most 5 failed attempts per account per minute.
export const RATE_LIMIT = { maxFailures: 5, windowMs: 60_000 } as const;

export function decidePasswordAttempt(recentFailures: number): { allowed: true } | { allowed: false; message: string } {
  if (recentFailures >= RATE_LIMIT.maxFailures) {
    return { allowed: false, message: `Too many failed sign-ins for this account (${RATE_LIMIT.maxFailures} in a minute): wait a minute, then try again.` };
  }
  return { allowed: true };
}
