import "server-only";
// The operations on a request after submission, besides the decision: dry-run diff, drift, revert, force apply,
// and the timeline. Each loads the request with the caller's authorization first; another team's request is a 404,
// as an unknown id is.
import { getPrisma, type Tx } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { authorize, authorizeOrHide } from "@/lib/auth/authorize.server";
import { conflict, DomainError, notFound } from "@/lib/errors/domain-error";
import { enqueueJob } from "@/lib/jobs/queue.server";
import { applyObjects } from "@/lib/k8s/apply-objects.server";
import { checkDrift } from "@/lib/k8s/drift.server";
import { requireClusterClient } from "@/lib/clusters/cluster-client.server";
import type { PlanOutput } from "@/lib/plans/generate-plan";
import { parseStoredManifests } from "./stored-plan";
import { raiseNotification } from "@/lib/notifications/raise-notification.server";
import { addRequestEvent } from "./request-events.server";
import { describeRef, refOf, type ObjectRef } from "@/lib/k8s/object-ref";
import { objectKey } from "./object-identity";
import { nothingToRevert, planRevert } from "./revert-plan.server";
import { stillAppliedReason } from "./still-applied-by";
import { portalFieldManager } from "./field-manager.server";
import { confirmationChangedMessage, differenceFromPlan } from "./confirmed-deletes";
import { confirmationRef } from "./revert-confirmation";
import { protectedNamespaceFieldErrors } from "./request-namespaces";
import { checkRequestPreconditions } from "./request-preconditions.server";

async function loadVisible(user: PortalUser, id: string, traceId?: string) {
  const request = await getPrisma().request.findUnique({ where: { id }, include: { clusterTarget: true } });
  if (!request) throw notFound("The request");
  await authorizeOrHide(user, "request.read", { teamId: request.teamId }, "The request", traceId);
  return request;
}

function clusterOf(request: Awaited<ReturnType<typeof loadVisible>>) {
  if (!request.clusterTarget) throw new DomainError("no_cluster", `REQ-${request.number} has no target cluster`);
  return request.clusterTarget;
}

/**
 * Retry of a failed git delivery: queues the same operation as the run that failed; the files are rendered from the
 * stored plan again, so a retry delivers exactly what was approved.
 */
export async function retryDelivery(user: PortalUser, id: string, traceId?: string) {
  const request = await loadVisible(user, id, traceId);
  await authorize(user, "request.revert", { teamId: request.teamId }, traceId);
  if (clusterOf(request).deliveryMode !== "git")
    throw conflict(`REQ-${request.number} is applied directly to its cluster: only a git delivery is retried here`);
  const last = await getPrisma().applyRun.findFirst({
    where: { requestId: id },
    orderBy: { createdAt: "desc" },
    select: { operation: true },
  });
  const operation = last?.operation ?? "apply";
  return queueRun(
    user,
    request,
    {
      operation,
      action: "request.retry-delivery",
      message: `${user.name} retried the git ${operation === "revert" ? "removal" : "delivery"}`,
      refuse: (r) =>
        r.status === "apply_failed"
          ? null
          : `REQ-${r.number} is ${r.status.replace(/_/g, " ")}: only a failed delivery can be retried`,
    },
    traceId,
  );
}

/** Server-side dry-run of every object against the live cluster, with the diff: what approval would change. */
export async function dryRunRequest(user: PortalUser, id: string, traceId?: string) {
  const request = await loadVisible(user, id, traceId);
  const cluster = clusterOf(request);
  // A request stored before submit checked namespaces must not reach the cluster either, not even as a dry run.
  const guarded = protectedNamespaceFieldErrors(request.input, cluster);
  if (guarded.length) throw new DomainError("protected_namespace", guarded.map((f) => f.message).join("; "), guarded);
  const plan = { deployment_manifests: parseStoredManifests(request.plan) };
  const client = requireClusterClient(cluster);
  // The apply job's pre-conditions, run here too, so what would stop the apply is seen before the approval.
  const preconditions = await checkRequestPreconditions(client, plan.deployment_manifests);
  if (!preconditions.reachability.ok)
    return { ok: false, cluster: { name: cluster.name, isSandbox: cluster.isSandbox }, preconditions, results: [] };
  const report = await applyObjects(client, plan.deployment_manifests, {
    fieldManager: portalFieldManager(),
    dryRun: true,
  });
  return {
    ok: report.ok && preconditions.ok,
    cluster: { name: cluster.name, isSandbox: cluster.isSandbox },
    preconditions,
    results: report.dryRun.map((r) => ({
      ref: r.ref,
      outcome: r.outcome,
      message: r.message,
      changes: r.changes ?? [],
      conflicts: r.failure?.conflicts ?? [],
    })),
  };
}

