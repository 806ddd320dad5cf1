import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { writeFenced, type ClaimedRun } from "./apply-run-store.server";
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
    await tx.applyRun.update({ where: { id: run.id }, data: { status: outcome.ok ? "succeeded" : "failed", finishedAt: new Date(), error: outcome.error ?? null, leaseUntil: null } });
    await tx.request.update({ where: { id: run.requestId }, data: { status: outcome.requestStatus, ...(outcome.requestStatus === "applied" ? { appliedAt: new Date() } : {}) } });
    await addRequestEvent(tx, run.requestId, { type: outcome.ok ? `${run.operation}.succeeded` : `${run.operation}.failed`, message: outcome.message, data: outcome.data });
    await recordAudit(tx, { actor: null, action: `request.${run.operation}`, targetType: "request", targetId: run.requestId, outcome: outcome.ok ? "success" : "failure", details: { applyRunId: run.id, attempt: run.attempt, ...(outcome.error ? { error: outcome.error } : {}) } });
  });
}
