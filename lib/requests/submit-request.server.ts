import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { DomainError, unprocessable } from "@/lib/errors/domain-error";
import { authorize } from "@/lib/auth/authorize.server";
import { criticalFindingCount, planRequest } from "./plan-request";
import { addRequestEvent } from "./request-events.server";
import { protectedNamespaceFieldErrors } from "./request-namespaces";
import type { SubmitRequestInput } from "./schema";

/** Stores a request with its exact generated plan, pending approval. Nothing is written when the input is invalid. */
export async function submitRequest(user: PortalUser, input: SubmitRequestInput, requestId?: string) {
  await authorize(user, "request.create", { teamId: input.teamId }, requestId);
  const db = getPrisma();
  const [team, cluster] = await Promise.all([
    db.team.findUnique({ where: { id: input.teamId } }),
    db.clusterTarget.findUnique({ where: { id: input.clusterTargetId } }),
  ]);
  if (!team) throw unprocessable("teamId: no such team: pick one of your teams", [{ path: "teamId", message: "no such team" }]);
  if (!cluster) throw unprocessable("clusterTargetId: no such cluster: pick a registered cluster", [{ path: "clusterTargetId", message: "no such cluster" }]);
  const planned = await planRequest(input.kind, input.input);
  if (!planned.ok) throw new DomainError(planned.reason, planned.message, planned.fields);
  const guarded = protectedNamespaceFieldErrors(planned.input, cluster);
  if (guarded.length) throw new DomainError("protected_namespace", guarded.map((f) => f.message).join("; "), guarded);
  const plan = planned.plan;
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
    await recordAudit(tx, { actor: user, action: "request.submit", targetType: "request", targetId: created.id, outcome: "success", traceId: requestId, details: { kind: input.kind, team: team.slug, planHash: planned.planHash } });
    return { id: created.id, number: created.number, status: created.status };
  });
}
