import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { roleFromDb } from "@/lib/auth/auth-options.server";
import type { PersonRow } from "./people-rows";

/** Everyone, with their role and teams and where each came from: the People and teams page and GET /api/v1/people. */
export async function listPeople({ actor, traceId }: { actor: PortalUser; traceId?: string }): Promise<PersonRow[]> {
  await authorize(actor, "people.manage", {}, traceId);
  const users = await getPrisma().user.findMany({
    orderBy: { email: "asc" },
    include: { memberships: { include: { team: { select: { slug: true, name: true } } } } },
  });
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: roleFromDb[u.role],
    roleSource: u.roleSource,
    roleSsoGroup: u.roleSsoGroup,
    disabled: u.disabled,
    singleSignOn: u.oidcSubject !== null,
    ssoGroups: u.ssoGroups,
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
    teams: u.memberships
      .map((m) => ({ id: m.teamId, slug: m.team.slug, name: m.team.name, source: m.source, ssoGroup: m.ssoGroup }))
      .sort((a, b) => a.slug.localeCompare(b.slug)),
  }));
}
