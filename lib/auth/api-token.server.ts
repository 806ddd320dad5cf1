import "server-only";
import { createHash } from "node:crypto";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { DomainError } from "@/lib/errors/domain-error";
import { logger } from "@/lib/observability/logger";
import { getSetting } from "@/lib/env/get-env";
import { roleFromDb } from "./auth-options.server";
import { looksLikeToken, scopesCover, TOKEN_REFUSED } from "./api-token";
import type { Action, PortalUser } from "./permissions";

/**
 * SHA-256 of the secret, hex. A plain fast hash is enough here, unlike for passwords: the secret is 32 random bytes,
 * so there is nothing to guess from the hash, and a fast hash keeps the look-up on every API call cheap and exact
 * (a unique index on the hash, no per-row salt to try).
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export interface TokenCall {
  traceId: string;
  method: string;
  route: string;
}

function refused(code: "unauthenticated" | "forbidden"): DomainError {
  return new DomainError(code, TOKEN_REFUSED);
}

/**
 * The caller a bearer token stands for, allowed to try `action`, or a 401/403 with one message for every reason.
 *
 * A personal token acts as its owner, re-read now: the owner's current role and teams apply, and a disabled owner's
 * tokens stop at once, as do a single sign-on user's once their last sign-in is older than
 * OIDC_TOKEN_MAX_DAYS_SINCE_SIGN_IN. A service token acts as a member (ml-engineer) of its team, attributed to the admin who
 * created it (requests need a person as requester; that admin therefore cannot approve what the token submits), and
 * stops when that admin is disabled. The scopes only narrow: route() still runs the role check after this.
 *
 * Every accepted call is audited (one row, written with the last-used time in one transaction): cheap next to the
 * call itself, and a pipeline's token use is exactly what an audit should show. Refusals of a known token are audited
 * too; unknown secrets are only logged, as there is nobody to attribute them to.
 */
/**
 * A single sign-on user's personal tokens last only so long after their last sign-in: a person removed at the
 * provider who never signs in again is never told to the portal, and would otherwise keep API access until expiry.
 */
function ssoSignInTooOld(owner: { oidcSubject: string | null; lastSignInAt: Date | null }, now: Date): boolean {
  if (owner.oidcSubject === null || owner.lastSignInAt === null) return false;
  const maxMs = getSetting("OIDC_TOKEN_MAX_DAYS_SINCE_SIGN_IN") * 86_400_000;
  return now.getTime() - owner.lastSignInAt.getTime() > maxMs;
}

export async function callerForToken(
  secret: string,
  action: Action,
  call: TokenCall,
  now = new Date(),
): Promise<PortalUser> {
  if (!looksLikeToken(secret)) throw refused("unauthenticated");
  const db = getPrisma();
  const row = await db.apiToken.findUnique({
    where: { secretHash: hashSecret(secret) },
    include: { owner: { include: { memberships: true } }, createdBy: true },
  });
  if (!row) {
    logger.warn({ requestId: call.traceId, route: call.route }, "unknown API token");
    throw refused("unauthenticated");
  }
  const person = row.kind === "personal" ? row.owner : row.createdBy;
  const audit = (outcome: "success" | "denied", reason?: string) => ({
    actor: person ? { id: person.id, email: person.email } : null,
    action: "api-token.use",
    targetType: "api-token",
    targetId: row.id,
    outcome,
    traceId: call.traceId,
    details: { method: call.method, route: call.route, action, kind: row.kind, ...(reason ? { reason } : {}) },
  });
  const problem = row.revokedAt
    ? "revoked"
    : row.expiresAt <= now
      ? "expired"
      : !person || person.disabled
        ? "owner disabled"
        : row.kind === "personal" && ssoSignInTooOld(person, now)
          ? "owner's last single sign-on is too old"
          : null;
  if (problem) {
    await recordAudit(db, audit("denied", problem));
    throw refused("unauthenticated");
  }
  if (!scopesCover(row.scopes, action)) {
    await recordAudit(db, audit("denied", `no scope covers ${action}`));
    throw refused("forbidden");
  }
  await db.$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    await recordAudit(tx, audit("success"));
  });
  if (row.kind === "personal") {
    const owner = row.owner!;
    return {
      id: owner.id,
      email: owner.email,
      name: owner.name,
      role: roleFromDb[owner.role],
      teamIds: owner.memberships.map((m) => m.teamId),
    };
  }
  return {
    id: person!.id,
    email: person!.email,
    name: `service token ${row.name}`,
    role: "ml-engineer",
    teamIds: [row.teamId!],
  };
}
