import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { TokenView } from "./api-token";
import { authorize } from "./authorize.server";
import type { PortalUser } from "./permissions";
import { toView, viewInclude } from "./token-view.server";

/** The caller's own personal tokens; a platform admin also sees every service token. Newest first. */
export async function listApiTokens({
  actor: user,
  traceId,
}: {
  actor: PortalUser;
  traceId?: string;
}): Promise<TokenView[]> {
  await authorize(user, "token.manage", {}, traceId);
  const rows = await getPrisma().apiToken.findMany({
    where: user.role === "platform-admin" ? { OR: [{ ownerId: user.id }, { kind: "service" }] } : { ownerId: user.id },
    include: viewInclude,
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  return rows.map(toView);
}
