import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { visibleTeamIds, type PortalUser } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ListRequestsQuery } from "./schema";
import type { RequestSummary } from "./request-views";

const orderBy: Record<ListRequestsQuery["sort"], Prisma.RequestOrderByWithRelationInput> = {
  createdAt: { createdAt: "asc" },
  "-createdAt": { createdAt: "desc" },
  cost: { monthlyCostUsd: "asc" },
  "-cost": { monthlyCostUsd: "desc" },
  number: { number: "asc" },
  "-number": { number: "desc" },
};

/** Requests the user may see (engineers: their teams'), filtered, sorted and paginated in the database. */
export async function listRequests({ actor: user, query }: { actor: PortalUser; query: ListRequestsQuery }) {
  const teams = visibleTeamIds(user, "request.read");
  const where: Prisma.RequestWhereInput = {
    ...(teams ? { teamId: { in: teams } } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.team ? { team: { slug: query.team } } : {}),
    ...(query.q ? { title: { contains: query.q, mode: "insensitive" as const } } : {}),
  };
  const db = getPrisma();
  const [rows, total] = await Promise.all([
    db.request.findMany({
      where,
      orderBy: orderBy[query.sort],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: {
        id: true,
        number: true,
        kind: true,
        title: true,
        status: true,
        monthlyCostUsd: true,
        securityScore: true,
        criticalFindings: true,
        createdAt: true,
        requesterId: true,
        team: { select: { name: true } },
        clusterTarget: { select: { name: true } },
      },
    }),
    db.request.count({ where }),
  ]);
  const requesters = await db.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.requesterId))] } },
    select: { id: true, name: true },
  });
  const names = new Map(requesters.map((u) => [u.id, u.name]));
  const items: RequestSummary[] = rows.map((r) => ({
    id: r.id,
    number: r.number,
    kind: r.kind,
    title: r.title,
    status: r.status,
    teamName: r.team.name,
    requesterName: names.get(r.requesterId) ?? "unknown",
    clusterName: r.clusterTarget?.name ?? null,
    monthlyCostUsd: Number(r.monthlyCostUsd),
    securityScore: r.securityScore,
    criticalFindings: r.criticalFindings,
    createdAt: r.createdAt,
  }));
  return { items, total, page: query.page, pageSize: query.pageSize };
}
