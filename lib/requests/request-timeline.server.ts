import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { loadVisibleRequest, type RequestOperationInput } from "./load-visible-request.server";

/** Timeline entries after `afterId`, for the live view (polled). */
export async function requestTimeline({
  actor: user,
  requestId: id,
  afterId,
  traceId,
}: RequestOperationInput & { afterId: number }) {
  const request = await loadVisibleRequest(user, id, traceId);
  const events = await getPrisma().requestEvent.findMany({
    where: { requestId: id, id: { gt: BigInt(afterId) } },
    orderBy: { id: "asc" },
    take: 500,
  });
  return {
    status: request.status,
    events: events.map((e) => ({ id: Number(e.id), at: e.at, type: e.type, message: e.message, data: e.data })),
  };
}
