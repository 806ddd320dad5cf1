import "server-only";
import bcrypt from "bcryptjs";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { decidePasswordAttempt, RATE_LIMIT } from "./rate-limit";
import { passwordSignInInput } from "./schema";
import { UNKNOWN_CLIENT_ADDRESS } from "./client-address";

export type PasswordSignInResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid_input" | "invalid_credentials" | "rate_limited" | "disabled"; message: string };

export interface PasswordSignInOptions {
  email: unknown;
  password: unknown;
  /** From clientAddressFromHeaders (client-address.ts); UNKNOWN_CLIENT_ADDRESS when the request names none. */
  clientAddress: string;
  now: Date;
}

/** Advisory-lock space of sign-in throttling ("LOGN"); the second key is hashtext of the account or address. */
const SIGN_IN_LOCK_SPACE = 0x4c4f474e;
/** Compared when the user is unknown so the time taken does not reveal which emails exist. */
const DUMMY_HASH = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.jR2b7nQ1yq3Q4v1xk0m8j7w6aKa6";
const WRONG_CREDENTIALS = "Wrong email or password. Check both and try again.";

/**
 * Checks a demo password sign-in. The attempt is counted and recorded before its password is compared, under
 * locks on the account and the address (rate-limit.ts explains the limits), so at most the allowed number of
 * parallel attempts ever reach bcrypt. Every refusal and failure is an audit event.
 */
export async function passwordSignIn(options: PasswordSignInOptions): Promise<PasswordSignInResult> {
  const input = passwordSignInInput.safeParse({ email: options.email, password: options.password });
  if (!input.success)
    return { ok: false, reason: "invalid_input", message: input.error.issues[0]?.message ?? "invalid input" };
  const { email, password } = input.data;
  const { clientAddress, now } = options;
  const db = getPrisma();

  const reservation = await reserveAttempt(email, clientAddress, now);
  if (!reservation.allowed) {
    await recordAudit(db, {
      actor: null,
      action: "auth.sign-in",
      targetType: "user",
      targetId: email,
      outcome: "denied",
      details: { reason: "rate_limited", limit: reservation.limit, clientAddress },
    });
    return { ok: false, reason: "rate_limited", message: reservation.message };
  }
  const user = await db.user.findUnique({ where: { email } });
  const valid = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
  const passwordMatches = Boolean(user?.passwordHash && valid);
  const success = passwordMatches && !user!.disabled;
  await db.loginAttempt.update({ where: { id: reservation.attemptId }, data: { success, userId: user?.id ?? null } });
  if (!success) {
    // Only the right password may learn that the account exists and is disabled.
    const reason = passwordMatches ? "disabled" : "invalid_credentials";
    await recordAudit(db, {
      actor: null,
      action: "auth.sign-in",
      targetType: "user",
      targetId: email,
      outcome: "failure",
      details: { reason, clientAddress },
    });
    if (reason === "disabled")
      return { ok: false, reason, message: "This account is disabled: ask a platform admin to re-enable it." };
    return { ok: false, reason, message: WRONG_CREDENTIALS };
  }
  await recordAudit(db, {
    actor: { id: user!.id, email },
    action: "auth.sign-in",
    targetType: "user",
    targetId: user!.id,
    outcome: "success",
    details: { clientAddress },
  });
  return { ok: true, userId: user!.id };
}

type Reservation =
  { allowed: true; attemptId: bigint } | { allowed: false; limit: "address" | "account"; message: string };

/**
 * Counts the recent attempts and records this one in one transaction holding advisory locks on the account and
 * the address (always in that order, so two attempts never wait on each other in a circle). An attempt allowed
 * here is recorded as a failure until its password proves right, so attempts still running count against the
 * limit too.
 */
async function reserveAttempt(email: string, clientAddress: string, now: Date): Promise<Reservation> {
  const since = new Date(now.getTime() - RATE_LIMIT.windowMs);
  const knownSince = new Date(now.getTime() - RATE_LIMIT.knownAddressMs);
  const addressIdentified = clientAddress !== UNKNOWN_CLIENT_ADDRESS;
  return getPrisma().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SIGN_IN_LOCK_SPACE}::int4, hashtext(${`account:${email}`}))`;
    if (addressIdentified)
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SIGN_IN_LOCK_SPACE}::int4, hashtext(${`address:${clientAddress}`}))`;
    const failed = { checked: true, success: false, at: { gte: since } } as const;
    // One after another: an interactive transaction has one connection, so there is nothing to gain in parallel.
    const accountFailures = await tx.loginAttempt.count({ where: { ...failed, email } });
    const pairFailures = addressIdentified
      ? await tx.loginAttempt.count({ where: { ...failed, email, clientAddress } })
      : 0;
    const addressFailures = addressIdentified
      ? await tx.loginAttempt.count({ where: { ...failed, clientAddress } })
      : 0;
    const knownAddress = addressIdentified
      ? await tx.loginAttempt.findFirst({
          where: { email, clientAddress, success: true, at: { gte: knownSince } },
          select: { id: true },
        })
      : null;
    const decision = decidePasswordAttempt({
      accountFailures,
      pairFailures,
      addressFailures,
      knownAddress: knownAddress !== null,
      addressIdentified,
    });
    const attempt = await tx.loginAttempt.create({
      data: { email, clientAddress, checked: decision.allowed, success: false, at: now },
      select: { id: true },
    });
    return decision.allowed ? { allowed: true, attemptId: attempt.id } : decision;
  });
}
