import "server-only";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { cache } from "react";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { authOptions, roleFromDb } from "./auth-options.server";
import { decide, type Action, type PortalUser, type Resource } from "./permissions";

/** The signed-in person, re-read from the database (role or team changes apply at once); null when signed out. */
export const getCurrentUser = cache(async (): Promise<PortalUser | null> => {
  const session = (await getServerSession(authOptions())) as { userId?: string } | null;
  if (!session?.userId) return null;
  const user = await getPrisma().user.findUnique({ where: { id: session.userId }, include: { memberships: true } });
  if (!user || user.disabled) return null;
  return { id: user.id, email: user.email, name: user.name, role: roleFromDb[user.role], teamIds: user.memberships.map((m) => m.teamId) };
});

/**
 * For pages: the signed-in user allowed to `action`, else a redirect to sign-in or the 403 page (with an audit
 * event naming the page).
 */
export async function requirePage(action: Action, resource?: Resource): Promise<PortalUser> {
  const user = await getCurrentUser();
  const path = (await headers()).get("x-portal-path") ?? "";
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path || "/")}`);
  const decision = decide(user, action, resource);
  if (!decision.allowed) {
    await recordAudit(getPrisma(), {
      actor: { id: user.id, email: user.email },
      action: "page.access",
      targetType: "page",
      targetId: path || action,
      outcome: "denied",
      details: { action, reason: decision.reason },
    });
    forbidden();
  }
  return user;
}
