import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { decide, type PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { fieldErrorsFromIssues, DomainError } from "@/lib/errors/domain-error";
import { drillScheduleKey } from "@/lib/jobs/job-definitions";
import { unscheduleJob } from "@/lib/jobs/queue.server";
import { logger } from "@/lib/observability/logger";
import { planFromRow, rowFromPlan } from "./plan-rows";
import { copyPlanInput, drPlanInput, editPlanInput, type DrPlan } from "./schema";

// Plans are versioned: an edit stores a new version (runs keep pointing at the version they used); a copy starts
// a new key at version 1.

async function requireManage(user: PortalUser, action: string, target: string, traceId?: string) {
  const decision = decide(user, "drill.manage");
  if (decision.allowed) return;
  await recordAudit(getPrisma(), {
    actor: { id: user.id, email: user.email },
    action,
    targetType: "dr_plan",
    targetId: target,
    outcome: "denied",
    traceId,
    details: { reason: decision.reason },
  });
  throw new DomainError("forbidden", "You are not allowed to change DR plans.");
}

function validated(candidate: unknown): DrPlan {
  const parsed = drPlanInput.safeParse(candidate);
  if (!parsed.success)
    throw new DomainError(
      "validation_failed",
      `The plan is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      fieldErrorsFromIssues(parsed.error.issues),
    );
  return parsed.data;
}

async function latest(key: string) {
  const row = await getPrisma().drPlan.findFirst({ where: { key }, orderBy: { version: "desc" } });
  if (!row) throw new DomainError("not_found", `DR plan ${key} was not found`);
  return row;
}

export async function editPlan(
  user: PortalUser,
  key: string,
  rawPatch: z.input<typeof editPlanInput>,
  traceId?: string,
): Promise<{ key: string; version: number }> {
  await requireManage(user, "drill.plan-edit", key, traceId);
  const parsedPatch = editPlanInput.safeParse(rawPatch);
  if (!parsedPatch.success)
    throw new DomainError(
      "validation_failed",
      `The change is not valid: ${parsedPatch.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      fieldErrorsFromIssues(parsedPatch.error.issues),
    );
  const { changeNote, ...patch } = parsedPatch.data;
  const current = await latest(key);
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

export async function copyPlan(
  user: PortalUser,
  key: string,
  rawInput: z.input<typeof copyPlanInput>,
  traceId?: string,
): Promise<{ key: string; version: number }> {
  await requireManage(user, "drill.plan-copy", key, traceId);
  const parsedInput = copyPlanInput.safeParse(rawInput);
  if (!parsedInput.success)
    throw new DomainError(
      "validation_failed",
      `The copy is not valid: ${parsedInput.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      fieldErrorsFromIssues(parsedInput.error.issues),
    );
  const input = parsedInput.data;
  const source = await latest(key);
  if (await getPrisma().drPlan.findFirst({ where: { key: input.newKey }, select: { id: true } }))
    throw new DomainError("conflict", `a plan with key ${input.newKey} already exists: choose another key`);
  const base = planFromRow(source);
  const copy = validated({
    ...base,
    key: input.newKey,
    name: input.name ?? `${base.name} (copy)`,
    scope: {
      ...base.scope,
      ...(input.clusterTargetId !== undefined ? { clusterTargetId: input.clusterTargetId } : {}),
    },
  });
  return getPrisma().$transaction(async (tx) => {
    const row = rowFromPlan(copy);
    await tx.drPlan.create({ data: { ...row, steps: row.steps as object, version: 1, createdById: user.id } });
    await recordAudit(tx, {
      actor: { id: user.id, email: user.email },
      action: "drill.plan-copy",
      targetType: "dr_plan",
      targetId: input.newKey,
      outcome: "success",
      traceId,
      details: { from: `${key}@${source.version}` },
    });
    return { key: input.newKey, version: 1 };
  });
}
