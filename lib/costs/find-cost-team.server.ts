import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { teamsInData } from "./rollups/cost-queries.server";
import { scopeFor } from "./scope.server";

/**
 * The team a team costs page is about: a registered team (whose own permission check the caller makes with its id),
 * or a team only the data names (a pod label no one registered), shown to those who may read every team's costs.
 * Null when there is no such team for this actor.
 */
export async function findCostTeam(o: { actor: PortalUser; slug: string; now: number }) {
  const db = getPrisma();
  const registered = await db.team.findUnique({ where: { slug: o.slug }, select: { id: true } });
  if (registered) return { teamId: registered.id };
  if ((await scopeFor(o.actor, db)) !== null) return null;
  return (await teamsInData(db, null, o.now)).includes(o.slug) ? { teamId: null } : null;
}
