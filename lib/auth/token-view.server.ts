import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { TokenView } from "./api-token";

export const viewInclude = { owner: { select: { email: true } }, team: { select: { name: true } } } as const;

type TokenRow = NonNullable<Awaited<ReturnType<typeof findTokenView>>>;
export function findTokenView(id: string) {
  return getPrisma().apiToken.findUnique({ where: { id }, include: viewInclude });
}

export function toView(row: TokenRow): TokenView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    ownerEmail: row.owner?.email ?? null,
    teamId: row.teamId,
    teamName: row.team?.name ?? null,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}
