import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { costSummary, teamCostsBothWays, teamsInData } from "./rollups/cost-queries.server";
import { inferenceScalingRows } from "./rollups/cost-metrics.server";
import { listRecommendations } from "./recommendations/list-recommendations.server";
import { latestDataHealth } from "./sources/ingest-usage.server";
import type { CostQuery } from "./schema";
import { scopeFor } from "./scope.server";

/** Everything the costs page shows, over the teams the actor may see. */
export async function getCostsOverview(o: Pick<CostQuery, "days" | "groupBy"> & { actor: PortalUser; now: number }) {
  const db = getPrisma();
  const teams = await scopeFor(o.actor, db);
  const { now } = o;
  const [summary, recommendations, registeredTeams, dataTeams, scaling, health, bothWays] = await Promise.all([
    costSummary(db, { days: o.days, groupBy: o.groupBy, teams, now }),
    listRecommendations(db, { teams, now }),
    db.team.findMany({
      where: teams ? { slug: { in: teams } } : {},
      orderBy: { name: "asc" },
      select: { slug: true, name: true },
    }),
    teamsInData(db, teams, now),
    inferenceScalingRows(db, now, teams),
    latestDataHealth(db, "prometheus"),
    teamCostsBothWays(db, { days: o.days, teams, now }),
  ]);
  // Registered teams and the teams the data names (a label value or namespace no one registered): every team with costs.
  const registered = new Set(registeredTeams.map((t) => t.slug));
  const teamLinks = [
    ...registeredTeams,
    ...dataTeams.filter((slug) => !registered.has(slug)).map((slug) => ({ slug, name: slug })),
  ];
  return { scoped: teams !== null, summary, recommendations, teamLinks, scaling, health, bothWays };
}
