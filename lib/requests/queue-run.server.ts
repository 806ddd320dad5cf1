import "server-only";
import { getPrisma, type Tx } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { conflict, notFound } from "@/lib/errors/domain-error";
import { enqueueJob } from "@/lib/jobs/queue.server";
import { addRequestEvent } from "./request-events.server";
import { portalFieldManager } from "./field-manager.server";

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
export async function queueRun(
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
export async function refuseUnlessQueueable(
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

export const onlyFailedApply = (r: { number: number; status: string }) =>
  r.status === "apply_failed"
    ? null
    : `REQ-${r.number} is ${r.status.replace(/_/g, " ")}: only a failed apply can be forced`;

export function onlyApplied(r: { number: number; status: string }) {
  if (r.status === "reverted") return `REQ-${r.number} is already reverted: there is nothing left to revert`;
  return ["applied", "apply_failed"].includes(r.status)
    ? null
    : `REQ-${r.number} is ${r.status.replace(/_/g, " ")}: only applied requests can be reverted`;
}
