import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { roleFromDb } from "./auth-options.server";
import type { PortalUser } from "./permissions";
import { decideSession, type SessionClaims } from "./session-lifetime";

/** The person a decoded session stands for, re-read from the database; null when the session no longer stands. */
export async function userForSession(claims: SessionClaims | null, now: Date): Promise<PortalUser | null> {
  if (!claims || typeof claims.userId !== "string") return null;
  const user = await getPrisma().user.findUnique({ where: { id: claims.userId }, include: { memberships: true } });
  if (!decideSession(claims, user, now).valid || !user) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: roleFromDb[user.role],
    teamIds: user.memberships.map((m) => m.teamId),
  };
}
