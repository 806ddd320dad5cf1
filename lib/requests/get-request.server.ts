import "server-only";
import { gitDeliveryStatus } from "./git-delivery-status.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { can, type PortalUser } from "@/lib/auth/permissions";
import { authorizeOrHide } from "@/lib/auth/authorize.server";
import { parseStoredPlan } from "./stored-plan";
import { recordedResultsOfRuns } from "./apply-run-store.server";
import { nothingToRevert, planRevert } from "./revert-plan.server";
import { runModes } from "./delivery-mode.server";
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
  // Everything keyed by the id alone is read at once; what needs the request row waits for it and for the
  // authorization. Nothing read here leaves this function before the authorization passes.
  const [request, applyRuns, precheckEvent, gitDelivery] = await Promise.all([
    db.request.findUnique({
      where: { id },
      include: {
        team: { select: { id: true, name: true, slug: true } },
        clusterTarget: { select: { id: true, name: true, isSandbox: true, deliveryMode: true } },
        approval: true,
      },
    }),
    db.applyRun.findMany({
      where: { requestId: id },
      orderBy: { createdAt: "desc" },
      include: { results: { orderBy: [{ attempt: "desc" }, { phase: "asc" }, { index: "asc" }] } },
    }),
    db.requestEvent.findFirst({ where: { requestId: id, type: PRECHECK_EVENT }, orderBy: { id: "desc" } }),
    gitDeliveryStatus(id),
  ]);
  if (!request) return null;
  await authorizeOrHide(user, "request.read", { teamId: request.teamId }, "The request", traceId);
  const latestApply = applyRuns.find((r) => r.operation === "apply");
  const peopleIds = [request.requesterId, request.approval?.approverId, precheckEvent?.actorId ?? undefined];
  const [people, revertPlan, modes] = await Promise.all([
    db.user.findMany({
      where: { id: { in: peopleIds.filter((p): p is string => !!p) } },
      select: { id: true, name: true, email: true },
    }),
    planRevert(db, request, recordedResultsOfRuns(applyRuns)),
    runModes(db, request, latestApply?.id ?? null),
  ]);
  const person = (pid: string | null | undefined) => people.find((p) => p.id === pid);
  const created = revertPlan.created;
  // A revert goes the way the apply went, whatever the cluster's mode is now; a retry goes the way its run went.
  const revertsThroughGit = modes.revert === "git";
  const retriesThroughGit = modes[applyRuns[0]?.operation ?? "apply"] === "git";
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
    gitDelivery,
    precheck: precheckEvent
      ? precheckFromEvent({
          at: precheckEvent.at,
          data: precheckEvent.data,
          actorName: precheckEvent.actorId ? (person(precheckEvent.actorId)?.name ?? null) : null,
        })
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
    applyRuns: applyRuns.map((run) => ({
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
