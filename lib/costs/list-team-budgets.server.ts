import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { effectiveBudgetUsd } from "./demo-budget";
import { scopeFor } from "./scope.server";
import { readCostSettings, usageSourceOf } from "./sources/ingest-usage.server";

/** Monthly GPU budgets of the teams the actor may see. */
export async function listTeamBudgets(o: { actor: PortalUser }) {
  const db = getPrisma();
  const scope = await scopeFor(o.actor, db);
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
}
