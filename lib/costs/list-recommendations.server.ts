import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import type { RecommendationState } from "@/lib/generated/prisma/client";

/**
 * Recommendations the scope may see: team advice of visible teams; fleet-wide advice (team null) only for
 * unscoped readers, because it names other teams' resources.
 */
export async function listRecommendations(db: Db, o: { teams: string[] | null; states?: RecommendationState[]; now: number }) {
  const rows = await db.recommendation.findMany({
    where: { ...(o.teams ? { team: { in: o.teams } } : {}), ...(o.states ? { state: { in: o.states } } : {}) },
    orderBy: [{ projectedSavingsUsd: "desc" }, { fingerprint: "asc" }],
  });
  // A lapsed snooze counts as open even before the next ingestion reopens it.
  return rows.map((r) => (r.state === "snoozed" && r.snoozedUntil && r.snoozedUntil.getTime() <= o.now ? { ...r, state: "open" as const } : r));
}
