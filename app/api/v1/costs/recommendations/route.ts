// GET /api/v1/costs/recommendations[?state=open,snoozed]: recommendations visible to the caller, largest savings first.
import { recommendationListResponse } from "@/lib/costs/schema";
import { z } from "zod";
import { route } from "@/lib/http/route.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { costTeamScope } from "@/lib/costs/rollups/cost-queries.server";
import { listRecommendations } from "@/lib/costs/recommendations/list-recommendations.server";
import { combinedSavings, workloadRefsOf } from "@/lib/costs/recommendations/combined-savings";

const states = ["open", "accepted", "snoozed", "dismissed"] as const;
const query = z.object({
  state: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",") : undefined))
    .pipe(
      z.array(z.enum(states, { message: `state must be a comma-separated list of ${states.join(", ")}` })).optional(),
    ),
});

export const GET = route(
  { action: "costs.read", response: recommendationListResponse, query },
  async ({ user, query }) => {
    const db = getPrisma();
    const items = await listRecommendations(db, {
      teams: await costTeamScope(db, user),
      states: query.state,
      now: Date.now(),
    });
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
  },
);