/** Compares the live objects with the applied plan. */
export async function checkRequestDrift(user: PortalUser, id: string, traceId?: string) {
  const request = await loadVisible(user, id, traceId);
  if (!["applied", "apply_failed"].includes(request.status))
    throw conflict(`REQ-${request.number} is ${request.status.replace(/_/g, " ")}: drift is checked after an apply`);
  const planned = parseStoredManifests(request.plan);
  // A failed apply stopped part-way (or before anything): only what it did apply can have drifted. An applied
  // request applied every object.
  const applied = request.status === "applied" ? planned : await objectsApplied(request.id, planned);
  if (!applied.length) {
    await addRequestEvent(getPrisma(), request.id, {
      type: "drift.checked",
      actorId: user.id,
      message: `${user.name} checked drift: nothing was applied yet, nothing to compare`,
    });
    return { drifted: false, nothingApplied: true, compared: 0, planned: planned.length, objects: [] };
  }
  const report = await checkDrift(requireClusterClient(clusterOf(request)), applied);
  const partly =
    applied.length < planned.length
      ? ` (the ${applied.length} of ${planned.length} objects the failed apply applied)`
      : "";
  const message = `${user.name} checked drift${partly}: ${report.drifted ? "the cluster differs from what was applied" : "in sync"}`;
  await getPrisma().$transaction(async (tx) => {
    await addRequestEvent(tx, request.id, { type: "drift.checked", actorId: user.id, message });
    if (report.drifted) {
      await raiseNotification(tx, {
        event: "drift.found",
        teamId: request.teamId,
        title: `REQ-${request.number} ${request.title}: the cluster differs from what was applied`,
        summary: message,
        path: `/requests/${request.id}`,
        data: { requestId: request.id, requestNumber: request.number, compared: applied.length },
      });
    }
  });
  return { ...report, nothingApplied: false, compared: applied.length, planned: planned.length };
}

/** The plan's objects that some apply run of the request did apply (created, configured or unchanged). */
async function objectsApplied(requestId: string, planned: PlanOutput["deployment_manifests"]) {
  const results = await getPrisma().applyObjectResult.findMany({
    where: {
      applyRun: { requestId, operation: "apply" },
      phase: "apply",
      outcome: { in: ["created", "configured", "unchanged"] },
    },
    select: { apiVersion: true, kind: true, namespace: true, name: true },
  });
  const keys = new Set(results.map(objectKey));
  return planned.filter((o) => keys.has(objectKey(refOf(o))));
}

interface QueueOptions {
  operation: "apply" | "revert";
  force?: boolean;
  forceReason?: string;
  action: string;
  message: string;
  /** Why the request's status (read with the row locked) does not allow the run, or null when it does. */
  refuse: (request: { number: number; status: string }) => string | null;
  /** Stored with the "queued" event; the job reads it (a revert's confirmed list). */
  eventData?: Record<string, unknown>;
}

/**
 * Queues one run. The request's row is locked (SELECT … FOR UPDATE) before the check for a run in progress and the
 * status check, so two clicks or two people cannot both queue one: the second waits for the first to commit, then
 * finds its run and gets a 409 that names it.
 */
async function queueRun(
  user: PortalUser,
  request: { id: string; number: number },
  options: QueueOptions,
  traceId?: string,
) {
  const fieldManager =
    (
      await getPrisma().applyRun.findFirst({
        where: { requestId: request.id },
        orderBy: { createdAt: "desc" },
        select: { fieldManager: true },
      })
    )?.fieldManager ?? portalFieldManager();
  return getPrisma().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<
      { id: string; number: number; status: string }[]
    >`SELECT id, number, status::text AS status FROM "Request" WHERE id = ${request.id} FOR UPDATE`;
    if (!locked) throw notFound("The request");
    await refuseUnlessQueueable(tx, locked, options.refuse);
    const run = await tx.applyRun.create({
      data: {
        requestId: request.id,
        operation: options.operation,
        force: options.force ?? false,
        forceReason: options.forceReason ?? null,
        fieldManager,
      },
    });
    await tx.request.update({ where: { id: request.id }, data: { status: "applying" } });
    await addRequestEvent(tx, request.id, {
      type: `${options.operation}.queued`,
      actorId: user.id,
      message: options.message,
      data: { ...options.eventData, applyRunId: run.id },
    });
    await recordAudit(tx, {
      actor: user,
      action: options.action,
      targetType: "request",
      targetId: request.id,
      outcome: "success",
      traceId,
      details: { applyRunId: run.id, ...(options.forceReason ? { reason: options.forceReason } : {}) },
    });
    await enqueueJob("request.apply", { applyRunId: run.id }, { tx });
    return { applyRunId: run.id };
  });
}

