import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import type { RecommendationState } from "@/lib/generated/prisma/client";
import { effectiveRecommendationState } from "./recommendation-request";

/**
 * Recommendations the scope may see: team advice of visible teams; fleet-wide advice (team null) only for
 * unscoped readers, because it names other teams' resources.
 */
export async function listRecommendations(
  db: Db,
  o: { teams: string[] | null; states?: RecommendationState[]; now: number },
) {
  const rows = await db.recommendation.findMany({
    where: o.teams ? { team: { in: o.teams } } : {},
    orderBy: [{ projectedSavingsUsd: "desc" }, { fingerprint: "asc" }],
    include: { request: { select: { id: true, number: true, status: true } } },
  });
  return rows
    .map((r) => {
      // A lapsed snooze counts as open even before the next ingestion reopens it; an applied request acts on the advice.
      const state =
        r.state === "snoozed" && r.snoozedUntil && r.snoozedUntil.getTime() <= o.now ? ("open" as const) : r.state;
      return { ...r, state: effectiveRecommendationState(state, r.request) as RecommendationState };
    })
    .filter((r) => !o.states || o.states.includes(r.state));
}
