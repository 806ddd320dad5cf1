import "server-only";
import { randomBytes } from "node:crypto";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { DomainError } from "@/lib/errors/domain-error";
import { displayPrefix, expiryFrom, TOKEN_PREFIX, type CreateTokenInput, type TokenView } from "./api-token";
import { hashSecret } from "./api-token.server";
import { authorize } from "./authorize.server";
import type { PortalUser } from "./permissions";
import { findTokenView, toView } from "./token-view.server";

/**
 * Creates a token and returns its secret, the only time it exists outside the caller's hands. With `teamId` it is a
 * service token for that team, which only a platform admin may create; otherwise a personal token of the caller.
 */
export async function createApiToken({
  actor: user,
  input,
  traceId,
  now = new Date(),
}: {
  actor: PortalUser;
  input: CreateTokenInput;
  traceId?: string;
  now?: Date;
}): Promise<{ token: TokenView; secret: string }> {
  await authorize(user, "token.manage", {}, traceId);
  if (input.teamId !== undefined) await authorize(user, "settings.manage", {}, traceId);
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
