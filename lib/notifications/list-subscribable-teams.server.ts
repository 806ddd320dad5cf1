import "server-only";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";

/** The teams a person may subscribe (the rule createSubscription enforces): their own; a platform admin any team. */
export async function listSubscribableTeams({ actor }: { actor: PortalUser }): Promise<{ id: string; name: string }[]> {
  return getPrisma().team.findMany({
    where: actor.role === "platform-admin" ? {} : { id: { in: actor.teamIds } },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}
