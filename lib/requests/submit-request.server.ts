import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { conflict, DomainError, unprocessable } from "@/lib/errors/domain-error";
import { authorize } from "@/lib/auth/authorize.server";
import { criticalFindingCount, planRequest } from "./plan-request";
import { livePriceListFor } from "@/lib/pricing/price-list.server";
import { raiseNotification } from "@/lib/notifications/raise-notification.server";
import { addRequestEvent } from "./request-events.server";
import { protectedNamespaceFieldErrors } from "./request-namespaces";
import type { SubmitRequestInput } from "./schema";

/** A recommendation's request in these states still acts on it; after them another request may. */
const inProgress = new Set(["pending_approval", "approved", "applying", "applied"]);

/** Stores a request with its exact generated plan, pending approval. Nothing is written when the input is invalid. */
export async function submitRequest({
  actor: user,
  input,
  traceId,
}: {
  actor: PortalUser;
  input: SubmitRequestInput;
  traceId?: string;
}) {
  await authorize(user, "request.create", { teamId: input.teamId }, traceId);
  const db = getPrisma();
  const [team, cluster] = await Promise.all([
    db.team.findUnique({ where: { id: input.teamId } }),
    db.clusterTarget.findUnique({ where: { id: input.clusterTargetId } }),
  ]);
  if (!team)
    throw unprocessable("teamId: no such team: pick one of your teams", [{ path: "teamId", message: "no such team" }]);
  if (!cluster)
    throw unprocessable("clusterTargetId: no such cluster: pick a registered cluster", [
      { path: "clusterTargetId", message: "no such cluster" },
    ]);
  const planned = await planRequest(input.kind, input.input, (i) => livePriceListFor(i.cloud_provider, i.region, db));
  if (!planned.ok) throw new DomainError(planned.reason, planned.message, planned.fields);
  const guarded = protectedNamespaceFieldErrors(planned.input, cluster);
  if (guarded.length) throw new DomainError("protected_namespace", guarded.map((f) => f.message).join("; "), guarded);
  const plan = planned.plan;
  const recommendation = input.recommendationId
    ? await db.recommendation.findUnique({
        where: { id: input.recommendationId },
        include: { request: { select: { number: true, status: true } } },
      })
    : null;
  if (input.recommendationId) {
    if (!recommendation)
      throw unprocessable(
        "recommendationId: no such recommendation: it may have been recomputed; open it again from the costs page",
        [{ path: "recommendationId", message: "no such recommendation" }],
      );
    if (recommendation.team !== null && recommendation.team !== team.slug) {
      throw unprocessable(
        `recommendationId: the recommendation is about team ${recommendation.team}, not ${team.slug}: pick that team`,
        [{ path: "recommendationId", message: `belongs to team ${recommendation.team}` }],
      );
    }
    if (recommendation.request && inProgress.has(recommendation.request.status)) {
      throw conflict(
        `recommendationId: REQ-${recommendation.request.number} already acts on this recommendation (${recommendation.request.status.replace("_", " ")}): follow it, or reject it first`,
      );
    }
  }
  return db.$transaction(async (tx) => {
    const created = await tx.request.create({
      data: {
        kind: input.kind,
        title: input.title,
        teamId: team.id,
        requesterId: user.id,
        clusterTargetId: cluster.id,
        input: planned.input as object,
        plan: plan as object,
        planHash: planned.planHash,
        monthlyCostUsd: plan.cost_estimate.totals.expected,
        securityScore: plan.security_report.score,
        criticalFindings: criticalFindingCount(plan),
      },
    });
    await addRequestEvent(tx, created.id, {
      type: "submitted",
      actorId: user.id,
      message: `${user.name} submitted REQ-${created.number}: ${plan.deployment_manifests.length} objects, about $${Math.round(plan.cost_estimate.totals.expected).toLocaleString("en-US")} a month, security score ${plan.security_report.score}`,
    });
    if (recommendation)
      await tx.recommendation.update({ where: { id: recommendation.id }, data: { requestId: created.id } });
    await raiseNotification(tx, {
      event: "approval.needed",
      teamId: team.id,
      title: `REQ-${created.number} ${created.title} (${team.name}) waits for approval`,
      summary: `${user.name} asks for ${plan.deployment_manifests.length} objects on ${cluster.name}, about $${Math.round(plan.cost_estimate.totals.expected).toLocaleString("en-US")} a month, security score ${plan.security_report.score}.`,
      path: `/requests/${created.id}`,
      data: {
        requestId: created.id,
        requestNumber: created.number,
        kind: input.kind,
        team: team.slug,
        cluster: cluster.name,
      },
    });
    await recordAudit(tx, {
      actor: user,
      action: "request.submit",
      targetType: "request",
      targetId: created.id,
      outcome: "success",
      traceId,
      details: {
        kind: input.kind,
        team: team.slug,
        planHash: planned.planHash,
        ...(recommendation ? { recommendationId: recommendation.id } : {}),
      },
    });
    return { id: created.id, number: created.number, status: created.status };
  });
}
