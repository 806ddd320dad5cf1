import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { notFound } from "@/lib/errors/domain-error";
import type { TokenView } from "./api-token";
import { authorize } from "./authorize.server";
import type { PortalUser } from "./permissions";
import { findTokenView, toView } from "./token-view.server";

/** Revokes one of the caller's tokens (a platform admin: any token). Someone else's token is a 404, as an unknown id. */
export async function revokeApiToken({
  actor: user,
  tokenId: id,
  traceId,
  now = new Date(),
}: {
  actor: PortalUser;
  tokenId: string;
  traceId?: string;
  now?: Date;
}): Promise<TokenView> {
  await authorize(user, "token.manage", {}, traceId);
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
