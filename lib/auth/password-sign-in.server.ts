import "server-only";
import bcrypt from "bcryptjs";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { decidePasswordAttempt, RATE_LIMIT } from "./rate-limit";

export type PasswordSignInResult =
  | { ok: true; userId: string }
  | { ok: false; reason: "invalid_credentials" | "rate_limited" | "disabled"; message: string };

/**
 * Checks a demo password sign-in. Failures are rate limited per account across every web replica
 * (the attempts live in Postgres) and each failure is an audit event.
 */
export async function passwordSignIn(emailInput: string, password: string, now: Date): Promise<PasswordSignInResult> {
  const email = emailInput.trim().toLowerCase();
  const db = getPrisma();
  const since = new Date(now.getTime() - RATE_LIMIT.windowMs);
  const recentFailures = await db.loginAttempt.count({ where: { email, success: false, at: { gte: since } } });
  const gate = decidePasswordAttempt(recentFailures);
  if (!gate.allowed) {
    await recordAudit(db, { actor: null, action: "auth.sign-in", targetType: "user", targetId: email, outcome: "denied", details: { reason: "rate_limited" } });
    return { ok: false, reason: "rate_limited", message: gate.message };
  }
  const user = await db.user.findUnique({ where: { email } });
  // Compare against a dummy hash when the user is unknown so timing does not reveal which emails exist.
  const hash = user?.passwordHash ?? "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.jR2b7nQ1yq3Q4v1xk0m8j7w6aKa6";
  const valid = await bcrypt.compare(password, hash);
  const success = Boolean(user && user.passwordHash && valid && !user.disabled);
  await db.loginAttempt.create({ data: { email, success, userId: user?.id ?? null, at: now } });
  if (!success) {
    await recordAudit(db, { actor: null, action: "auth.sign-in", targetType: "user", targetId: email, outcome: "failure", details: { reason: user?.disabled ? "disabled" : "invalid_credentials" } });
    if (user?.disabled) return { ok: false, reason: "disabled", message: "This account is disabled: ask a platform admin to re-enable it." };
    return { ok: false, reason: "invalid_credentials", message: "Wrong email or password. Check both and try again." };
  }
  await recordAudit(db, { actor: { id: user!.id, email }, action: "auth.sign-in", targetType: "user", targetId: user!.id, outcome: "success" });
  return { ok: true, userId: user!.id };
}
