import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { authorize } from "@/lib/auth/authorize.server";
import { roleFromDb } from "@/lib/auth/auth-options.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { notFound, unprocessable } from "@/lib/errors/domain-error";
import type { UpdatePersonInput } from "./schema";

/**
 * Disables or re-enables a person and/or sets their role by hand. Disabling ends every session at once (sessions and
 * API tokens are checked against the row on every call, and sessionVersion is raised so that even a re-enabled
 * person must sign in again). A role set here is manual; single sign-on replaces it only when one of the person's
 * groups maps to a role. One audit event per change, in the same transaction.
 */
export async function updatePerson(o: {
  actor: PortalUser;
  userId: string;
  change: UpdatePersonInput;
  traceId?: string;
}) {
  await authorize(o.actor, "people.manage", {}, o.traceId);
  if (
    o.userId === o.actor.id &&
    (o.change.disabled === true || (o.change.role && o.change.role !== "platform-admin"))
  ) {
    const field = o.change.disabled === true ? "disabled" : "role";
    throw unprocessable(
      `You cannot ${field === "disabled" ? "disable yourself" : "take away your own admin role"}: ask another platform admin.`,
      [{ path: field, message: "not allowed on your own account" }],
    );
  }
  return getPrisma().$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: o.userId } });
    if (!before) throw notFound(`person ${o.userId}`);
    const actor = { id: o.actor.id, email: o.actor.email };
    const data: Record<string, unknown> = {};
    if (o.change.disabled !== undefined && o.change.disabled !== before.disabled) {
      data.disabled = o.change.disabled;
      if (o.change.disabled) data.sessionVersion = { increment: 1 };
      await recordAudit(tx, {
        actor,
        action: o.change.disabled ? "user.disable" : "user.enable",
        targetType: "user",
        targetId: before.id,
        outcome: "success",
        traceId: o.traceId,
        details: { email: before.email },
      });
    }
    const fromRole = roleFromDb[before.role];
    if (o.change.role !== undefined && (o.change.role !== fromRole || before.roleSource !== "manual")) {
      Object.assign(data, { role: o.change.role.replace("-", "_"), roleSource: "manual", roleSsoGroup: null });
      await recordAudit(tx, {
        actor,
        action: "user.role.set",
        targetType: "user",
        targetId: before.id,
        outcome: "success",
        traceId: o.traceId,
        details: { email: before.email, from: fromRole, fromSource: before.roleSource, to: o.change.role },
      });
    }
    const after = Object.keys(data).length ? await tx.user.update({ where: { id: before.id }, data }) : before;
    return {
      id: after.id,
      email: after.email,
      disabled: after.disabled,
      role: roleFromDb[after.role],
      roleSource: after.roleSource,
    };
  });
}
