import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { authorize } from "@/lib/auth/authorize.server";
import { conflict, DomainError, notFound } from "@/lib/errors/domain-error";
import { enqueueJob } from "@/lib/jobs/queue.server";
import { Prisma } from "@/lib/generated/prisma/client";
import { portalFieldManager } from "./field-manager.server";
import { addRequestEvent } from "./request-events.server";
import { PRECHECK_EVENT, precheckFromEvent } from "./precheck";

/**
 * Approves or rejects a pending request. Exactly one decision wins under concurrency: the Approval row is unique
 * per request and the status moves from pending_approval in the same transaction; the apply job is enqueued in
 * that transaction too (pg-boss through the Prisma transaction), so an approval never exists without its job.
 */
export async function decideRequest({
  actor: user,
  requestId,
  decision,
  input,
  traceId,
}: {
  actor: PortalUser;
  requestId: string;
  decision: "approved" | "rejected";
  input: { comment: string; overrideReason?: string; acknowledgePrecheck?: boolean };
  traceId?: string;
}) {
  const db = getPrisma();
  const request = await db.request.findUnique({ where: { id: requestId } });
  if (!request) throw notFound("The request");
  await authorize(user, "request.approve", { ownerId: request.requesterId }, traceId);
  if (request.status !== "pending_approval")
    throw conflict(`REQ-${request.number} was already decided (status: ${request.status.replace(/_/g, " ")})`);
  if (decision === "approved" && request.criticalFindings > 0 && !input.overrideReason) {
    throw new DomainError(
      "override_required",
      `REQ-${request.number} has ${request.criticalFindings} critical security finding(s): fix them, or approve with overrideReason explaining why they are acceptable`,
      [{ path: "overrideReason", message: "required to approve a plan with critical findings" }],
    );
  }
  // What the latest pre-condition check found goes with the approval: one that warned or failed is approved only
  // once the approver says they read it (the apply job checks quota again and would stop on a failure).
  const precheckEvent =
    decision === "approved"
      ? await db.requestEvent.findFirst({ where: { requestId, type: PRECHECK_EVENT }, orderBy: { id: "desc" } })
      : null;
  const precheck = precheckEvent
    ? precheckFromEvent({ at: precheckEvent.at, data: precheckEvent.data, actorName: null })
    : null;
  const verdict = precheck?.preconditions.verdict;
  if (decision === "approved" && verdict && verdict !== "pass" && !input.acknowledgePrecheck) {
    throw new DomainError(
      "confirmation_required",
      `REQ-${request.number}'s latest pre-condition check ${verdict === "fail" ? "fails" : "warns"}: ${precheck.preconditions.summary} Approve with acknowledgePrecheck once you have read it.`,
      [{ path: "acknowledgePrecheck", message: "required: the latest pre-condition check warned or failed" }],
    );
  }
  try {
    return await db.$transaction(async (tx) => {
      const moved = await tx.request.updateMany({
        where: { id: requestId, status: "pending_approval" },
        data: { status: decision },
      });
      if (moved.count !== 1) throw conflict(`REQ-${request.number} was already decided by someone else`);
      await tx.approval.create({
        data: {
          requestId,
          approverId: user.id,
          decision,
          comment: input.comment,
          overrideReason: decision === "approved" ? (input.overrideReason ?? null) : null,
        },
      });
      await addRequestEvent(tx, requestId, {
        type: decision,
        actorId: user.id,
        message: `${user.name} ${decision} the request: ${input.comment}`,
        data: input.overrideReason ? { overrideReason: input.overrideReason } : {},
      });
      await recordAudit(tx, {
        actor: user,
        action: `request.${decision === "approved" ? "approve" : "reject"}`,
        targetType: "request",
        targetId: requestId,
        outcome: "success",
        traceId,
        details: {
          comment: input.comment,
          ...(decision === "approved"
            ? {
                precheck: verdict
                  ? { verdict, checkedAt: precheck.checkedAt.toISOString(), acknowledged: verdict !== "pass" }
                  : "not run",
              }
            : {}),
          ...(input.overrideReason
            ? { overrideReason: input.overrideReason, criticalFindings: request.criticalFindings }
            : {}),
        },
      });
      if (decision === "rejected") return { status: "rejected" as const, applyRunId: null };
      const run = await tx.applyRun.create({ data: { requestId, fieldManager: portalFieldManager() } });
      await addRequestEvent(tx, requestId, {
        type: "apply.queued",
        message: "Apply queued: a worker will dry-run every object, then apply them with server-side apply",
        data: { applyRunId: run.id },
      });
      await enqueueJob("request.apply", { applyRunId: run.id }, { tx });
      return { status: "approved" as const, applyRunId: run.id };
    });
  } catch (error) {
    // Two admins racing past the status check: the unique Approval.requestId makes the loser fail here.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw conflict(`REQ-${request.number} was already decided by someone else`);
    throw error;
  }
}
