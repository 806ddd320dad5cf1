import "server-only";
import type { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { fieldErrorsFromIssues, DomainError } from "@/lib/errors/domain-error";
import { drillScheduleKey } from "@/lib/jobs/job-definitions";
import { unscheduleJob } from "@/lib/jobs/queue.server";
import { logger } from "@/lib/observability/logger";
import { planFromRow, rowFromPlan } from "./plan-rows";
import { editPlanInput } from "./schema";
import { latestPlanRow, requireManage, validated } from "./plan-change.server";

// Plans are versioned: an edit stores a new version (runs keep pointing at the version they used).

export async function editPlan({
  actor: user,
  planKey: key,
  patch: rawPatch,
  traceId,
}: {
  actor: PortalUser;
  planKey: string;
  patch: z.input<typeof editPlanInput>;
  traceId?: string;
}): Promise<{ key: string; version: number }> {
  await requireManage(user, "drill.plan-edit", key, traceId);
  const parsedPatch = editPlanInput.safeParse(rawPatch);
  if (!parsedPatch.success)
    throw new DomainError(
      "validation_failed",
      `The change is not valid: ${parsedPatch.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      fieldErrorsFromIssues(parsedPatch.error.issues),
    );
  const { changeNote, ...patch } = parsedPatch.data;
  const current = await latestPlanRow(key);
  const base = planFromRow(current);
  const next = validated({ ...base, ...patch, key, scope: { ...base.scope, ...(patch.scope ?? {}) } });
  const saved = await getPrisma().$transaction(async (tx) => {
    const version = current.version + 1;
    const row = rowFromPlan(next);
    await tx.drPlan.create({ data: { ...row, steps: row.steps as object, version, createdById: user.id } });
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      action: "drill.plan-edit",
      targetType: "dr_plan",
      targetId: key,
      outcome: "success",
      traceId,
      details: { fromVersion: current.version, version, changeNote, changed: Object.keys(patch) },
    });
    return { key, version };
  });
  if (
    current.schedule &&
    current.clusterTargetId &&
    (next.schedule !== current.schedule || next.scope.clusterTargetId !== current.clusterTargetId)
  )
    await dropSchedule(key, current.clusterTargetId);
  return saved;
}

/**
 * Takes a removed or changed schedule off the queue now rather than at the worker's next maintenance tick (which
 * registers the new one). Best effort: a firing that slips through is skipped by the scheduled-drill handler, which
 * checks the newest plan version.
 */
async function dropSchedule(key: string, clusterTargetId: string): Promise<void> {
  try {
    await unscheduleJob("drill.scheduled", drillScheduleKey(key, clusterTargetId));
  } catch (error) {
    logger.warn({ planKey: key, err: error instanceof Error ? error.message : String(error) }, "unschedule failed");
  }
}
