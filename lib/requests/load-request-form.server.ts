import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { livePriceLists } from "@/lib/pricing/price-list.server";
import { listVisibleTeams } from "@/lib/people/list-visible-teams.server";

/**
 * What the new-request form offers: the teams the person may request for, every cluster by name (finance requests
 * too and has no cluster.read, so only names and protected namespaces, never servers or credential references),
 * and the price lists its live cost uses.
 */
export async function loadRequestForm({ actor, traceId }: { actor: PortalUser; traceId?: string }) {
  await authorize(actor, "request.create", {}, traceId);
  const db = getPrisma();
  const [teams, clusters, priceLists] = await Promise.all([
    listVisibleTeams({ actor, action: "request.create" }),
    db.clusterTarget.findMany({
      select: { id: true, name: true, isSandbox: true, protectedNamespaces: true },
      orderBy: [{ isSandbox: "desc" }, { name: "asc" }],
    }),
    livePriceLists(db),
  ]);
  return { teams: teams.map((t) => ({ id: t.id, slug: t.slug, name: t.name })), clusters, priceLists };
}
