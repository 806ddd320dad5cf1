import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { conflict, notFound } from "@/lib/errors/domain-error";

/** Removes a manual membership. One from an SSO group is refused: the next sign-in would bring it back. */
export async function removeTeamMember(o: { actor: PortalUser; teamId: string; userId: string; traceId?: string }) {
  await authorize(o.actor, "people.manage", {}, o.traceId);
  return getPrisma().$transaction(async (tx) => {
    const membership = await tx.membership.findUnique({
      where: { userId_teamId: { userId: o.userId, teamId: o.teamId } },
      include: { team: { select: { slug: true } }, user: { select: { email: true } } },
    });
    if (!membership) throw notFound("membership");
    if (membership.source === "sso") {
      throw conflict(
        `${membership.user.email} is in team ${membership.team.slug} through the identity-provider group ${membership.ssoGroup ?? "(unknown)"}: remove them from that group at the identity provider (or change the group mapping in Settings).`,
      );
    }
    await tx.membership.delete({ where: { userId_teamId: { userId: o.userId, teamId: o.teamId } } });
    await recordAudit(tx, {
      actor: { id: o.actor.id, email: o.actor.email },
      action: "team.member.remove",
      targetType: "team",
      targetId: o.teamId,
      outcome: "success",
      traceId: o.traceId,
      details: { slug: membership.team.slug, userId: o.userId, email: membership.user.email },
    });
    return { ok: true };
  });
}
