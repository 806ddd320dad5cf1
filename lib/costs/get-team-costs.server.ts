import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { DomainError } from "@/lib/errors/domain-error";
import { effectiveBudgetUsd } from "./demo-budget";
import { appliedRequestCosts, costSummary } from "./rollups/cost-queries.server";
import { teamUnitEconomics } from "./rollups/cost-metrics.server";
import { listRecommendations } from "./recommendations/list-recommendations.server";
import { readCostSettings, usageSourceOf } from "./sources/ingest-usage.server";
import type { CostQuery } from "./schema";
import { scopeFor } from "./scope.server";

/** Everything a team's costs page shows; a team outside the actor's scope is not found. */
export async function getTeamCosts(
  o: Pick<CostQuery, "days" | "groupBy"> & { actor: PortalUser; slug: string; now: number },
) {
  const db = getPrisma();
  const { slug, now } = o;
  const scope = await scopeFor(o.actor, db);
  if (scope !== null && !scope.includes(slug)) throw new DomainError("not_found", `team ${slug} was not found`);
  const registered = await db.team.findUnique({
    where: { slug },
    select: { name: true, monthlyBudgetUsd: true, budgetIsDemo: true },
  });
  const team = registered ?? { name: slug, monthlyBudgetUsd: null, budgetIsDemo: false };
  const [summary, recommendations, applied, unitCosts, settings] = await Promise.all([
    costSummary(db, { days: o.days, groupBy: o.groupBy, team: slug, teams: [slug], now }),
    listRecommendations(db, { teams: [slug], now }),
    appliedRequestCosts(db, slug, now),
    teamUnitEconomics(db, slug, now),
    readCostSettings(db),
  ]);
  return {
    team: { name: team.name, registered: registered !== null, budgetIsDemo: team.budgetIsDemo },
    budgetUsd: effectiveBudgetUsd(team, usageSourceOf(settings)),
    summary,
    recommendations,
    applied,
    unitCosts,
  };
}
