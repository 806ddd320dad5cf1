import "server-only";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { headers } from "next/headers";
import { cache } from "react";
import { getPrisma } from "@/lib/db/prisma.server";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { authOptions } from "./auth-options.server";
import { decide, type Action, type PortalUser, type Resource } from "./permissions";
import type { SessionClaims } from "./session-lifetime";
import { userForSession } from "./session-user.server";

/**
 * The signed-in person, re-read from the database (role or team changes apply at once); null when signed out,
 * signed in more than 8 hours ago, or disabled (session-lifetime.ts).
 */
export const getCurrentUser = cache(async (): Promise<PortalUser | null> => {
  const session = (await getServerSession(authOptions())) as SessionClaims | null;
  return userForSession(session, new Date());
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
