import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { visibleTeamIds, type Action, type PortalUser } from "@/lib/auth/permissions";

/**
 * The teams a person may pick or filter by for an action, by name: an engineer's own teams for a team-scoped
 * action, every team for roles that see them all, none for an action the person may not take. Without an action:
 * the person's own teams (the portal's header).
 */
export async function listVisibleTeams({
  actor,
  action,
}: {
  actor: PortalUser;
  action?: Action;
}): Promise<{ id: string; slug: string; name: string; monthlyBudgetUsd: number | null }[]> {
  const ids = action ? visibleTeamIds(actor, action) : actor.teamIds;
  if (ids?.length === 0) return [];
  const teams = await getPrisma().team.findMany({
    where: ids ? { id: { in: ids } } : {},
    orderBy: { name: "asc" },
    select: { id: true, slug: true, name: true, monthlyBudgetUsd: true },
  });
  return teams.map((t) => ({
    ...t,
    monthlyBudgetUsd: t.monthlyBudgetUsd === null ? null : Number(t.monthlyBudgetUsd),
  }));
}
