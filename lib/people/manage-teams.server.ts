import "server-only";
import { personSetBudget } from "@/lib/costs/demo-budget";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma, type Tx } from "@/lib/db/prisma.server";
import { conflict, notFound, unprocessable } from "@/lib/errors/domain-error";
import { teamRow } from "./list-people.server";
import type { TeamRow } from "./people-rows";
import type { CreateTeamInput, UpdateTeamInput } from "./schema";

const budgetNumber = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** A cost label value belongs to one team only: otherwise one cost would count against two budgets. */
async function refuseTakenLabelValues(tx: Tx, values: readonly string[], ownId: string | null): Promise<void> {
  if (values.length === 0) return;
  const others = await tx.team.findMany({
    where: {
      OR: [{ slug: { in: [...values] } }, { costLabelValues: { hasSome: [...values] } }],
      ...(ownId ? { NOT: { id: ownId } } : {}),
    },
    select: { slug: true, costLabelValues: true },
  });
  for (const [i, value] of values.entries()) {
    const owner = others.find((t) => t.slug === value || t.costLabelValues.includes(value));
    if (owner)
      throw unprocessable(`costLabelValues: "${value}" is already team ${owner.slug}'s: remove it there first`, [
        { path: `costLabelValues.${i}`, message: `already team ${owner.slug}'s` },
      ]);
  }
}

export async function createTeam(o: { actor: PortalUser; input: CreateTeamInput; traceId?: string }): Promise<TeamRow> {
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

export async function updateTeam(o: {
  actor: PortalUser;
  teamId: string;
  change: UpdateTeamInput;
  traceId?: string;
}): Promise<TeamRow> {
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

/** Adds a person to a team by hand (source manual: single sign-on never removes it). */
export async function addTeamMember(o: { actor: PortalUser; teamId: string; userId: string; traceId?: string }) {
  return getPrisma().$transaction(async (tx) => {
    const team = await tx.team.findUnique({ where: { id: o.teamId } });
    if (!team) throw notFound(`team ${o.teamId}`);
    const person = await tx.user.findUnique({ where: { id: o.userId } });
    if (!person)
      throw unprocessable(`userId: no person ${o.userId}: pick someone from the list`, [
        { path: "userId", message: "does not exist" },
      ]);
    const existing = await tx.membership.findUnique({
      where: { userId_teamId: { userId: person.id, teamId: team.id } },
    });
    if (existing?.source === "manual") return { teamId: team.id, userId: person.id, source: "manual" as const };
    // An SSO membership made manual stays when the group goes: that is what an admin adding them by hand means.
    if (existing)
      await tx.membership.update({
        where: { userId_teamId: { userId: person.id, teamId: team.id } },
        data: { source: "manual", ssoGroup: null },
      });
    else await tx.membership.create({ data: { userId: person.id, teamId: team.id, source: "manual" } });
    await recordAudit(tx, {
      actor: { id: o.actor.id, email: o.actor.email },
      action: "team.member.add",
      targetType: "team",
      targetId: team.id,
      outcome: "success",
      traceId: o.traceId,
      details: { slug: team.slug, userId: person.id, email: person.email, wasSso: existing?.source === "sso" },
    });
    return { teamId: team.id, userId: person.id, source: "manual" as const };
  });
}

/** Removes a manual membership. One from an SSO group is refused: the next sign-in would bring it back. */
export async function removeTeamMember(o: { actor: PortalUser; teamId: string; userId: string; traceId?: string }) {
  return getPrisma().$transaction(async (tx) => {
    const membership = await tx.membership.findUnique({
      where: { userId_teamId: { userId: o.userId, teamId: o.teamId } },
      include: { team: { select: { slug: true } }, user: { select: { email: true } } },
    });
    if (!membership) throw notFound("membership");
    if (membership.source === "sso") {
      throw conflict(
        `${membership.user.email} is in team ${membership.team.slug} through the identity-provider group ${membership.ssoGroup ?? "(unknown)"}: remove them from that group at the identity provider (or change the group mapping in Settings).`,
      );
    }
    await tx.membership.delete({ where: { userId_teamId: { userId: o.userId, teamId: o.teamId } } });
    await recordAudit(tx, {
      actor: { id: o.actor.id, email: o.actor.email },
      action: "team.member.remove",
      targetType: "team",
      targetId: o.teamId,
      outcome: "success",
      traceId: o.traceId,
      details: { slug: membership.team.slug, userId: o.userId, email: membership.user.email },
    });
    return { ok: true };
  });
}
