import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { scopeFor } from "@/lib/costs/scope.server";
import type { CostQuery, CostSummary } from "@/lib/costs/schema";
import { costSummary } from "./cost-queries.server";

/** Everything the dashboard shows, over the teams the actor may see (narrowed to `team` when asked). */
export async function getCostSummary(o: CostQuery & { actor: PortalUser; now: number }): Promise<CostSummary> {
  const db = getPrisma();
  const { actor, ...query } = o;
  return costSummary(db, { ...query, teams: await scopeFor(actor, db) });
}
