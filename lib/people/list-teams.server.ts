import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { teamRow, type TeamRow } from "./people-rows";

/** Every team with its cost label values, budget and member count: the People and teams page and GET /api/v1/teams. */
export async function listTeams({ actor, traceId }: { actor: PortalUser; traceId?: string }): Promise<TeamRow[]> {
  await authorize(actor, "people.manage", {}, traceId);
  const teams = await getPrisma().team.findMany({
    orderBy: { slug: "asc" },
    include: { _count: { select: { memberships: true } } },
  });
  return teams.map(teamRow);
}
