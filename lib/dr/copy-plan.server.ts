import "server-only";
import type { z } from "zod";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { fieldErrorsFromIssues, DomainError } from "@/lib/errors/domain-error";
import { planFromRow, rowFromPlan } from "./plan-rows";
import { copyPlanInput } from "./schema";
import { latestPlanRow, requireManage, validated } from "./plan-change.server";

/** Copies a plan's newest version to a new key, at version 1. */
export async function copyPlan({
  actor: user,
  planKey: key,
  input: rawInput,
  traceId,
}: {
  actor: PortalUser;
  planKey: string;
  input: z.input<typeof copyPlanInput>;
  traceId?: string;
}): Promise<{ key: string; version: number }> {
  await requireManage(user, "drill.plan-copy", key, traceId);
  const parsedInput = copyPlanInput.safeParse(rawInput);
  if (!parsedInput.success)
    throw new DomainError(
      "validation_failed",
      `The copy is not valid: ${parsedInput.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      fieldErrorsFromIssues(parsedInput.error.issues),
    );
  const input = parsedInput.data;
  const source = await latestPlanRow(key);
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
