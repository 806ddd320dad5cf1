import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { writeFenced, type ClaimedRun } from "./apply-run-store.server";
import { raiseNotification } from "@/lib/notifications/raise-notification.server";
import { addRequestEvent } from "./request-events.server";

export interface RunOutcome {
  ok: boolean;
  error?: string;
  requestStatus: "applied" | "apply_failed" | "reverted";
  message: string;
  data?: Record<string, unknown>;
}

/** Ends an apply or revert run: its status, the request's, the timeline entry and the audit row, in one fenced write. */
export async function finishRun(run: ClaimedRun, outcome: RunOutcome) {
  await writeFenced(run, async (tx) => {
    await tx.applyRun.update({
      where: { id: run.id },
      data: {
        status: outcome.ok ? "succeeded" : "failed",
        finishedAt: new Date(),
        error: outcome.error ?? null,
        leaseUntil: null,
      },
    });
    const request = await tx.request.update({
      where: { id: run.requestId },
      include: { clusterTarget: { select: { name: true } } },
      data: {
        status: outcome.requestStatus,
        ...(outcome.requestStatus === "applied" ? { appliedAt: new Date() } : {}),
      },
    });
    await addRequestEvent(tx, run.requestId, {
      type: outcome.ok ? `${run.operation}.succeeded` : `${run.operation}.failed`,
      message: outcome.message,
      data: outcome.data,
    });
    const event =
      run.operation === "revert"
        ? outcome.ok
          ? "request.reverted"
          : null
        : outcome.ok
          ? "request.applied"
          : "request.apply_failed";
    if (event) {
      const what = {
        "request.reverted": "was reverted",
        "request.applied": "was applied",
        "request.apply_failed": "failed to apply",
      }[event];
      await raiseNotification(tx, {
        event,
        teamId: request.teamId,
        title: `REQ-${request.number} ${request.title} ${what} on ${request.clusterTarget?.name ?? "its cluster"}`,
        summary: outcome.message,
        path: `/requests/${request.id}`,
        data: {
          requestId: request.id,
          requestNumber: request.number,
          cluster: request.clusterTarget?.name ?? "its cluster",
          attempt: run.attempt,
          ...(outcome.error ? { error: outcome.error.slice(0, 1000) } : {}),
        },
      });
    }
    await recordAudit(tx, {
      actor: null,
      action: `request.${run.operation}`,
      targetType: "request",
      targetId: run.requestId,
      outcome: outcome.ok ? "success" : "failure",
      details: { applyRunId: run.id, attempt: run.attempt, ...(outcome.error ? { error: outcome.error } : {}) },
    });
  });
}
