import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import type { RecommendationState } from "@/lib/generated/prisma/client";
import { scopeFor } from "@/lib/costs/scope.server";
import { combinedSavings, workloadRefsOf } from "./combined-savings";
import { listRecommendations } from "./list-recommendations.server";

/** Recommendations the actor may see, largest savings first, with what applying all the open ones saves. */
export async function listVisibleRecommendations(o: {
  actor: PortalUser;
  states?: RecommendationState[];
  now: number;
}) {
  const db = getPrisma();
  const items = await listRecommendations(db, { teams: await scopeFor(o.actor, db), states: o.states, now: o.now });
  // Open advice on the same workload overlaps: the total is what applying all of it saves, as in the monthly report.
  const savings = combinedSavings(
    items.filter((r) => r.state === "open").map((r) => ({ ...r, resources: workloadRefsOf(r.resources) })),
  );
  return {
    items,
    totalProjectedSavingsUsd: savings.combinedUsd,
    sumOfIndividualSavingsUsd: savings.sumUsd,
    overlappingWorkloads: savings.overlappingWorkloads,
  };
}
