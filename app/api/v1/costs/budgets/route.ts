// GET /api/v1/costs/budgets: monthly GPU budgets of visible teams. PUT {team, monthlyBudgetUsd|null}: set one.
import { teamBudgetListResponse, teamBudgetResponse } from "@/lib/costs/schema";
import { z } from "zod";
import { route } from "@/lib/http/route.server";
import { setTeamBudget } from "@/lib/costs/set-team-budget.server";
import { listTeamBudgets } from "@/lib/costs/list-team-budgets.server";

export const GET = route({ action: "costs.read", response: teamBudgetListResponse }, async ({ user }) =>
  listTeamBudgets({ actor: user }),
);

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
    setTeamBudget({ actor: user, slug: body.team, monthlyBudgetUsd: body.monthlyBudgetUsd, traceId }),
);
