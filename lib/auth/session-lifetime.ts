// Whether a session token still stands. Session tokens are signed JWTs that next-auth re-issues with a fresh expiry
// on every visit, so their own `exp` never ends a busy session. What ends one:
// - the absolute lifetime: 8 hours from the sign-in itself (`signedInAt`, set once when the token is first issued);
// - sign-out: it raises the person's `sessionVersion`, and a token issued with an older one is refused;
// - a disabled or deleted account.

export const SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;
/** Tolerated clock difference between web replicas for a sign-in time that lies in the future. */
const CLOCK_SKEW_MS = 60_000;

/** What the signed token says about itself (lib/auth/auth-options.server.ts writes it). */
export interface SessionClaims {
  userId?: unknown;
  /** Milliseconds since the epoch of the sign-in that started this session. */
  signedInAt?: unknown;
  sessionVersion?: unknown;
}

export interface SessionAccount {
  disabled: boolean;
  sessionVersion: number;
}

export type SessionDecision =
  { valid: true } | { valid: false; reason: "no_user" | "no_sign_in_time" | "expired" | "disabled" | "signed_out" };

export function decideSession(claims: SessionClaims, account: SessionAccount | null, now: Date): SessionDecision {
  if (typeof claims.userId !== "string" || !account) return { valid: false, reason: "no_user" };
  const signedInAt = claims.signedInAt;
  // A token without a sign-in time could be refreshed forever: refuse it and let the person sign in again.
  if (typeof signedInAt !== "number" || !Number.isFinite(signedInAt) || signedInAt > now.getTime() + CLOCK_SKEW_MS) {
    return { valid: false, reason: "no_sign_in_time" };
  }
  if (now.getTime() - signedInAt >= SESSION_LIFETIME_MS) return { valid: false, reason: "expired" };
  if (account.disabled) return { valid: false, reason: "disabled" };
  if (claims.sessionVersion !== account.sessionVersion) return { valid: false, reason: "signed_out" };
  return { valid: true };
}
