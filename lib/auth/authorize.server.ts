import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { forbidden, notFound } from "@/lib/errors/domain-error";
import { decide, type Action, type PortalUser, type Resource } from "./permissions";

/** Per-resource check inside a use case; a denial is a `forbidden` error with no data and an audit event. */
export async function authorize(user: PortalUser, action: Action, resource: Resource, traceId?: string): Promise<void> {
  const decision = decide(user, action, resource);
  if (decision.allowed) return;
  await recordDenial(user, action, resource, decision.reason, traceId);
  throw forbidden();
}

/**
 * Per-resource check for reading one thing by id: a denial is audited like `authorize`'s but answered as the same
 * `not_found` an unknown id gets, so ids of other teams' resources cannot be told from ids that do not exist.
 */
export async function authorizeOrHide(
  user: PortalUser,
  action: Action,
  resource: Resource,
  what: string,
  traceId?: string,
): Promise<void> {
  const decision = decide(user, action, resource);
  if (decision.allowed) return;
  await recordDenial(user, action, resource, decision.reason, traceId);
  throw notFound(what);
}

async function recordDenial(
  user: PortalUser,
  action: Action,
  resource: Resource,
  reason: string,
  traceId?: string,
): Promise<void> {
  await recordAudit(getPrisma(), {
    actor: { id: user.id, email: user.email },
    action,
    targetType: "api",
    targetId: null,
    outcome: "denied",
    traceId,
    details: { reason, ...resource },
  });
}
