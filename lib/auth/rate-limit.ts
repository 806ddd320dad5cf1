// Password sign-in throttling, decided from counts the caller reads while holding the account's and the address's
// locks (password-sign-in.server.ts), so parallel attempts cannot all pass the same check.
//
// Why this shape:
// - Per account: at most 5 failed checks a minute from addresses the account has never signed in from. This is
//   the limit that holds whatever the attacker does, including forging X-Forwarded-For on every request.
// - Per address: at most 5 failed checks a minute on one account, and 20 over all accounts (password spraying),
//   from one client address.
// - A hard per-account lock would let anyone lock a person out for free with 5 wrong passwords a minute. So an
//   address the account signed in from successfully in the last 30 days is not refused by the per-account limit
//   (only by its own per-address limits, and by a ceiling of 10 a minute per account for the case where an
//   attacker forges a known address): the person keeps signing in from their usual place during an attack. A new
//   address waits for the minute to pass, which is the price of not letting unknown addresses guess without limit.
// - The fallback "unknown" address (no usable address in the request) is no address: it never counts as known, and it is not
//   throttled as one, or one visitor's failures would refuse everyone behind the same missing header.
export const RATE_LIMIT = {
  windowMs: 60_000,
  maxAccountFailures: 5,
  maxKnownAddressAccountFailures: 10,
  maxPairFailures: 5,
  maxAddressFailures: 20,
  knownAddressMs: 30 * 24 * 60 * 60 * 1000,
} as const;

export interface RecentAttempts {
  /** Failed (or still running) password checks on the account within the window, from any address. */
  accountFailures: number;
  /** The same, from this address only. */
  pairFailures: number;
  /** Failed (or still running) checks from this address on any account within the window. */
  addressFailures: number;
  /** Whether the account signed in successfully from this address within `knownAddressMs`. */
  knownAddress: boolean;
  /** False for the fallback address used when the request names none. */
  addressIdentified: boolean;
}

export type AttemptDecision = { allowed: true } | { allowed: false; limit: "address" | "account"; message: string };

const waitMessage = "wait a minute, then try again";

export function decidePasswordAttempt(recent: RecentAttempts): AttemptDecision {
  const limits = RATE_LIMIT;
  if (recent.addressIdentified && recent.addressFailures >= limits.maxAddressFailures) {
    return {
      allowed: false,
      limit: "address",
      message: `Too many failed sign-ins from your network address (${limits.maxAddressFailures} in a minute): ${waitMessage}.`,
    };
  }
  if (recent.addressIdentified && recent.pairFailures >= limits.maxPairFailures) {
    return {
      allowed: false,
      limit: "address",
      message: `Too many failed sign-ins for this account from your network address (${limits.maxPairFailures} in a minute): ${waitMessage}.`,
    };
  }
  const known = recent.addressIdentified && recent.knownAddress;
  const ceiling = known ? limits.maxKnownAddressAccountFailures : limits.maxAccountFailures;
  if (recent.accountFailures >= ceiling) {
    // Without an identified address there is no "network used before" to offer.
    const hint = known || !recent.addressIdentified ? "" : " Signing in from a network you used before still works.";
    return {
      allowed: false,
      limit: "account",
      message: `Too many failed sign-ins for this account (${ceiling} in a minute): ${waitMessage}.${hint}`,
    };
  }
  return { allowed: true };
}