/** 409 naming the run in progress, or saying why the request's status does not allow another run. */
async function refuseUnlessQueueable(
  db: Pick<Tx, "applyRun">,
  request: { id: string; number: number; status: string },
  refuse: QueueOptions["refuse"],
) {
  const active = await db.applyRun.findFirst({
    where: { requestId: request.id, status: { in: ["queued", "dry_run", "applying"] } },
    orderBy: { createdAt: "desc" },
    select: { id: true, operation: true, status: true },
  });
  if (active)
    throw conflict(
      `REQ-${request.number} already has ${active.operation === "revert" ? "a revert" : "an apply"} in progress (run ${active.id}, ${active.status.replace(/_/g, " ")}): wait for it to finish, then reload`,
    );
  const refusal = refuse(request);
  if (refusal) throw conflict(refusal);
}

const onlyFailedApply = (r: { number: number; status: string }) =>
  r.status === "apply_failed"
    ? null
    : `REQ-${r.number} is ${r.status.replace(/_/g, " ")}: only a failed apply can be forced`;

function onlyApplied(r: { number: number; status: string }) {
  if (r.status === "reverted") return `REQ-${r.number} is already reverted: there is nothing left to revert`;
  return ["applied", "apply_failed"].includes(r.status)
    ? null
    : `REQ-${r.number} is ${r.status.replace(/_/g, " ")}: only applied requests can be reverted`;
}

/** Admin only: apply again taking ownership of conflicting fields. Audited with the reason. */
export async function forceApplyRequest(user: PortalUser, id: string, reason: string, traceId?: string) {
  const request = await loadVisible(user, id, traceId);
  await authorize(user, "request.force-apply", {}, traceId);
  return queueRun(
    user,
    request,
    {
      operation: "apply",
      force: true,
      forceReason: reason,
      action: "request.force-apply",
      message: `${user.name} forced a re-apply: ${reason}`,
      refuse: onlyFailedApply,
    },
    traceId,
  );
}

/**
 * Deletes what the request created (or inherited from its creators' reverts) and no other request still applies.
 * `confirmedDeletes` is the list the dialog showed as to be deleted (planRevert, the same answer the revert job acts
 * on): it must be the plan's delete list now, object for object (objectKey), or the person confirmed something else
 * and gets a 409 naming the difference. The list is stored with the queued event: the job deletes only what is both in
 * it and in its own plan when it runs (confirmed-deletes.ts), as other reverts may have finished in between.
 */
export async function revertRequest(
  user: PortalUser,
  id: string,
  confirmedDeletes: readonly ObjectRef[],
  traceId?: string,
) {
  const request = await loadVisible(user, id, traceId);
  await authorize(user, "request.revert", { teamId: request.teamId }, traceId);
  await refuseUnlessQueueable(getPrisma(), request, onlyApplied); // answered early; checked again with the row locked
  // A git-mode request's revert commits the removal of its folder: the reconciler deletes what it applied.
  if (request.clusterTarget?.deliveryMode === "git")
    return queueRun(
      user,
      request,
      {
        operation: "revert",
        action: "request.revert",
        message: `${user.name} started a revert: the removal of the request's files is committed to Git`,
        refuse: onlyApplied,
      },
      traceId,
    );
  // Only what the request created is deleted: objects that existed before it (a shared namespace) stay, and so do
  // those another request still applies. A revert that only leaves objects in place is allowed: it ends this
  // request's own hold on them, so the last holder's revert deletes them. Objects whose creators' reverts left them
  // to this request are its to delete.
  const plan = await planRevert(getPrisma(), request);
  const nothing = nothingToRevert(plan);
  if (nothing) throw conflict(`REQ-${request.number} has nothing to revert: ${nothing}`);
  const difference = differenceFromPlan(plan.toDelete, confirmedDeletes);
  if (difference)
    throw new DomainError("confirmation_changed", confirmationChangedMessage(difference, plan), [
      {
        path: "confirmedDeletes",
        message: "must be the objects the revert deletes now: reload the plan and confirm again",
      },
    ]);
  const count = plan.toDelete.length;
  const kept = plan.leftInPlace.length
    ? ` (${plan.leftInPlace.length} ${count ? "more " : ""}stay: ${plan.leftInPlace.map((l) => `${describeRef(l.ref)} ${stillAppliedReason(l.stillAppliedBy)}`).join(", ")})`
    : "";
  const confirmed = confirmedDeletes.map(confirmationRef); // what the person confirmed, as they confirmed it
  return queueRun(
    user,
    request,
    {
      operation: "revert",
      action: "request.revert",
      message: `${user.name} started a revert of ${count} objects${kept}`,
      refuse: onlyApplied,
      eventData: { confirmedDeletes: confirmed },
    },
    traceId,
  );
}

/** Timeline entries after `afterId`, for the live view (polled). */
export async function requestTimeline(user: PortalUser, id: string, afterId: number, traceId?: string) {
  const request = await loadVisible(user, id, traceId);
  const events = await getPrisma().requestEvent.findMany({
    where: { requestId: id, id: { gt: BigInt(afterId) } },
    orderBy: { id: "asc" },
    take: 500,
  });
  return {
    status: request.status,
    events: events.map((e) => ({ id: Number(e.id), at: e.at, type: e.type, message: e.message, data: e.data })),
  };
}
