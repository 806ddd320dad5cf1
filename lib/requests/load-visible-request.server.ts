import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { authorizeOrHide } from "@/lib/auth/authorize.server";
import { DomainError, notFound } from "@/lib/errors/domain-error";

/**
 * A request with its target cluster, once the caller may read it: another team's request is a 404, as an unknown id
 * is. Every operation after submission starts here.
 */
export async function loadVisibleRequest(user: PortalUser, id: string, traceId?: string) {
  const request = await getPrisma().request.findUnique({ where: { id }, include: { clusterTarget: true } });
  if (!request) throw notFound("The request");
  await authorizeOrHide(user, "request.read", { teamId: request.teamId }, "The request", traceId);
  return request;
}

export function clusterOf(request: Awaited<ReturnType<typeof loadVisibleRequest>>) {
  if (!request.clusterTarget) throw new DomainError("no_cluster", `REQ-${request.number} has no target cluster`);
  return request.clusterTarget;
}

/** What every operation on one request takes: who asks, which request, and the HTTP call's trace id when there is one. */
export interface RequestOperationInput {
  actor: PortalUser;
  requestId: string;
  traceId?: string;
}
