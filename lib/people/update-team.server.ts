import "server-only";
import { personSetBudget } from "@/lib/costs/demo-budget";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { notFound } from "@/lib/errors/domain-error";
import { teamRow, type TeamRow } from "./people-rows";
import type { UpdateTeamInput } from "./schema";
import { refuseTakenLabelValues } from "./team-label-values.server";

const budgetNumber = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function updateTeam(o: {
  actor: PortalUser;
  teamId: string;
  change: UpdateTeamInput;
  traceId?: string;
}): Promise<TeamRow> {
  await authorize(o.actor, "people.manage", {}, o.traceId);
  return getPrisma().$transaction(async (tx) => {
    const before = await tx.team.findUnique({ where: { id: o.teamId } });
    if (!before) throw notFound(`team ${o.teamId}`);
    const data: {
      name?: string;
      costLabelValues?: string[];
      monthlyBudgetUsd?: number | null;
      budgetIsDemo?: boolean;
    } = {};
    if (o.change.name !== undefined) data.name = o.change.name;
    if (o.change.monthlyBudgetUsd !== undefined) Object.assign(data, personSetBudget(o.change.monthlyBudgetUsd));
    if (o.change.costLabelValues !== undefined) {
      data.costLabelValues = [...new Set(o.change.costLabelValues.filter((v) => v !== before.slug))];
      await refuseTakenLabelValues(tx, data.costLabelValues, before.id);
    }
    const team = await tx.team.update({
      where: { id: before.id },
      data,
      include: { _count: { select: { memberships: true } } },
    });
    const from = {
      name: before.name,
      costLabelValues: before.costLabelValues,
      monthlyBudgetUsd: budgetNumber(before.monthlyBudgetUsd),
    };
    await recordAudit(tx, {
      actor: { id: o.actor.id, email: o.actor.email },
      action: "team.update",
      targetType: "team",
      targetId: team.id,
      outcome: "success",
      traceId: o.traceId,
      details: {
        slug: team.slug,
        from,
        to: {
          name: team.name,
          costLabelValues: team.costLabelValues,
          monthlyBudgetUsd: budgetNumber(team.monthlyBudgetUsd),
        },
      },
    });
    return teamRow(team);
  });
}
