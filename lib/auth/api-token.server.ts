import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { DomainError, notFound } from "@/lib/errors/domain-error";
import { logger } from "@/lib/observability/logger";
import { getSetting } from "@/lib/env/get-env";
import { roleFromDb } from "./auth-options.server";
import {
  displayPrefix,
  expiryFrom,
  looksLikeToken,
  scopesCover,
  TOKEN_PREFIX,
  TOKEN_REFUSED,
  type CreateTokenInput,
  type TokenView,
} from "./api-token";
import type { Action, PortalUser } from "./permissions";

export type { TokenView };

/**
 * SHA-256 of the secret, hex. A plain fast hash is enough here, unlike for passwords: the secret is 32 random bytes,
 * so there is nothing to guess from the hash, and a fast hash keeps the look-up on every API call cheap and exact
 * (a unique index on the hash, no per-row salt to try).
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

const viewInclude = { owner: { select: { email: true } }, team: { select: { name: true } } } as const;

type TokenRow = NonNullable<Awaited<ReturnType<typeof findTokenView>>>;
function findTokenView(id: string) {
  return getPrisma().apiToken.findUnique({ where: { id }, include: viewInclude });
}

function toView(row: TokenRow): TokenView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    ownerEmail: row.owner?.email ?? null,
    teamId: row.teamId,
    teamName: row.team?.name ?? null,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/**
 * Creates a token and returns its secret, the only time it exists outside the caller's hands. With `teamId` it is a
 * service token for that team; otherwise a personal token of the caller. The route checks that only a platform admin
 * creates service tokens (route.server.ts imports this file, so the check cannot live here without a cycle).
 */
export async function createApiToken(
  user: PortalUser,
  input: CreateTokenInput,
  traceId: string,
  now = new Date(),
): Promise<{ token: TokenView; secret: string }> {
  if (input.teamId !== undefined) {
    const team = await getPrisma().team.findUnique({ where: { id: input.teamId } });
    if (!team)
      throw new DomainError("validation_failed", "teamId names no team: pick an existing team.", [
        { path: "teamId", message: "does not exist" },
      ]);
  }
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const id = await getPrisma().$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        kind: input.teamId ? "service" : "personal",
        name: input.name,
        prefix: displayPrefix(secret),
        secretHash: hashSecret(secret),
        scopes: input.scopes,
        ownerId: input.teamId ? null : user.id,
        teamId: input.teamId ?? null,
        createdById: user.id,
        expiresAt: expiryFrom(now, input.expiresInDays),
      },
    });
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      action: "api-token.create",
      targetType: "api-token",
      targetId: row.id,
      outcome: "success",
      traceId,
      details: {
        kind: row.kind,
        name: row.name,
        scopes: row.scopes,
        teamId: row.teamId,
        expiresAt: row.expiresAt.toISOString(),
      },
    });
    return row.id;
  });
  return { token: toView((await findTokenView(id))!), secret };
}

/** The caller's own personal tokens; a platform admin also sees every service token. Newest first. */
export async function listApiTokens(user: PortalUser): Promise<TokenView[]> {
  const rows = await getPrisma().apiToken.findMany({
    where: user.role === "platform-admin" ? { OR: [{ ownerId: user.id }, { kind: "service" }] } : { ownerId: user.id },
    include: viewInclude,
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  return rows.map(toView);
}

/** Revokes one of the caller's tokens (a platform admin: any token). Someone else's token is a 404, as an unknown id. */
export async function revokeApiToken(
  user: PortalUser,
  id: string,
  traceId: string,
  now = new Date(),
): Promise<TokenView> {
  const row = await findTokenView(id);
  if (!row || (row.ownerId !== user.id && user.role !== "platform-admin")) throw notFound("The token");
  if (!row.revokedAt) {
    await getPrisma().$transaction(async (tx) => {
      await tx.apiToken.update({ where: { id }, data: { revokedAt: now } });
      await recordAudit(tx, {
        actor: { id: user.id, email: user.email },
        action: "api-token.revoke",
        targetType: "api-token",
        targetId: id,
        outcome: "success",
        traceId,
        details: { kind: row.kind, name: row.name },
      });
    });
  }
  return toView((await findTokenView(id))!);
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
