import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { notFound, unprocessable } from "@/lib/errors/domain-error";

/** Adds a person to a team by hand (source manual: single sign-on never removes it). */
export async function addTeamMember(o: { actor: PortalUser; teamId: string; userId: string; traceId?: string }) {
  await authorize(o.actor, "people.manage", {}, o.traceId);
  return getPrisma().$transaction(async (tx) => {
    const team = await tx.team.findUnique({ where: { id: o.teamId } });
    if (!team) throw notFound(`team ${o.teamId}`);
    const person = await tx.user.findUnique({ where: { id: o.userId } });
    if (!person)
      throw unprocessable(`userId: no person ${o.userId}: pick someone from the list`, [
        { path: "userId", message: "does not exist" },
      ]);
    const existing = await tx.membership.findUnique({
      where: { userId_teamId: { userId: person.id, teamId: team.id } },
    });
    if (existing?.source === "manual") return { teamId: team.id, userId: person.id, source: "manual" as const };
    // An SSO membership made manual stays when the group goes: that is what an admin adding them by hand means.
    if (existing)
      await tx.membership.update({
        where: { userId_teamId: { userId: person.id, teamId: team.id } },
        data: { source: "manual", ssoGroup: null },
      });
    else await tx.membership.create({ data: { userId: person.id, teamId: team.id, source: "manual" } });
    await recordAudit(tx, {
      actor: { id: o.actor.id, email: o.actor.email },
      action: "team.member.add",
      targetType: "team",
      targetId: team.id,
      outcome: "success",
      traceId: o.traceId,
      details: { slug: team.slug, userId: person.id, email: person.email, wasSso: existing?.source === "sso" },
    });
    return { teamId: team.id, userId: person.id, source: "manual" as const };
  });
}
