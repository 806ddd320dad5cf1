import "server-only";
import { gitDeliveryStatus } from "./git-delivery-status.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { can, type PortalUser } from "@/lib/auth/permissions";
import { authorizeOrHide } from "@/lib/auth/authorize.server";
import { parseStoredPlan } from "./stored-plan";
import { recordedResultsOfRuns } from "./apply-run-store.server";
import { nothingToRevert, planRevert } from "./revert-plan.server";
import { runMode } from "./delivery-mode.server";
import { PRECHECK_EVENT, precheckFromEvent } from "./precheck";

/** Loads a request the user may see; null when it does not exist; another team's request is a 404 (audited). */
export async function getRequestDetail({
  actor: user,
  id,
  traceId,
}: {
  actor: PortalUser;
  id: string;
  traceId?: string;
}) {
  const db = getPrisma();
  const request = await db.request.findUnique({
    where: { id },
    include: {
      team: { select: { id: true, name: true, slug: true } },
      clusterTarget: { select: { id: true, name: true, isSandbox: true, deliveryMode: true } },
      approval: true,
      applyRuns: {
        orderBy: { createdAt: "desc" },
        include: { results: { orderBy: [{ attempt: "desc" }, { phase: "asc" }, { index: "asc" }] } },
      },
    },
  });
  if (!request) return null;
  await authorizeOrHide(user, "request.read", { teamId: request.teamId }, "The request", traceId);
  const people = await db.user.findMany({
    where: { id: { in: [request.requesterId, request.approval?.approverId ?? ""] } },
    select: { id: true, name: true, email: true },
  });
  const person = (pid: string | undefined) => people.find((p) => p.id === pid);
  const precheckEvent = await db.requestEvent.findFirst({
    where: { requestId: request.id, type: PRECHECK_EVENT },
    orderBy: { id: "desc" },
  });
  const precheckBy = precheckEvent?.actorId
    ? await db.user.findUnique({ where: { id: precheckEvent.actorId }, select: { name: true } })
    : null;
  const latestApply = request.applyRuns.find((r) => r.operation === "apply");
  const revertPlan = await planRevert(db, request, recordedResultsOfRuns(request.applyRuns));
  const created = revertPlan.created;
  // A revert goes the way the apply went, whatever the cluster's mode is now; a retry goes the way its run went.
  const revertsThroughGit = (await runMode(db, request, "revert")) === "git";
  const retriesThroughGit = (await runMode(db, request, request.applyRuns[0]?.operation ?? "apply")) === "git";
  const hasConflict = latestApply?.results.some((r) => r.outcome === "failed" && r.httpStatus === 409) ?? false;
  return {
    id: request.id,
    number: request.number,
    kind: request.kind,
    title: request.title,
    status: request.status,
    team: request.team,
    requester: person(request.requesterId) ?? { id: request.requesterId, name: "unknown", email: "" },
    clusterTarget: request.clusterTarget,
    input: request.input,
    plan: parseStoredPlan(request.plan),
    planHash: request.planHash,
    gitDelivery: await gitDeliveryStatus(request.id),
    precheck: precheckEvent
      ? precheckFromEvent({ at: precheckEvent.at, data: precheckEvent.data, actorName: precheckBy?.name ?? null })
      : null,
    monthlyCostUsd: Number(request.monthlyCostUsd),
    securityScore: request.securityScore,
    criticalFindings: request.criticalFindings,
    createdAt: request.createdAt,
    appliedAt: request.appliedAt,
    approval: request.approval && {
      decision: request.approval.decision,
      comment: request.approval.comment,
      overrideReason: request.approval.overrideReason,
      approverName: person(request.approval.approverId)?.name ?? "unknown",
      createdAt: request.approval.createdAt,
    },
    applyRuns: request.applyRuns.map((run) => ({
      id: run.id,
      operation: run.operation,
      status: run.status,
      attempt: run.attempt,
      force: run.force,
      forceReason: run.forceReason,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      error: run.error,
      // Only the latest attempt's results describe the cluster; earlier attempts were superseded.
      results: run.results
        .filter((r) => r.attempt === run.attempt)
        .map((r) => ({
          phase: r.phase,
          index: r.index,
          apiVersion: r.apiVersion,
          kind: r.kind,
          namespace: r.namespace,
          name: r.name,
          outcome: r.outcome,
          httpStatus: r.httpStatus,
          message: r.message,
          conflicts: r.conflicts as { field: string; manager: string }[] | null,
        })),
    })),
    /** What revert covers: the objects this request created that a revert has not deleted yet. */
    createdObjects: created,
    /**
     * Of those, and of the objects it applied after another request created them, the ones other requests still
     * apply: revert leaves them in place and names the requests (it may be all a revert does).
     */
    revertLeavesInPlace: revertPlan.leftInPlace,
    /** Objects the request did not create that revert deletes too: their creators' reverts left them to it. */
    revertInherits: revertPlan.inherited,
    permissions: {
      approve: request.status === "pending_approval" && can(user, "request.approve", { ownerId: request.requesterId }),
      reject: request.status === "pending_approval" && can(user, "request.approve", { ownerId: request.requesterId }),
      forceApply: request.status === "apply_failed" && hasConflict && can(user, "request.force-apply"),
      revert:
        (request.status === "applied" || request.status === "apply_failed") &&
        nothingToRevert(revertPlan) === null &&
        can(user, "request.revert", { teamId: request.teamId }),
      /** Git mode: a revert commits the removal of the request's files (no object list to confirm). */
      gitRevert:
        revertsThroughGit &&
        (request.status === "applied" || request.status === "apply_failed") &&
        can(user, "request.revert", { teamId: request.teamId }),
      retryDelivery:
        retriesThroughGit &&
        request.status === "apply_failed" &&
        can(user, "request.revert", { teamId: request.teamId }),
      checkDrift:
        (request.status === "applied" || request.status === "apply_failed") &&
        can(user, "request.read", { teamId: request.teamId }),
    },
  };
}
