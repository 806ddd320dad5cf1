// GET /api/v1/costs/budgets: monthly GPU budgets of visible teams. PUT {team, monthlyBudgetUsd|null}: set one.
import { teamBudgetListResponse, teamBudgetResponse } from "@/lib/costs/schema";
import { z } from "zod";
import { route } from "@/lib/http/route.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { costTeamScope } from "@/lib/costs/rollups/cost-queries.server";
import { setTeamBudget } from "@/lib/costs/set-team-budget.server";
import { effectiveBudgetUsd } from "@/lib/costs/demo-budget";
import { readCostSettings, usageSourceOf } from "@/lib/costs/sources/ingest-usage.server";

export const GET = route({ action: "costs.read", response: teamBudgetListResponse }, async ({ user }) => {
  const db = getPrisma();
  const scope = await costTeamScope(db, user);
  const teams = await db.team.findMany({
    where: scope ? { slug: { in: scope } } : {},
    orderBy: { slug: "asc" },
    select: { slug: true, name: true, monthlyBudgetUsd: true, budgetIsDemo: true },
  });
  const source = usageSourceOf(await readCostSettings(db));
  // demo: the demo seeded the budget; appliesToData: it is compared with the costs shown (a demo budget is not, on real data).
  return {
    items: teams.map((t) => ({
      slug: t.slug,
      name: t.name,
      monthlyBudgetUsd: t.monthlyBudgetUsd === null ? null : Number(t.monthlyBudgetUsd),
      demo: t.budgetIsDemo,
      appliesToData: effectiveBudgetUsd(t, source) !== null,
    })),
  };
});

const budgetBody = z.object({
  team: z.string().min(1).max(63),
  monthlyBudgetUsd: z
    .number()
    .min(0, { message: "monthlyBudgetUsd must be 0 or more (null removes the budget)" })
    .max(1e11)
    .nullable(),
});

export const PUT = route(
  { action: "costs.manage", response: teamBudgetResponse, body: budgetBody },
  async ({ user, body, traceId }) =>
    setTeamBudget({ user, slug: body.team, monthlyBudgetUsd: body.monthlyBudgetUsd, traceId }),
);
