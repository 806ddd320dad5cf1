import "server-only";
import { getPrisma, type Db } from "@/lib/db/prisma.server";
import { roleFromDb } from "@/lib/auth/auth-options.server";
import type { PersonRow, TeamRow } from "./people-rows";

/** Everyone, with their role and teams and where each came from: the People and teams page and GET /api/v1/people. */
export async function listPeople(db: Db = getPrisma()): Promise<PersonRow[]> {
  const users = await db.user.findMany({
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

export async function listTeams(db: Db = getPrisma()): Promise<TeamRow[]> {
  const teams = await db.team.findMany({
    orderBy: { slug: "asc" },
    include: { _count: { select: { memberships: true } } },
  });
  return teams.map(teamRow);
}

/** The API and page shape of a team row. */
export function teamRow(t: {
  id: string;
  slug: string;
  name: string;
  costLabelValues: string[];
  monthlyBudgetUsd: unknown;
  _count?: { memberships: number };
}): TeamRow {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    costLabelValues: t.costLabelValues,
    monthlyBudgetUsd: t.monthlyBudgetUsd === null ? null : Number(t.monthlyBudgetUsd),
    members: t._count?.memberships ?? 0,
  };
}
