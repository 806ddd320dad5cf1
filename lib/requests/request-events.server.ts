import "server-only";
import type { Db, Tx } from "@/lib/db/prisma.server";

/** Appends one entry to a request's timeline. */
export async function addRequestEvent(
  db: Db | Tx,
  requestId: string,
  event: { type: string; message: string; actorId?: string | null; data?: Record<string, unknown> },
) {
  await db.requestEvent.create({
    data: {
      requestId,
      type: event.type,
      message: event.message,
      actorId: event.actorId ?? null,
      data: (event.data ?? {}) as object,
    },
  });
}
