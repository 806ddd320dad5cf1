import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { DomainError } from "@/lib/errors/domain-error";
import { scopeFor } from "@/lib/costs/scope.server";
import { DAY_MS, type RecommendationAction } from "@/lib/costs/schema";

/** Accept, snooze (7/30/90 days), dismiss (with a reason) or reopen a recommendation; audited. */
export async function changeRecommendationState(o: {
  actor: PortalUser;
  id: string;
  action: RecommendationAction;
  now: number;
  traceId?: string;
}) {
  const db = getPrisma();
  // Advice the actor may not see is "not found", as if it did not exist: its id tells nothing about other teams.
  const teams = await scopeFor(o.actor, db);
  return db.$transaction(async (tx) => {
    const rec = await tx.recommendation.findUnique({ where: { id: o.id } });
    if (!rec || (teams && (rec.team === null || !teams.includes(rec.team))))
      throw new DomainError("not_found", `recommendation ${o.id} was not found`);
    const a = o.action;
    const changed = { stateChangedById: o.actor.id, stateChangedAt: new Date(o.now) };
    const data =
      a.action === "accept"
        ? { state: "accepted" as const, snoozedUntil: null, dismissReason: null, ...changed }
        : a.action === "reopen"
          ? { state: "open" as const, snoozedUntil: null, dismissReason: null, ...changed }
          : a.action === "snooze"
            ? {
                state: "snoozed" as const,
                snoozedUntil: new Date(o.now + a.days * DAY_MS),
                dismissReason: null,
                ...changed,
              }
            : { state: "dismissed" as const, snoozedUntil: null, dismissReason: a.reason, ...changed };
    const updated = await tx.recommendation.update({ where: { id: rec.id }, data });
    await recordAudit(tx, {
      actor: { id: o.actor.id, email: o.actor.email },
      action: `recommendation.${a.action}`,
      targetType: "recommendation",
      targetId: rec.id,
      outcome: "success",
      traceId: o.traceId,
      details: {
        fingerprint: rec.fingerprint,
        category: rec.category,
        from: rec.state,
        to: data.state,
        ...(a.action === "snooze" ? { days: a.days } : {}),
        ...(a.action === "dismiss" ? { reason: a.reason } : {}),
      },
    });
    return updated;
  });
}
