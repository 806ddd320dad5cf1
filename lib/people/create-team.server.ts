import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { unprocessable } from "@/lib/errors/domain-error";
import { teamRow, type TeamRow } from "./people-rows";
import type { CreateTeamInput } from "./schema";
import { refuseTakenLabelValues } from "./team-label-values.server";

export async function createTeam(o: { actor: PortalUser; input: CreateTeamInput; traceId?: string }): Promise<TeamRow> {
  await authorize(o.actor, "people.manage", {}, o.traceId);
  const labels = [...new Set(o.input.costLabelValues.filter((v) => v !== o.input.slug))];
  return getPrisma().$transaction(async (tx) => {
    if (await tx.team.findUnique({ where: { slug: o.input.slug } }))
      throw unprocessable(`slug: a team ${o.input.slug} already exists: pick another slug`, [
        { path: "slug", message: "already exists" },
      ]);
    const owner = await tx.team.findFirst({
      where: { costLabelValues: { has: o.input.slug } },
      select: { slug: true },
    });
    if (owner)
      throw unprocessable(
        `slug: "${o.input.slug}" is a cost label value of team ${owner.slug}: remove it there first or pick another slug`,
        [{ path: "slug", message: `a cost label value of team ${owner.slug}` }],
      );
    await refuseTakenLabelValues(tx, labels, null);
    const team = await tx.team.create({
      data: {
        slug: o.input.slug,
        name: o.input.name,
        costLabelValues: labels,
        monthlyBudgetUsd: o.input.monthlyBudgetUsd,
      },
    });
    await recordAudit(tx, {
      actor: { id: o.actor.id, email: o.actor.email },
      action: "team.create",
      targetType: "team",
      targetId: team.id,
      outcome: "success",
      traceId: o.traceId,
      details: {
        slug: team.slug,
        name: team.name,
        costLabelValues: labels,
        monthlyBudgetUsd: o.input.monthlyBudgetUsd,
      },
    });
    return teamRow(team);
  });
}
