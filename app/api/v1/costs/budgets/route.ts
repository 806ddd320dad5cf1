// GET /api/v1/costs/budgets: monthly GPU budgets of visible teams. PUT {team, monthlyBudgetUsd|null}: set one.
import { teamBudgetListResponse, teamBudgetResponse, teamBudgetSchema } from "@/lib/costs/schema";
import { route } from "@/lib/http/route.server";
import { setTeamBudget } from "@/lib/costs/set-team-budget.server";
import { listTeamBudgets } from "@/lib/costs/list-team-budgets.server";

export const GET = route({ action: "costs.read", response: teamBudgetListResponse }, async ({ user }) =>
  listTeamBudgets({ actor: user }),
);

export const PUT = route(
  { action: "costs.manage", response: teamBudgetResponse, body: teamBudgetSchema },
  async ({ user, body, traceId }) =>
    setTeamBudget({ actor: user, slug: body.team, monthlyBudgetUsd: body.monthlyBudgetUsd, traceId }),
);
