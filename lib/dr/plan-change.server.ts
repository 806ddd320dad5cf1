import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { decide, type PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { fieldErrorsFromIssues, DomainError } from "@/lib/errors/domain-error";
import { drPlanInput, type DrPlan } from "./schema";

// What editing and copying a plan share: the permission check (audited when refused), validation of the result,
// and the newest version of a key.

export async function requireManage(user: PortalUser, action: string, target: string, traceId?: string) {
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

export function validated(candidate: unknown): DrPlan {
  const parsed = drPlanInput.safeParse(candidate);
  if (!parsed.success)
    throw new DomainError(
      "validation_failed",
      `The plan is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      fieldErrorsFromIssues(parsed.error.issues),
    );
  return parsed.data;
}

export async function latestPlanRow(key: string) {
  const row = await getPrisma().drPlan.findFirst({ where: { key }, orderBy: { version: "desc" } });
  if (!row) throw new DomainError("not_found", `DR plan ${key} was not found`);
  return row;
}
