import "server-only";
import { getPrisma, type Db } from "@/lib/db/prisma.server";
import { visibleTeamIds, type PortalUser } from "@/lib/auth/permissions";

/**
 * Team label values the actor may see costs of (each team's slug and its extra cost label values, People and
 * teams); null means every team. Every cost service computes its scope here from the actor it is given, so a route or
 * page cannot forget the scope and show other teams' costs.
 */
export async function scopeFor(actor: PortalUser, db: Db = getPrisma()): Promise<string[] | null> {
  const ids = visibleTeamIds(actor, "costs.read");
  if (ids === null) return null;
  const teams = await db.team.findMany({ where: { id: { in: ids } }, select: { slug: true, costLabelValues: true } });
  return [...new Set(teams.flatMap((t) => [t.slug, ...t.costLabelValues]))];
}

/** Narrows the scope to one team when asked; a team outside the scope yields nothing rather than an error. */
export function narrowScope(scope: string[] | null, team: string | undefined): string[] | null {
  if (!team) return scope;
  return scope === null || scope.includes(team) ? [team] : [];
}
