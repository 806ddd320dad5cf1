import "server-only";
import { personSetBudget } from "./demo-budget";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { DomainError } from "@/lib/errors/domain-error";

/** Sets (or clears, with null) a team's monthly GPU budget; audited. */
export async function setTeamBudget(o: {
  actor: PortalUser;
  slug: string;
  monthlyBudgetUsd: number | null;
  traceId?: string;
}) {
  return getPrisma().$transaction(async (tx) => {
    const team = await tx.team.findUnique({ where: { slug: o.slug } });
    if (!team) throw new DomainError("not_found", `team ${o.slug} was not found`);
    const updated = await tx.team.update({
      where: { id: team.id },
      data: personSetBudget(o.monthlyBudgetUsd),
    });
    await recordAudit(tx, {
      actor: { id: o.actor.id, email: o.actor.email },
      action: "team.budget.set",
      targetType: "team",
      targetId: team.id,
      outcome: "success",
      traceId: o.traceId,
      details: {
        slug: team.slug,
        from: team.monthlyBudgetUsd === null ? null : Number(team.monthlyBudgetUsd),
        to: o.monthlyBudgetUsd,
      },
    });
    return {
      slug: updated.slug,
      name: updated.name,
      monthlyBudgetUsd: updated.monthlyBudgetUsd === null ? null : Number(updated.monthlyBudgetUsd),
    };
  });
}
